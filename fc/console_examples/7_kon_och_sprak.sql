-- Skillnad mellan svenska och annat språk per mål i riket (senaste året)
SELECT goal, segment, n, round(100 * share_positive, 1) AS procent_positiva
FROM goal_fulfilment
WHERE level = 'riket' AND segment IN ('svenska', 'annat språk')
  AND year = (SELECT max(year) FROM goal_fulfilment)
ORDER BY goal, segment
