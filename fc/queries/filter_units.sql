-- Counties, municipalities and registered centres for the sidebar filters. A centre's label carries
-- its municipality (and its id when even that repeats) so that every label in a shared link is unique;
-- its title (for headings) says the same with a comma.
WITH centre_labels AS (
    SELECT centre_id, name, kommun_name, name || ' – ' || kommun_name AS label, lan_code, kommun_code
    FROM centres
)
SELECT 'lan' AS level, lan_code AS code, lan_name AS name, lan_name AS title, lan_code, NULL AS kommun_code FROM lan
UNION ALL
SELECT 'kommun', kommun_code, kommun_name, kommun_name, lan_code, kommun_code FROM kommun
UNION ALL
SELECT 'centre', centre_id,
       CASE WHEN count(*) OVER (PARTITION BY label) > 1 THEN label || ' (' || centre_id || ')' ELSE label END,
       CASE WHEN count(*) OVER (PARTITION BY label) > 1 THEN name || ', ' || kommun_name || ' (' || centre_id || ')'
            ELSE name || ', ' || kommun_name END,
       lan_code, kommun_code
FROM centre_labels
ORDER BY level, name
