-- Kommuner utan FC eller FCLV, med antal barn 0–5 år
SELECT c.lan_name, c.kommun_name, b.children AS barn_0_5, b.year AS ar_barn
FROM coverage_kommun AS c
LEFT JOIN children_0_5 AS b ON b.kommun_code = c.kommun_code AND b.year = (SELECT max(year) FROM children_0_5)
WHERE c.year = (SELECT max(year) FROM follow_up_years) AND c.status = 'ingen'
ORDER BY barn_0_5 DESC NULLS LAST
