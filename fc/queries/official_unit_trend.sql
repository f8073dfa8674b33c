-- One unit's official figures for every year ('riket'/'SE', 'lan'/county code, 'kommun'/municipality code).
SELECT year, unit_name, in_family_centre, total, kommuner, kommuner_with_fc, kommuner_reported_fc,
       kommuner_reported_total, children_0_5, births
FROM official_unit_year
WHERE level = $level AND unit_code = $unit
ORDER BY year
