-- Reporting per county for one year: active centres, how many sent each report, and how many annual
-- reports arrived by the county's deadline (report_deadline) or after it.
SELECT lan_code, lan_name,
       CAST(count(*) AS INTEGER) AS n_active,
       CAST(count(*) FILTER (WHERE n_responses > 0) AS INTEGER) AS n_survey,
       CAST(count(*) FILTER (WHERE has_self_reflection) AS INTEGER) AS n_self_reflection,
       CAST(count(*) FILTER (WHERE has_activity) AS INTEGER) AS n_activity,
       CAST(count(*) FILTER (WHERE n_responses > 0 AND has_self_reflection AND has_activity) AS INTEGER) AS n_complete,
       CAST(count(*) FILTER (WHERE on_time) AS INTEGER) AS n_on_time,
       CAST(count(*) FILTER (WHERE NOT on_time) AS INTEGER) AS n_late,
       min(report_deadline) AS report_deadline
FROM reporting_status
WHERE year = $year AND ($lan = '' OR lan_code = $lan)
GROUP BY lan_code, lan_name
ORDER BY lan_code
