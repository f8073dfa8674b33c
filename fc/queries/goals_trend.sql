-- Goal fulfilment of one unit over all years (all respondents).
SELECT f.year, f.goal, g.short_name, f.n, f.n_positive, f.share_positive, f.ci_low, f.ci_high, f.suppressed, f.suppression
FROM goal_fulfilment AS f
JOIN goal AS g USING (goal)
WHERE f.level = $level AND f.unit_code = $unit AND f.segment = 'alla'
ORDER BY f.goal, f.year
