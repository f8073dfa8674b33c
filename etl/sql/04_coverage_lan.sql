-- Coverage per county and year: municipalities covered by the county's own rule (n_covered,
-- share_covered), and by either rule (n_covered_fc: a family centre; n_covered_fc_or_fclv: a family
-- centre or a family-centre-like service), with the county's target wording.
CREATE VIEW coverage_lan AS
SELECT
    c.year,
    c.lan_code,
    c.lan_name,
    CAST(count(*) AS INTEGER) AS n_kommuner,
    CAST(count(*) FILTER (WHERE c.covered) AS INTEGER) AS n_covered,
    count(*) FILTER (WHERE c.covered) / count(*) AS share_covered,
    CAST(sum(c.n_fc) AS INTEGER) AS n_fc,
    CAST(sum(c.n_fclv) AS INTEGER) AS n_fclv,
    CAST(count(*) FILTER (WHERE c.status = 'FC') AS INTEGER) AS n_covered_fc,
    CAST(count(*) FILTER (WHERE c.status <> 'ingen') AS INTEGER) AS n_covered_fc_or_fclv,
    s.coverage_rule,
    s.target_text
FROM coverage_kommun AS c
JOIN county_settings AS s USING (lan_code)
GROUP BY c.year, c.lan_code, c.lan_name, s.coverage_rule, s.target_text;
