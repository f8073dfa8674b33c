-- Annual reports of one year in a county ($lan) or the nation ($lan = ''): arrived by the county's deadline,
-- late, or with no arrival date recorded.
SELECT count(*) FILTER (WHERE on_time) AS n_on_time,
       count(*) FILTER (WHERE NOT on_time) AS n_late,
       count(*) FILTER (WHERE on_time IS NULL) AS n_unknown
FROM reporting_status
WHERE year = $year AND ($lan = '' OR lan_code = $lan)
