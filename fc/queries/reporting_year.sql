-- What each active centre in the scope reported for one year ('' = no filter on that level).
-- on_time: the annual report arrived by the county's deadline (NULL = arrival date unknown).
-- Status: Komplett = survey, self-reflection and activity figures; Delvis = some; Saknas = none.
SELECT year, centre_id, name, centre_type, kommun_code, kommun_name, lan_code, lan_name,
       n_responses, has_self_reflection, has_activity, report_received, report_deadline, on_time,
       CASE
           WHEN n_responses > 0 AND has_self_reflection AND has_activity THEN 'Komplett'
           WHEN n_responses > 0 OR has_self_reflection OR has_activity THEN 'Delvis'
           ELSE 'Saknas'
       END AS status
FROM reporting_status
WHERE year = $year AND ($lan = '' OR lan_code = $lan) AND ($kommun = '' OR kommun_code = $kommun)
  AND ($centre = '' OR centre_id = $centre)
ORDER BY lan_code, kommun_name, name
