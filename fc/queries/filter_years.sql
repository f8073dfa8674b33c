-- The years the filters offer, newest first: follow-up years up to the latest year with any loaded report
-- (survey, self-reflection, activity), so an empty calendar year is not offered before its files are loaded,
-- with whether a parent survey and a self-reflection were loaded for the year (to say why a year is empty).
WITH reported AS (
    SELECT year FROM survey_response
    UNION SELECT year FROM self_reflection
    UNION SELECT year FROM activity
)
SELECT y.year,
       y.year IN (SELECT year FROM survey_response) AS has_survey,
       y.year IN (SELECT year FROM self_reflection) AS has_self_reflection
FROM follow_up_years AS y
WHERE y.year <= coalesce((SELECT max(year) FROM reported), y.year)
ORDER BY y.year DESC
