-- The tables and views of the database, so a report can say which parts a database built by an older
-- version lacks instead of failing or leaving a section silently empty.
SELECT table_name FROM information_schema.tables
