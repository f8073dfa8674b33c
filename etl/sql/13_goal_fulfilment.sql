-- Goal fulfilment per year, level (centre, kommun, lan, riket), goal and segment: the published cells
-- of goal_cell. A respondent is positive when the goal score is at least 4; ci_low/ci_high is the
-- 95 % Wilson interval. A cell in goal_suppression (decided by etl/disclosure.py) is hidden: every
-- figure but n is NULL, `suppression` says why: 'primary' (fewer than five respondents, or a goal
-- question answered by fewer than five) or 'secondary' (hidden so that no small group can be worked
-- out by subtraction from the published cells).
CREATE TABLE goal_fulfilment AS
WITH wilson AS (
    SELECT
        c.*,
        s.suppression,
        c.n_positive / c.n AS p,
        CAST(c.n AS DOUBLE) AS nd,
        1.959963984540054 AS z
    FROM goal_cell AS c
    LEFT JOIN goal_suppression AS s USING (year, goal, level, unit_code, segment)
    WHERE c.segment NOT IN ('okänt kön', 'okänt språk')
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
    CASE WHEN b.suppression IS NULL THEN b.n_positive END AS n_positive,
    CASE WHEN b.suppression IS NULL THEN b.p END AS share_positive,
    CASE WHEN b.suppression IS NULL THEN b.score_sum / b.n END AS mean_score,
    CASE WHEN b.suppression IS NULL THEN greatest(b.centre_of_interval - b.half_width, 0) END AS ci_low,
    CASE WHEN b.suppression IS NULL THEN least(b.centre_of_interval + b.half_width, 1) END AS ci_high,
    b.suppression IS NOT NULL AS suppressed,
    b.suppression
FROM bounds AS b
JOIN units AS u USING (level, unit_code)
ORDER BY b.year, b.level, b.unit_code, b.goal, b.segment;

-- Answers per survey question (all respondents) per year and unit, published with the unit's goal
-- cell: hidden exactly where goal_fulfilment hides the question's goal for all respondents, so the
-- answers never reveal what the goal's figures hide. A hidden unit's n_answered is hidden too: how
-- many of a small group answered "vet ej" to a question is an answer.
CREATE TABLE item_distribution AS
WITH per_item AS (
    -- One row per published unit and question, its five answer counts as a list (answer k at [k]).
    SELECT
        f.year, f.level, f.unit_code, f.unit_name, i.goal, i.item, i.position, f.suppressed, f.suppression,
        CASE WHEN NOT f.suppressed THEN coalesce(c.n_answered, 0) END AS n_answered,
        CASE WHEN NOT f.suppressed THEN [coalesce(c.n_1, 0), coalesce(c.n_2, 0), coalesce(c.n_3, 0),
                                         coalesce(c.n_4, 0), coalesce(c.n_5, 0)] END AS counts
    FROM goal_fulfilment AS f
    JOIN survey_item AS i ON i.goal = f.goal
    LEFT JOIN item_cell AS c ON c.year = f.year AND c.level = f.level AND c.unit_code = f.unit_code AND c.item = i.item
    WHERE f.segment = 'alla'
),
per_answer AS (
    SELECT *, unnest(range(1, 6)) AS answer FROM per_item
)
SELECT
    year, level, unit_code, unit_name, goal, item, position, answer, n_answered,
    counts[answer] AS n_answer,
    CASE WHEN n_answered > 0 THEN counts[answer] / n_answered END AS share,
    suppressed,
    suppression
FROM per_answer
ORDER BY year, level, unit_code, position, answer;
