-- Municipalities by coverage status in a county (or the country) for a year and the year before.
SELECT year, status, CAST(count(*) AS INTEGER) AS n_kommuner, CAST(sum(n_fc) AS INTEGER) AS n_fc,
       CAST(sum(n_fclv) AS INTEGER) AS n_fclv
FROM coverage_kommun
WHERE year IN ($year, $year - 1) AND ($lan = '' OR lan_code = $lan)
GROUP BY year, status
ORDER BY year, status
