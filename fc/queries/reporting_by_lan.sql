-- Reporting per county for one year: active centres and how many sent each report.
SELECT lan_code, lan_name,
       CAST(count(*) AS INTEGER) AS n_active,
       CAST(count(*) FILTER (WHERE n_responses > 0) AS INTEGER) AS n_survey,
       CAST(count(*) FILTER (WHERE has_self_reflection) AS INTEGER) AS n_self_reflection,
       CAST(count(*) FILTER (WHERE has_activity) AS INTEGER) AS n_activity,
       CAST(count(*) FILTER (WHERE n_responses > 0 AND has_self_reflection AND has_activity) AS INTEGER) AS n_complete
FROM reporting_status
WHERE year = $year AND ($lan = '' OR lan_code = $lan)
GROUP BY lan_code, lan_name
ORDER BY lan_code
