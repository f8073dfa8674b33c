-- Per county, for one year: its municipalities, how many have an FC or an FC/FCLV, and the active centres
-- per type (FC, FCLV and centres that meet neither definition).
WITH kommuner AS (
    SELECT lan_code, any_value(lan_name) AS lan_name, count(*) AS n_kommuner,
           count(*) FILTER (WHERE n_fc > 0) AS kommuner_fc,
           count(*) FILTER (WHERE n_fc + n_fclv > 0) AS kommuner_fc_or_fclv,
           sum(n_fc) AS n_fc, sum(n_fclv) AS n_fclv
    FROM coverage_kommun
    WHERE year = $year AND ($lan = '' OR lan_code = $lan)
    GROUP BY lan_code
),
other AS (
    SELECT lan_code, count(*) AS n_other FROM reporting_status WHERE year = $year AND centre_type = 'other' GROUP BY lan_code
)
SELECT k.lan_code, k.lan_name, k.n_kommuner, k.kommuner_fc, k.kommuner_fc_or_fclv,
       CAST(k.n_fc AS INTEGER) AS n_fc, CAST(k.n_fclv AS INTEGER) AS n_fclv,
       CAST(coalesce(o.n_other, 0) AS INTEGER) AS n_other
FROM kommuner AS k
LEFT JOIN other AS o USING (lan_code)
ORDER BY k.lan_code
