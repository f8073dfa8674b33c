-- Boundaries of one level ('kommun' or 'lan') as GeoJSON geometry text, with the county of each unit.
SELECT code, name, CASE WHEN level = 'kommun' THEN left(code, 2) ELSE code END AS lan_code, geojson
FROM boundary
WHERE level = $level
ORDER BY code
