-- One centre's activity figures per year (verksamhetsberättelsen).
SELECT year, visits, pregnant, enrolled_children, families_joint_support, parent_groups, supervision
FROM activity
WHERE centre_id = $centre
ORDER BY year
