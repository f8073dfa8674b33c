-- Official statistics (real public data, bundled under data/reference/, also in a demo build):
-- open preschools in a family centre and in total (Skolverket via Kolada), children 0–5 and births
-- (SCB via Kolada), per municipality and year, and summed per county and for the nation.
-- An empty source cell stays NULL: a sum over only empty cells is NULL, never 0.
CREATE VIEW official_kommun_year AS
SELECT
    k.kommun_code, k.kommun_name, k.lan_code, l.lan_name, o.year,
    o.in_family_centre, o.total,
    ch.children AS children_0_5, b.births
FROM official_open_preschool AS o
JOIN kommun AS k USING (kommun_code)
JOIN lan AS l USING (lan_code)
LEFT JOIN children_0_5 AS ch ON ch.kommun_code = o.kommun_code AND ch.year = o.year
LEFT JOIN official_births AS b ON b.kommun_code = o.kommun_code AND b.year = o.year;

CREATE VIEW official_unit_year AS
WITH grouped AS (
    SELECT
        CASE WHEN GROUPING(lan_code) = 1 THEN 'riket' WHEN GROUPING(kommun_code) = 1 THEN 'lan' ELSE 'kommun' END AS level,
        CASE WHEN GROUPING(lan_code) = 1 THEN 'SE' WHEN GROUPING(kommun_code) = 1 THEN lan_code ELSE kommun_code END
            AS unit_code,
        lan_code, year,
        sum(in_family_centre) AS in_family_centre,
        sum(total) AS total,
        count(*) AS kommuner,
        count(*) FILTER (WHERE in_family_centre > 0) AS kommuner_with_fc,
        count(in_family_centre) AS kommuner_reported_fc,
        count(total) AS kommuner_reported_total,
        sum(children_0_5) AS children_0_5,
        sum(births) AS births
    FROM official_kommun_year
    GROUP BY GROUPING SETS ((year), (year, lan_code), (year, lan_code, kommun_code))
)
SELECT g.level, g.unit_code, u.unit_name, g.lan_code, g.year, g.in_family_centre, g.total, g.kommuner,
       g.kommuner_with_fc, g.kommuner_reported_fc, g.kommuner_reported_total, g.children_0_5, g.births
FROM grouped AS g
JOIN units AS u ON u.level = g.level AND u.unit_code = g.unit_code;
