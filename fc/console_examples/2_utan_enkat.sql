-- Aktiva verksamheter utan föräldraenkät i fjol
SELECT lan_name, kommun_name, name, has_self_reflection, has_activity
FROM reporting_status
WHERE year = (SELECT max(year) - 1 FROM follow_up_years) AND n_responses = 0
ORDER BY lan_name, kommun_name
