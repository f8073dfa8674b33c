-- Centres in the scope, for picking one when the sidebar has none chosen.
SELECT centre_id, name, kommun_name FROM centres
WHERE ($lan = '' OR lan_code = $lan) AND ($kommun = '' OR kommun_code = $kommun)
ORDER BY name, centre_id
