-- Coverage per municipality and year: every one of the 290 municipalities, every follow-up year.
CREATE VIEW coverage_kommun AS
WITH counts AS (
    SELECT
        year,
        kommun_code,
        count(*) FILTER (WHERE centre_type = 'FC') AS n_fc,
        count(*) FILTER (WHERE centre_type = 'FCLV') AS n_fclv
    FROM active_centres
    GROUP BY year, kommun_code
)
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
    END AS status
FROM follow_up_years AS y
CROSS JOIN kommun AS k
JOIN lan AS n USING (lan_code)
LEFT JOIN counts AS c ON c.year = y.year AND c.kommun_code = k.kommun_code;
