-- What a priority may be about: the self-reflection areas in catalogue order, then the goals as 'Mål N'.
SELECT area, min(position) AS position, area AS label FROM statement GROUP BY area
UNION ALL
SELECT 'Mål ' || goal, 1000 + goal, 'Mål ' || goal || ': ' || short_name FROM goal
ORDER BY position
