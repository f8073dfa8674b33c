-- The rejected rows of one source file (line and reason), e.g. the file a form just wrote.
SELECT line_number, rule, reason FROM rejects WHERE source_file = $file ORDER BY line_number
