-- Area scores of a unit beside its county and the nation, this year and the year before.
WITH unit_lan AS (SELECT lan_code FROM units WHERE level = $level AND unit_code = $unit),
areas AS (
    SELECT area, min(position) AS area_position FROM statement GROUP BY area
)
SELECT
    r.year, r.level, r.unit_code, r.unit_name, r.area, a.area_position, r.mean_score, r.n_centres,
    CASE WHEN r.level = $level AND r.unit_code = $unit THEN 1 WHEN r.level = 'lan' THEN 2 ELSE 3 END AS position
FROM self_reflection_area AS r
JOIN areas AS a USING (area)
CROSS JOIN unit_lan AS u
WHERE r.year IN ($year, $year - 1)
  AND ((r.level = $level AND r.unit_code = $unit) OR (r.level = 'lan' AND r.unit_code = u.lan_code)
       OR r.level = 'riket')
ORDER BY position, a.area_position, r.year
