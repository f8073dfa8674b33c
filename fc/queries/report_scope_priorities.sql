-- The priorities recorded by the centres of a county ($lan) or the nation ($lan = '') for a year, with how they went.
SELECT c.lan_code, c.lan_name, c.kommun_name, c.name, p.centre_id, p.year, p.rank, p.area, p.goal, p.outcome
FROM centre_priority AS p
JOIN centres AS c USING (centre_id)
WHERE p.year = $year AND ($lan = '' OR c.lan_code = $lan)
ORDER BY c.lan_code, c.kommun_name, c.name, p.centre_id, p.rank
