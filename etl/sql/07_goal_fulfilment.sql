-- Goal fulfilment per year, level (centre, kommun, lan, riket), goal and segment. Higher levels pool
-- respondents; they never average lower-level figures. A respondent is positive when the goal
-- score is at least 4. ci_low/ci_high: 95 % Wilson interval. Groups under five respondents are
-- suppressed: every figure but n is NULL. Materialised: pooling every respondent per query is slow.
CREATE TABLE goal_fulfilment AS
WITH cells AS (
    -- Counts and score sums are additive, so pooling these cells is exactly pooling the respondents.
    SELECT
        r.year, r.goal, r.gender, r.language, r.centre_id, c.kommun_code, c.lan_code,
        count(*) AS n,
        count(*) FILTER (WHERE r.goal_score >= 4) AS n_positive,
        sum(r.goal_score) AS score_sum
    FROM respondent_goal AS r
    JOIN centres AS c USING (centre_id)
    GROUP BY ALL
),
segmented AS (
    SELECT *, 'alla' AS segment FROM cells
    UNION ALL
    SELECT *, gender AS segment FROM cells WHERE gender IS NOT NULL
    UNION ALL
    SELECT *, CASE language WHEN 'svenska' THEN 'svenska' ELSE 'annat språk' END AS segment
    FROM cells WHERE language IS NOT NULL
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
        CAST(sum(n) AS INTEGER) AS n,
        CAST(sum(n_positive) AS INTEGER) AS n_positive,
        sum(score_sum) / sum(n) AS mean_score
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
bounds AS (
    SELECT
        *,
        (p + z * z / (2 * nd)) / (1 + z * z / nd) AS centre_of_interval,
        z * sqrt(p * (1 - p) / nd + z * z / (4 * nd * nd)) / (1 + z * z / nd) AS half_width
    FROM wilson
)
SELECT
    b.year,
    b.level,
    b.unit_code,
    u.unit_name,
    b.goal,
    b.segment,
    b.n,
    CASE WHEN b.n >= 5 THEN b.n_positive END AS n_positive,
    CASE WHEN b.n >= 5 THEN b.p END AS share_positive,
    CASE WHEN b.n >= 5 THEN b.mean_score END AS mean_score,
    CASE WHEN b.n >= 5 THEN greatest(b.centre_of_interval - b.half_width, 0) END AS ci_low,
    CASE WHEN b.n >= 5 THEN least(b.centre_of_interval + b.half_width, 1) END AS ci_high,
    b.n < 5 AS suppressed
FROM bounds AS b
JOIN units AS u USING (level, unit_code)
ORDER BY b.year, b.level, b.unit_code, b.goal, b.segment;
