-- Goal fulfilment's raw cells, before disclosure control: per year, level (centre, kommun, lan, riket),
-- goal and segment, the number of respondents, of positive respondents (goal score >= 4) and the sum
-- of goal scores. PRIVATE: small groups are not hidden here. etl/disclosure.py decides from these
-- cells which ones goal_fulfilment publishes; pages and the console never read this table.
-- Besides the published segments it holds the groups without a gender ('okänt kön') or a language
-- ('okänt språk'): never published, but any reader can count them (all minus the others), so
-- disclosure control must treat them as hidden cells of the same sums.
CREATE TABLE goal_cell AS
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
    SELECT *, coalesce(gender, 'okänt kön') AS segment FROM cells
    UNION ALL
    SELECT *, CASE WHEN language IS NULL THEN 'okänt språk' WHEN language = 'svenska' THEN 'svenska'
                   ELSE 'annat språk' END AS segment
    FROM cells
)
SELECT
    year,
    goal,
    CASE
        WHEN GROUPING(centre_id) = 0 THEN 'centre'
        WHEN GROUPING(kommun_code) = 0 THEN 'kommun'
        WHEN GROUPING(lan_code) = 0 THEN 'lan'
        ELSE 'riket'
    END AS level,
    coalesce(centre_id, kommun_code, lan_code, 'SE') AS unit_code,
    -- The unit this one adds up into: a centre's municipality, a municipality's county, the nation.
    CASE WHEN GROUPING(centre_id) = 0 THEN kommun_code WHEN GROUPING(kommun_code) = 0 THEN lan_code
         WHEN GROUPING(lan_code) = 0 THEN 'SE' END AS parent_code,
    segment,
    CAST(sum(n) AS INTEGER) AS n,
    CAST(sum(n_positive) AS INTEGER) AS n_positive,
    sum(score_sum) AS score_sum
FROM segmented
GROUP BY GROUPING SETS (
    (year, goal, segment, centre_id, kommun_code, lan_code),
    (year, goal, segment, kommun_code, lan_code),
    (year, goal, segment, lan_code),
    (year, goal, segment)
);

-- Answers per survey question, answer (1..5), year and unit (all respondents), before disclosure
-- control. One scan of the survey: a histogram per question column per centre and year.
CREATE TABLE item_cell AS
WITH per_centre AS (
    UNPIVOT (
        SELECT centre_id, year,
               histogram(COLUMNS(* EXCLUDE (respondent_no, centre_id, year, response_id, gender, language)))
        FROM survey_response
        GROUP BY centre_id, year
    )
    ON COLUMNS(* EXCLUDE (centre_id, year))
    INTO NAME item VALUE counts
),
answers AS (
    SELECT p.centre_id, p.year, p.item, CAST(e.key AS INTEGER) AS answer, e.value AS n_answer
    FROM per_centre AS p, unnest(map_entries(p.counts)) AS t(e)
    WHERE e.key BETWEEN 1 AND 5
)
SELECT
    a.year,
    CASE
        WHEN GROUPING(a.centre_id) = 0 THEN 'centre'
        WHEN GROUPING(c.kommun_code) = 0 THEN 'kommun'
        WHEN GROUPING(c.lan_code) = 0 THEN 'lan'
        ELSE 'riket'
    END AS level,
    coalesce(a.centre_id, c.kommun_code, c.lan_code, 'SE') AS unit_code,
    a.item,
    a.answer,
    CAST(sum(a.n_answer) AS INTEGER) AS n_answer
FROM answers AS a
JOIN centres AS c USING (centre_id)
GROUP BY GROUPING SETS (
    (a.year, a.item, a.answer, a.centre_id, c.kommun_code, c.lan_code),
    (a.year, a.item, a.answer, c.kommun_code, c.lan_code),
    (a.year, a.item, a.answer, c.lan_code),
    (a.year, a.item, a.answer)
);

-- Respondents who answered each question (1..5) per year and unit: disclosure control's item rule
-- and item_distribution both read it.
CREATE TABLE item_answered AS
SELECT year, level, unit_code, item, CAST(sum(n_answer) AS INTEGER) AS n_answered
FROM item_cell
GROUP BY ALL;
