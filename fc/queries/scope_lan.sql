-- The county a unit belongs to (empty for the whole country), with its name.
WITH chosen AS (
    SELECT CASE $level
        WHEN 'centre' THEN (SELECT lan_code FROM centres WHERE centre_id = $unit)
        WHEN 'kommun' THEN left($unit, 2)
        WHEN 'lan' THEN $unit
    END AS lan_code
)
SELECT coalesce(c.lan_code, '') AS lan_code, coalesce(l.lan_name, 'Riket') AS lan_name
FROM chosen AS c LEFT JOIN lan AS l USING (lan_code)
