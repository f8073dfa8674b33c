-- Goal fulfilment of every municipality and centre in a county (or the country when $lan = ''), for
-- a year and the year before, all respondents.
SELECT f.year, f.level, f.unit_code, f.unit_name, f.goal, f.n, f.n_positive, f.share_positive, f.suppressed, f.suppression,
       coalesce(c.kommun_name, k.kommun_name) AS kommun_name
FROM goal_fulfilment AS f
LEFT JOIN centres AS c ON f.level = 'centre' AND c.centre_id = f.unit_code
LEFT JOIN kommun AS k ON f.level = 'kommun' AND k.kommun_code = f.unit_code
WHERE f.segment = 'alla' AND f.year IN ($year, $year - 1) AND f.level IN ('kommun', 'centre')
  AND ($lan = '' OR coalesce(c.lan_code, k.lan_code) = $lan)
ORDER BY f.level DESC, kommun_name, f.unit_name, f.goal, f.year
