-- Every unit a figure can be about, with the county it belongs to: centres, municipalities,
-- counties and the nation ('riket', 'SE').
CREATE VIEW units AS
SELECT 'centre' AS level, centre_id AS unit_code, name AS unit_name, lan_code FROM centres
UNION ALL
SELECT 'kommun', kommun_code, kommun_name, lan_code FROM kommun
UNION ALL
SELECT 'lan', lan_code, lan_name, lan_code FROM lan
UNION ALL
SELECT 'riket', 'SE', 'Riket', NULL;
