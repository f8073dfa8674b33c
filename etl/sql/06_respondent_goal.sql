-- One row per respondent and goal: the mean of the respondent's valid answers (1..5) to the goal's
-- items. Respondents with no valid answer to a goal get no row for it. A view: the build reads it
-- once, into goal_fulfilment's additive cells, so storing its 3 million rows would only cost time.
CREATE VIEW respondent_goal AS
WITH answers AS (
    UNPIVOT (
        SELECT respondent_no, COLUMNS(* EXCLUDE (respondent_no, centre_id, year, response_id, gender, language))
        FROM survey_response
    )
    ON COLUMNS(* EXCLUDE (respondent_no))
    INTO NAME item VALUE answer
),
scores AS (
    SELECT a.respondent_no, i.goal, avg(a.answer) AS goal_score
    FROM answers AS a
    JOIN survey_item AS i USING (item)
    WHERE a.answer BETWEEN 1 AND 5
    GROUP BY a.respondent_no, i.goal
)
SELECT r.respondent_no, r.centre_id, r.year, r.response_id, r.gender, r.language, s.goal, s.goal_score
FROM scores AS s
JOIN survey_response AS r USING (respondent_no);
