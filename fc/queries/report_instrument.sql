-- The survey questions loaded in this database (the bundled example instrument or a county's own).
SELECT item, goal, text, position FROM survey_item ORDER BY position
