-- One row per registered centre with its municipality, county and derived type (contract section 2).
-- FC: all four legs. FCLV: two or three legs including BHV and open preschool. Anything else is
-- 'other': kept for data quality, never counted in coverage.
CREATE VIEW centres AS
WITH legs AS (
    SELECT
        *,
        CAST(mhv AS INTEGER) + CAST(bhv AS INTEGER) + CAST(open_preschool AS INTEGER)
            + CAST(social_services AS INTEGER) AS n_legs
    FROM centre
)
SELECT
    l.centre_id,
    l.name,
    l.kommun_code,
    k.kommun_name,
    k.lan_code,
    n.lan_name,
    CASE
        WHEN l.n_legs = 4 THEN 'FC'
        WHEN l.n_legs BETWEEN 2 AND 3 AND l.bhv AND l.open_preschool THEN 'FCLV'
        ELSE 'other'
    END AS centre_type,
    l.mhv,
    l.bhv,
    l.open_preschool,
    l.social_services,
    l.opened,
    l.closed,
    l.lat,
    l.lon,
    l.opened_year,
    l.closed_year,
    l.n_legs,
    l.coordinator,
    l.steering_group,
    l.agreement
FROM legs AS l
JOIN kommun AS k USING (kommun_code)
JOIN lan AS n USING (lan_code);
