-- Every county's official figures for one year.
SELECT unit_code AS lan_code, unit_name AS lan_name, year, in_family_centre, total, kommuner, kommuner_with_fc,
       kommuner_reported_fc, children_0_5, births
FROM official_unit_year
WHERE level = 'lan' AND year = $year
ORDER BY unit_code
