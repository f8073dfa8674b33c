-- Municipalities that do not meet their county's target in a year (the working group's action list):
-- none at all, or only FCLV in a county that counts only FC; with children aged 0–5 from the latest
-- reference year not after the chosen year.
WITH children AS (
    SELECT kommun_code, children, year AS children_year
    FROM children_0_5
    WHERE year <= $year
    QUALIFY row_number() OVER (PARTITION BY kommun_code ORDER BY year DESC) = 1
)
SELECT c.lan_name, c.kommun_code, c.kommun_name, c.status, ch.children, ch.children_year
FROM coverage_kommun AS c
LEFT JOIN children AS ch USING (kommun_code)
WHERE c.year = $year AND NOT c.covered AND ($lan = '' OR c.lan_code = $lan)
ORDER BY ch.children DESC NULLS LAST, c.kommun_name
