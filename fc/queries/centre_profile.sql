-- One centre's registry facts with its municipality and county.
SELECT centre_id, name, centre_type, n_legs, mhv, bhv, open_preschool, social_services, kommun_code, kommun_name,
       lan_code, lan_name, opened, closed, lat, lon, coordinator, steering_group, agreement
FROM centres
WHERE centre_id = $centre
