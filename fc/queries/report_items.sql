-- One row per survey question for one unit and year: its text, goal, how many answered and the share of
-- each answer 1..5 (NULL where item_distribution hides the question for the unit).
SELECT i.position, i.item, i.goal, i.text,
       any_value(d.n_answered) AS n_answered,
       max(d.share) FILTER (WHERE d.answer = 1) AS share_1,
       max(d.share) FILTER (WHERE d.answer = 2) AS share_2,
       max(d.share) FILTER (WHERE d.answer = 3) AS share_3,
       max(d.share) FILTER (WHERE d.answer = 4) AS share_4,
       max(d.share) FILTER (WHERE d.answer = 5) AS share_5,
       bool_or(d.suppressed) AS suppressed,
       any_value(d.suppression) AS suppression
FROM item_distribution AS d
JOIN survey_item AS i USING (item)
WHERE d.year = $year AND d.level = $level AND d.unit_code = $unit
GROUP BY i.position, i.item, i.goal, i.text
ORDER BY i.position
