-- Självreflektionens svagaste områden i riket
SELECT year, area, round(mean_score, 2) AS medelpoang, n_centres
FROM self_reflection_area
WHERE level = 'riket'
ORDER BY year DESC, mean_score
