-- Goal fulfilment per year, level (centre, kommun, lan, riket), goal and segment. Higher levels pool
-- respondents; they never average lower-level figures. A respondent is positive when the goal
-- score is at least 4. ci_low/ci_high: 95 % Wilson interval. Groups under five respondents are
-- suppressed: every figure but n is NULL. Materialised: pooling every respondent per query is slow.
CREATE TABLE goal_fulfilment AS
WITH located AS (
    SELECT r.*, c.kommun_code, c.lan_code
    FROM respondent_goal AS r
    JOIN centres AS c USING (centre_id)
),
segmented AS (
    SELECT *, 'alla' AS segment FROM located
    UNION ALL
    SELECT *, gender AS segment FROM located WHERE gender IS NOT NULL
    UNION ALL
    SELECT *, CASE language WHEN 'svenska' THEN 'svenska' ELSE 'annat språk' END AS segment
    FROM located WHERE language IS NOT NULL
),
pooled AS (
    SELECT
        year,
        goal,
        segment,
        CASE
            WHEN GROUPING(centre_id) = 0 THEN 'centre'
            WHEN GROUPING(kommun_code) = 0 THEN 'kommun'
            WHEN GROUPING(lan_code) = 0 THEN 'lan'
            ELSE 'riket'
        END AS level,
        coalesce(centre_id, kommun_code, lan_code, 'SE') AS unit_code,
        CAST(count(*) AS INTEGER) AS n,
        CAST(count(*) FILTER (WHERE goal_score >= 4) AS INTEGER) AS n_positive,
        avg(goal_score) AS mean_score
    FROM segmented
    GROUP BY GROUPING SETS (
        (year, goal, segment, centre_id),
        (year, goal, segment, kommun_code),
        (year, goal, segment, lan_code),
        (year, goal, segment)
    )
),
wilson AS (
    SELECT
        *,
        n_positive / n AS p,
        CAST(n AS DOUBLE) AS nd,
        1.959963984540054 AS z
    FROM pooled
),
named AS (
    SELECT
        w.*,
        CASE w.level
            WHEN 'centre' THEN (SELECT name FROM centre WHERE centre_id = w.unit_code)
            WHEN 'kommun' THEN (SELECT kommun_name FROM kommun WHERE kommun_code = w.unit_code)
            WHEN 'lan' THEN (SELECT lan_name FROM lan WHERE lan_code = w.unit_code)
            ELSE 'Riket'
        END AS unit_name,
        (p + z * z / (2 * nd)) / (1 + z * z / nd) AS centre_of_interval,
        z * sqrt(p * (1 - p) / nd + z * z / (4 * nd * nd)) / (1 + z * z / nd) AS half_width
    FROM wilson AS w
)
SELECT
    year,
    level,
    unit_code,
    unit_name,
    goal,
    segment,
    n,
    CASE WHEN n >= 5 THEN n_positive END AS n_positive,
    CASE WHEN n >= 5 THEN p END AS share_positive,
    CASE WHEN n >= 5 THEN mean_score END AS mean_score,
    CASE WHEN n >= 5 THEN greatest(centre_of_interval - half_width, 0) END AS ci_low,
    CASE WHEN n >= 5 THEN least(centre_of_interval + half_width, 1) END AS ci_high,
    n < 5 AS suppressed
FROM named
ORDER BY year, level, unit_code, goal, segment;
