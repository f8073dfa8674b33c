-- Täckning per län det senaste året
SELECT lan_name, n_covered, n_kommuner, round(100 * share_covered, 1) AS procent_tackta
FROM coverage_lan
WHERE year = (SELECT max(year) FROM follow_up_years)
ORDER BY share_covered DESC
