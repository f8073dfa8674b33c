-- Follow-up years, newest first, with whether any parent survey was loaded for the year.
SELECT y.year, EXISTS (SELECT 1 FROM survey_response s WHERE s.year = y.year) AS has_survey
FROM follow_up_years AS y
ORDER BY y.year DESC
