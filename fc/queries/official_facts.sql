-- Folkhälsomyndigheten's and others' published facts about family centres, with their source URLs.
SELECT area, year, value, unit, description, publisher, url
FROM official_fact
ORDER BY year DESC, area = 'Riket' DESC, fact_id
