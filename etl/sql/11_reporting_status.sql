-- What every active centre has reported for each follow-up year, and whether its annual report
-- arrived by the county's deadline: report_received is activity.report_received (the date the
-- report arrived, from the activity file); report_deadline is county_settings.report_deadline in the
-- year after the follow-up year (29 February falls back to the 28th in other years); on_time is NULL
-- while the arrival date is unknown.
CREATE VIEW reporting_status AS
WITH deadlines AS (
    SELECT
        y.year,
        s.lan_code,
        make_date(
            y.year + 1,
            CAST(left(s.report_deadline, 2) AS INTEGER),
            least(CAST(right(s.report_deadline, 2) AS INTEGER),
                  day(last_day(make_date(y.year + 1, CAST(left(s.report_deadline, 2) AS INTEGER), 1))))
        ) AS report_deadline
    FROM follow_up_years AS y
    CROSS JOIN county_settings AS s
)
SELECT
    a.year,
    a.centre_id,
    CAST(coalesce(s.n_responses, 0) AS INTEGER) AS n_responses,
    r.centre_id IS NOT NULL AS has_self_reflection,
    v.centre_id IS NOT NULL AS has_activity,
    a.name,
    a.centre_type,
    a.kommun_code,
    a.kommun_name,
    a.lan_code,
    a.lan_name,
    v.report_received,
    d.report_deadline,
    v.report_received <= d.report_deadline AS on_time
FROM active_centres AS a
LEFT JOIN (
    SELECT centre_id, year, count(*) AS n_responses FROM survey_response GROUP BY ALL
) AS s USING (centre_id, year)
LEFT JOIN (SELECT DISTINCT centre_id, year FROM self_reflection) AS r USING (centre_id, year)
LEFT JOIN activity AS v USING (centre_id, year)
LEFT JOIN deadlines AS d ON d.year = a.year AND d.lan_code = a.lan_code;
