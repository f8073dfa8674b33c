-- Goal fulfilment of one unit and year by gender and by language; the third gender is stored as 'annat'
-- (the data contract) and labelled 'annan' as the guideline's template does.
SELECT f.goal, g.short_name, f.segment, CASE f.segment WHEN 'annat' THEN 'annan' ELSE f.segment END AS grupp,
       CASE WHEN f.segment IN ('svenska', 'annat språk') THEN 'Språk' ELSE 'Kön' END AS breakdown,
       f.n, f.n_positive, f.share_positive, f.ci_low, f.ci_high, f.suppressed, f.suppression
FROM goal_fulfilment AS f
JOIN goal AS g USING (goal)
WHERE f.level = $level AND f.unit_code = $unit AND f.year = $year AND f.segment <> 'alla'
ORDER BY f.goal, breakdown, f.segment
