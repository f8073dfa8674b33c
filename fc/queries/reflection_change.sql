-- Area scores of one unit this year and the year before, and the change.
WITH areas AS (SELECT area, min(position) AS area_position FROM statement GROUP BY area),
now AS (SELECT area, mean_score FROM self_reflection_area WHERE level = $level AND unit_code = $unit AND year = $year),
before AS (SELECT area, mean_score FROM self_reflection_area WHERE level = $level AND unit_code = $unit AND year = $year - 1)
SELECT a.area, a.area_position, b.mean_score AS score_before, n.mean_score AS score_now,
       n.mean_score - b.mean_score AS change
FROM areas AS a
LEFT JOIN now AS n USING (area)
LEFT JOIN before AS b USING (area)
ORDER BY a.area_position
