-- Coverage for one year and scope ('' = whole country): centres by type and municipalities covered.
SELECT
    CAST(sum(n_fc) AS INTEGER) AS n_fc,
    CAST(sum(n_fclv) AS INTEGER) AS n_fclv,
    CAST(count(*) AS INTEGER) AS n_kommuner,
    CAST(count(*) FILTER (WHERE status <> 'ingen') AS INTEGER) AS n_covered
FROM coverage_kommun
WHERE year = $year AND ($lan = '' OR lan_code = $lan)
