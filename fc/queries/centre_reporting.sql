-- What one centre reported each follow-up year while it was active.
SELECT year, n_responses, has_self_reflection, has_activity, report_received, report_deadline, on_time
FROM reporting_status
WHERE centre_id = $centre
ORDER BY year DESC
