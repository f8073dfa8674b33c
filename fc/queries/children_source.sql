-- Source and latest year of the children 0–5 reference figures not after the chosen year.
SELECT any_value(source) AS source, max(year) AS year FROM children_0_5 WHERE year <= $year
