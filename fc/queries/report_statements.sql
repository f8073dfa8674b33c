-- One centre's self-reflection per statement for one year: the agreed score, antal svarande and the
-- centre's own comment (only this centre's rows are read, so no other centre's comment can appear).
SELECT st.position, min(st.position) OVER (PARTITION BY st.area) AS area_position, st.area, st.statement_id,
       st.title, st.text, s.score, s.n_staff, s.comment
FROM statement AS st
LEFT JOIN self_reflection AS s ON s.statement_id = st.statement_id AND s.centre_id = $centre AND s.year = $year
ORDER BY st.position
