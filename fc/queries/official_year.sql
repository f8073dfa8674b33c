-- The year the official statistics show for a chosen year: that year if it has figures, else the latest
-- year before it (or the first year when the chosen one is earlier than every year), with the range.
SELECT coalesce(max(year) FILTER (WHERE year <= $year), min(year)) AS year, min(year) AS first_year,
       max(year) AS last_year
FROM official_open_preschool
