-- The sources of the official figures, as stored with the reference tables.
SELECT 'open_preschool' AS figure, any_value(source) AS source FROM official_open_preschool
UNION ALL SELECT 'children_0_5', any_value(source) FROM children_0_5
UNION ALL SELECT 'births', any_value(source) FROM official_births
