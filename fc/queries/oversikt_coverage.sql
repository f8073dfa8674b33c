-- Coverage for one year and scope ('' = no filter on that level): centres by type and municipalities covered.
-- n_covered judges each municipality by its own county's rule (county_settings.coverage_rule), also for
-- the whole country; n_covered_fc and n_covered_fc_or_fclv count by one rule everywhere.
SELECT
    CAST(coalesce(sum(n_fc), 0) AS INTEGER) AS n_fc,
    CAST(coalesce(sum(n_fclv), 0) AS INTEGER) AS n_fclv,
    CAST(count(*) AS INTEGER) AS n_kommuner,
    CAST(count(*) FILTER (WHERE covered) AS INTEGER) AS n_covered,
    CAST(count(*) FILTER (WHERE status = 'FC') AS INTEGER) AS n_covered_fc,
    CAST(count(*) FILTER (WHERE status <> 'ingen') AS INTEGER) AS n_covered_fc_or_fclv
FROM coverage_kommun
WHERE year = $year AND ($lan = '' OR lan_code = $lan) AND ($kommun = '' OR kommun_code = $kommun)
