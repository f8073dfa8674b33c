-- The county a unit belongs to (empty for the whole country), with its name.
SELECT coalesce(u.lan_code, '') AS lan_code, coalesce(l.lan_name, 'Riket') AS lan_name
FROM units AS u
LEFT JOIN lan AS l USING (lan_code)
WHERE u.level = $level AND u.unit_code = $unit
