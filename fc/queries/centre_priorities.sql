-- One centre's priorities for a year (chosen the year before, Bilaga 5 steg IV) with how they went
-- (steg V), beside that year's and the year before's results in the area: the centre's self-reflection
-- area score (1 = behöver utvecklas … 6 = fungerar) or, for 'Mål N', the parents' share positive on the
-- goal (hidden cells stay hidden: share_positive is NULL and suppression says why).
WITH chosen AS (
    SELECT year, rank, area, goal AS measurable_goal, outcome,
           CASE WHEN regexp_full_match(area, 'Mål [1-5]') THEN CAST(right(area, 1) AS INTEGER) END AS goal_no
    FROM centre_priority
    WHERE centre_id = $centre AND year = $year
)
SELECT
    c.year, c.rank, c.area, g.short_name AS goal_name, c.measurable_goal, c.outcome,
    r_now.mean_score AS area_score, r_before.mean_score AS area_score_before,
    f_now.share_positive, f_now.suppression, f_before.share_positive AS share_positive_before,
    f_before.suppression AS suppression_before
FROM chosen AS c
LEFT JOIN goal AS g ON g.goal = c.goal_no
LEFT JOIN self_reflection_area AS r_now
    ON r_now.level = 'centre' AND r_now.unit_code = $centre AND r_now.year = c.year AND r_now.area = c.area
LEFT JOIN self_reflection_area AS r_before
    ON r_before.level = 'centre' AND r_before.unit_code = $centre AND r_before.year = c.year - 1
   AND r_before.area = c.area
LEFT JOIN goal_fulfilment AS f_now
    ON f_now.level = 'centre' AND f_now.unit_code = $centre AND f_now.year = c.year AND f_now.goal = c.goal_no
   AND f_now.segment = 'alla'
LEFT JOIN goal_fulfilment AS f_before
    ON f_before.level = 'centre' AND f_before.unit_code = $centre AND f_before.year = c.year - 1
   AND f_before.goal = c.goal_no AND f_before.segment = 'alla'
ORDER BY c.rank
