-- Coverage status per municipality for one year and scope ('' = whole country), with children 0–5
-- from the latest reference year not after the chosen year.
WITH children AS (
    SELECT kommun_code, children, year AS children_year, source AS children_source
    FROM children_0_5
    WHERE year <= $year
    QUALIFY row_number() OVER (PARTITION BY kommun_code ORDER BY year DESC) = 1
)
SELECT
    c.kommun_code, c.kommun_name, c.lan_code, c.lan_name, c.n_fc, c.n_fclv, c.status,
    ch.children, ch.children_year, ch.children_source,
    CASE WHEN c.n_fc + c.n_fclv > 0 THEN ch.children / (c.n_fc + c.n_fclv) END AS children_per_centre
FROM coverage_kommun AS c
LEFT JOIN children AS ch USING (kommun_code)
WHERE c.year = $year AND ($lan = '' OR c.lan_code = $lan)
ORDER BY c.kommun_code
