-- Every municipality's official figures for one year, in one county or the whole country ($lan = '').
SELECT kommun_code, kommun_name, lan_code, lan_name, year, in_family_centre, total, children_0_5, births
FROM official_kommun_year
WHERE year = $year AND ($lan = '' OR lan_code = $lan)
ORDER BY kommun_code
