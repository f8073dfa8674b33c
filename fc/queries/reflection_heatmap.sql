-- Self-reflection scores per statement for the heatmap: centres of the scope as columns for one
-- year, the years as columns for one centre, or the counties (mean of their centres) for the nation.
-- column_detail (a centre's municipality) tells apart two centres of the same name.
WITH scored AS (
    SELECT s.year, s.centre_id, c.name, c.kommun_code, c.kommun_name, c.lan_code, c.lan_name, s.statement_id, s.score,
           s.n_staff
    FROM self_reflection AS s
    JOIN centres AS c USING (centre_id)
),
columns AS (
    SELECT statement_id, CAST(year AS VARCHAR) AS column_label, CAST(year AS VARCHAR) AS column_key,
           CAST(NULL AS VARCHAR) AS column_detail, score, n_staff
    FROM scored WHERE $level = 'centre' AND centre_id = $unit
    UNION ALL
    SELECT statement_id, name, centre_id, kommun_name, score, n_staff
    FROM scored
    WHERE $level IN ('kommun', 'lan') AND year = $year
      AND (($level = 'kommun' AND kommun_code = $unit) OR ($level = 'lan' AND lan_code = $unit))
    UNION ALL
    SELECT statement_id, any_value(lan_name), lan_code, NULL, avg(score), NULL
    FROM scored WHERE $level = 'riket' AND year = $year
    GROUP BY statement_id, lan_code
)
SELECT st.area, st.statement_id, st.title, st.text, st.position,
       min(st.position) OVER (PARTITION BY st.area) AS area_position,
       c.column_label, c.column_key, c.column_detail, c.score, c.n_staff
FROM columns AS c
JOIN statement AS st USING (statement_id)
ORDER BY st.position, c.column_key
