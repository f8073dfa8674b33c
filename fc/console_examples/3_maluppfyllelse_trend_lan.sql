-- Måluppfyllelse över tid per län (alla svarande)
SELECT year, unit_name AS lan, goal, round(100 * share_positive, 1) AS procent_positiva, n
FROM goal_fulfilment
WHERE level = 'lan' AND segment = 'alla'
ORDER BY lan, goal, year
