-- Coverage per municipality and year: every one of the 290 municipalities, every follow-up year.
-- `status` says what exists (FC, only FCLV, none); `covered` judges it by the county's own rule
-- (county_settings.coverage_rule): in an 'fc' county only a family centre covers a municipality.
CREATE VIEW coverage_kommun AS
WITH counts AS (
    SELECT
        year,
        kommun_code,
        count(*) FILTER (WHERE centre_type = 'FC') AS n_fc,
        count(*) FILTER (WHERE centre_type = 'FCLV') AS n_fclv
    FROM active_centres
    GROUP BY year, kommun_code
),
statuses AS (
    SELECT
        y.year,
        k.kommun_code,
        k.kommun_name,
        k.lan_code,
        n.lan_name,
        CAST(coalesce(c.n_fc, 0) AS INTEGER) AS n_fc,
        CAST(coalesce(c.n_fclv, 0) AS INTEGER) AS n_fclv,
        CASE
            WHEN coalesce(c.n_fc, 0) >= 1 THEN 'FC'
            WHEN coalesce(c.n_fclv, 0) >= 1 THEN 'FCLV'
            ELSE 'ingen'
        END AS status,
        s.coverage_rule
    FROM follow_up_years AS y
    CROSS JOIN kommun AS k
    JOIN lan AS n USING (lan_code)
    JOIN county_settings AS s USING (lan_code)
    LEFT JOIN counts AS c ON c.year = y.year AND c.kommun_code = k.kommun_code
)
SELECT
    year, kommun_code, kommun_name, lan_code, lan_name, n_fc, n_fclv, status, coverage_rule,
    CASE coverage_rule WHEN 'fc' THEN status = 'FC' ELSE status <> 'ingen' END AS covered
FROM statuses;
