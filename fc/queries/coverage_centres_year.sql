-- Centres active in one year within the scope, with their position, for the map.
SELECT centre_id, name, centre_type, kommun_name, lan_code, lat, lon
FROM active_centres
WHERE year = $year AND ($lan = '' OR lan_code = $lan) AND lat IS NOT NULL
ORDER BY centre_id
