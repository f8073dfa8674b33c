-- One county's settings (coverage rule, report deadline, target wording and where they come from).
SELECT lan_code, lan_name, coverage_rule, coverage_rule_label, report_deadline, target_text, source
FROM county_settings
WHERE lan_code = $lan
