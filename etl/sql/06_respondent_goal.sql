-- One row per respondent and goal: the mean of the respondent's valid answers (1..5) to the goal's
-- items. Respondents with no valid answer to a goal get no row for it. A view: goal_cell pools the
-- same scores straight from the wide survey row, so the build never reads it.
-- The goal scores are generated from survey_item at build time (etl/load.py: goal_sql): one column
-- per goal, named by the goal's number, the sum of the goal's answered items over their number.
CREATE VIEW respondent_goal AS
SELECT respondent_no, centre_id, year, response_id, gender, language, CAST(goal AS INTEGER) AS goal, goal_score
FROM (
    UNPIVOT (
        SELECT respondent_no, centre_id, year, response_id, gender, language, /*@goal_scores*/
        FROM survey_response
    )
    ON COLUMNS(* EXCLUDE (respondent_no, centre_id, year, response_id, gender, language))
    INTO NAME goal VALUE goal_score
);
