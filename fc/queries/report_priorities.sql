-- One centre's chosen priorities (two a year) for the reported year and the next, with how they went.
SELECT year, rank, area, goal, outcome
FROM centre_priority
WHERE centre_id = $centre AND year IN ($year, $year + 1)
ORDER BY year, rank
