-- Activity figures (verksamhetsstatistik) of one year per centre in a county ($lan) or the nation ($lan = ''):
-- every centre active that year, and any other centre that reported for it; `reported` false = no row.
WITH reported AS (SELECT * FROM activity WHERE year = $year),
ids AS (SELECT centre_id FROM reporting_status WHERE year = $year UNION SELECT centre_id FROM reported)
SELECT c.lan_code, c.lan_name, c.kommun_code, c.kommun_name, c.centre_id, c.name, c.centre_type,
       a.visits, a.pregnant, a.enrolled_children, a.families_joint_support, a.parent_groups, a.supervision,
       a.centre_id IS NOT NULL AS reported
FROM ids
JOIN centres AS c USING (centre_id)
LEFT JOIN reported AS a USING (centre_id)
WHERE $lan = '' OR c.lan_code = $lan
ORDER BY c.lan_code, c.kommun_name, c.name, c.centre_id
