-- The five goals of the guideline in full wording, and how many questions of the loaded instrument each has.
SELECT g.goal, g.short_name, g.text, count(i.item) AS n_items
FROM goal AS g
LEFT JOIN survey_item AS i USING (goal)
GROUP BY ALL
ORDER BY g.goal
