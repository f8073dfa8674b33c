-- Answer distribution per survey question for one unit and year. Respondents are pooled as in
-- goal_fulfilment; a question answered by fewer than five respondents in the unit is suppressed.
WITH respondents AS (
    SELECT s.*
    FROM survey_response AS s
    JOIN centres AS c USING (centre_id)
    WHERE s.year = $year
      AND CASE $level
          WHEN 'centre' THEN c.centre_id = $unit
          WHEN 'kommun' THEN c.kommun_code = $unit
          WHEN 'lan' THEN c.lan_code = $unit
          ELSE true
      END
),
answers AS (
    UNPIVOT (SELECT respondent_no, COLUMNS(* EXCLUDE (respondent_no, centre_id, year, response_id, gender, language))
             FROM respondents)
    ON COLUMNS(* EXCLUDE (respondent_no)) INTO NAME item VALUE answer
),
counted AS (
    SELECT item, answer, count(*) AS n_answer, sum(count(*)) OVER (PARTITION BY item) AS n_answered
    FROM answers
    WHERE answer BETWEEN 1 AND 5
    GROUP BY item, answer
)
SELECT
    i.item, i.goal, i.text, i.position, a.answer,
    CAST(c.n_answered AS INTEGER) AS n_answered,
    CASE WHEN c.n_answered >= 5 THEN CAST(coalesce(cc.n_answer, 0) AS INTEGER) END AS n_answer,
    CASE WHEN c.n_answered >= 5 THEN coalesce(cc.n_answer, 0) / c.n_answered END AS share,
    c.n_answered IS NULL OR c.n_answered < 5 AS suppressed
FROM survey_item AS i
CROSS JOIN (SELECT unnest(range(1, 6)) AS answer) AS a
LEFT JOIN (SELECT DISTINCT item, n_answered FROM counted) AS c USING (item)
LEFT JOIN counted AS cc ON cc.item = i.item AND cc.answer = a.answer
ORDER BY i.position, a.answer
