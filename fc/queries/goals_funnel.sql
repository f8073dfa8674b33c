-- Centres of a county (or of the country when $lan = '') for one goal and year, with the reference
-- share of the county (or the nation). Suppressed centres have no share and are counted separately.
SELECT
    f.unit_code AS centre_id, f.unit_name AS name, c.kommun_code, c.kommun_name, f.n, f.n_positive, f.share_positive,
    f.suppressed, f.suppression,
    (SELECT share_positive FROM goal_fulfilment r
     WHERE r.year = $year AND r.goal = $goal AND r.segment = 'alla'
       AND r.level = CASE WHEN $lan = '' THEN 'riket' ELSE 'lan' END
       AND r.unit_code = CASE WHEN $lan = '' THEN 'SE' ELSE $lan END) AS reference_share
FROM goal_fulfilment AS f
JOIN centres AS c ON c.centre_id = f.unit_code
WHERE f.level = 'centre' AND f.year = $year AND f.goal = $goal AND f.segment = 'alla'
  AND ($lan = '' OR c.lan_code = $lan)
ORDER BY f.n
