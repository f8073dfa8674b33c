-- Each county's own target (coverage rule, report deadline, its wording) for a county ($lan) or all ($lan = '').
SELECT lan_code, lan_name, coverage_rule, report_deadline, target_text
FROM county_settings
WHERE $lan = '' OR lan_code = $lan
ORDER BY lan_code
