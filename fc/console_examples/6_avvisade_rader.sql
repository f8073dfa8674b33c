-- Avvisade rader per fil och skäl
SELECT source_file, rule, count(*) AS antal, min(line_number) AS forsta_rad
FROM rejects
GROUP BY ALL
ORDER BY antal DESC
