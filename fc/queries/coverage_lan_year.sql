-- Share of municipalities covered per county for one year, best covered first.
SELECT lan_code, lan_name, n_kommuner, n_covered, share_covered, n_fc, n_fclv
FROM coverage_lan
WHERE year = $year
ORDER BY share_covered DESC, lan_name
