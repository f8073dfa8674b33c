-- Answer distribution per survey question for one unit and year (all respondents), as published in
-- item_distribution: hidden wherever goal_fulfilment hides the question's goal for the unit.
SELECT d.item, d.goal, i.text, d.position, d.answer, d.n_answered, d.n_answer, d.share, d.suppressed, d.suppression
FROM item_distribution AS d
JOIN survey_item AS i USING (item)
WHERE d.year = $year AND d.level = $level AND d.unit_code = $unit
ORDER BY d.position, d.answer
