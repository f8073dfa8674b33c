-- What every active centre has reported for each follow-up year.
CREATE VIEW reporting_status AS
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
    a.lan_name
FROM active_centres AS a
LEFT JOIN (
    SELECT centre_id, year, count(*) AS n_responses FROM survey_response GROUP BY ALL
) AS s USING (centre_id, year)
LEFT JOIN (SELECT DISTINCT centre_id, year FROM self_reflection) AS r USING (centre_id, year)
LEFT JOIN activity AS v USING (centre_id, year);
