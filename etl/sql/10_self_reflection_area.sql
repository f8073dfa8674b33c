-- Self-reflection per area. A centre's area score is the mean of its statement scores in the area;
-- kommun, lan and riket are the mean of the centre area scores, each centre counting once.
CREATE VIEW self_reflection_area AS
WITH centre_area AS (
    SELECT
        s.year,
        s.centre_id,
        c.name,
        c.kommun_code,
        c.kommun_name,
        c.lan_code,
        c.lan_name,
        st.area,
        avg(s.score) AS mean_score
    FROM self_reflection AS s
    JOIN statement AS st USING (statement_id)
    JOIN centres AS c USING (centre_id)
    GROUP BY ALL
)
SELECT year, 'centre' AS level, centre_id AS unit_code, name AS unit_name, area, mean_score, 1 AS n_centres
FROM centre_area
UNION ALL
SELECT year, 'kommun', kommun_code, kommun_name, area, avg(mean_score), CAST(count(*) AS INTEGER)
FROM centre_area GROUP BY year, kommun_code, kommun_name, area
UNION ALL
SELECT year, 'lan', lan_code, lan_name, area, avg(mean_score), CAST(count(*) AS INTEGER)
FROM centre_area GROUP BY year, lan_code, lan_name, area
UNION ALL
SELECT year, 'riket', 'SE', 'Riket', area, avg(mean_score), CAST(count(*) AS INTEGER)
FROM centre_area GROUP BY year, area;
