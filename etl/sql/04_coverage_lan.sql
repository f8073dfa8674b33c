-- Coverage per county and year: municipalities with at least one FC or FCLV, of all.
CREATE VIEW coverage_lan AS
SELECT
    year,
    lan_code,
    lan_name,
    CAST(count(*) AS INTEGER) AS n_kommuner,
    CAST(count(*) FILTER (WHERE status <> 'ingen') AS INTEGER) AS n_covered,
    count(*) FILTER (WHERE status <> 'ingen') / count(*) AS share_covered,
    CAST(sum(n_fc) AS INTEGER) AS n_fc,
    CAST(sum(n_fclv) AS INTEGER) AS n_fclv
FROM coverage_kommun
GROUP BY year, lan_code, lan_name;
