-- Share of municipalities meeting each county's own target per county for one year, best covered first.
SELECT lan_code, lan_name, n_kommuner, n_covered, share_covered, n_fc, n_fclv, n_covered_fc, n_covered_fc_or_fclv,
       coverage_rule, target_text
FROM coverage_lan
WHERE year = $year
ORDER BY share_covered DESC, lan_name
