-- Counties, municipalities and registered centres for the sidebar filters.
SELECT 'lan' AS level, lan_code AS code, lan_name AS name, lan_code, NULL AS kommun_code FROM lan
UNION ALL
SELECT 'kommun', kommun_code, kommun_name, lan_code, kommun_code FROM kommun
UNION ALL
SELECT 'centre', centre_id, name, lan_code, kommun_code FROM centres
ORDER BY level, name
