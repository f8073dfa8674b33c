-- Goal fulfilment of a unit beside its county and the nation for one year (all respondents).
WITH unit_lan AS (SELECT lan_code FROM units WHERE level = $level AND unit_code = $unit)
SELECT
    f.goal, g.short_name, f.level, f.unit_code, f.unit_name, f.n, f.n_positive, f.share_positive,
    f.ci_low, f.ci_high, f.suppressed, f.suppression,
    CASE WHEN f.level = $level AND f.unit_code = $unit THEN 1 WHEN f.level = 'lan' THEN 2 ELSE 3 END AS position
FROM goal_fulfilment AS f
JOIN goal AS g USING (goal)
CROSS JOIN unit_lan AS u
WHERE f.year = $year AND f.segment = 'alla'
  AND ((f.level = $level AND f.unit_code = $unit) OR (f.level = 'lan' AND f.unit_code = u.lan_code)
       OR f.level = 'riket')
ORDER BY f.goal, position
