-- The follow-up years every year-based view covers: from the earliest year in any loaded report
-- file (survey, self-reflection, activity) to the later of the latest such year and the build's
-- calendar year, without gaps, so a year slider never skips a year.
CREATE VIEW follow_up_years AS
WITH reported AS (
    SELECT year FROM survey_response
    UNION SELECT year FROM self_reflection
    UNION SELECT year FROM activity
),
bounds AS (
    SELECT
        coalesce(min(year), current_year) AS first_year,
        greatest(coalesce(max(year), current_year), current_year) AS last_year
    FROM reported,
        (SELECT CAST(value AS INTEGER) AS current_year FROM build_info WHERE key = 'current_year')
    GROUP BY current_year
)
SELECT CAST(unnest(range(first_year, last_year + 1)) AS INTEGER) AS year FROM bounds;

-- A centre is active in year Y when it opened in or before Y and has not closed by Y.
CREATE VIEW active_centres AS
SELECT y.year, c.*
FROM follow_up_years AS y
JOIN centres AS c
    ON (c.opened_year IS NULL OR c.opened_year <= y.year)
   AND (c.closed_year IS NULL OR c.closed_year > y.year);
