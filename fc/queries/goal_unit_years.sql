-- Goal fulfilment (all respondents) of one unit for a year and the year before, with the goal names.
SELECT f.year, f.goal, g.short_name, g.text AS goal_text, f.n, f.n_positive, f.share_positive,
       f.ci_low, f.ci_high, f.suppressed, f.suppression
FROM goal_fulfilment AS f
JOIN goal AS g USING (goal)
WHERE f.level = $level AND f.unit_code = $unit AND f.segment = 'alla' AND f.year IN ($year, $year - 1)
ORDER BY f.goal, f.year
