-- Each county's own follow-up settings (21 rows): the coverage rule its target counts ('fc': only a
-- family centre covers a municipality, as Örebro's agreement says; 'fc_or_fclv': a family centre or a
-- family-centre-like service, as Skåne's strategy says), the day the annual report is due in the year
-- after the follow-up year ('MM-DD') and the target's own wording. A source folder's county_settings*.csv
-- (table county_setting) wins column by column over the bundled data/settings/county_settings.csv
-- (county_setting_default); the defaults are 'fc_or_fclv', '02-28' and the rule's generic wording.
CREATE VIEW county_settings AS
WITH merged AS (
    SELECT
        l.lan_code,
        l.lan_name,
        coalesce(s.coverage_rule, d.coverage_rule, 'fc_or_fclv') AS coverage_rule,
        coalesce(s.report_deadline, d.report_deadline, '02-28') AS report_deadline,
        s.target_text AS own_text,
        -- The bundled wording was written for the bundled rule: it applies only while that rule does.
        CASE WHEN coalesce(s.coverage_rule, d.coverage_rule) = d.coverage_rule THEN d.target_text END AS bundled_text,
        CASE
            WHEN s.lan_code IS NOT NULL THEN coalesce(s.source, 'länsinställningar i källmappen')
            ELSE coalesce(d.source, 'standardvärde')
        END AS source
    FROM lan AS l
    LEFT JOIN county_setting AS s USING (lan_code)
    LEFT JOIN county_setting_default AS d USING (lan_code)
)
SELECT
    lan_code,
    lan_name,
    coverage_rule,
    report_deadline,
    coalesce(own_text, bundled_text, CASE coverage_rule
        WHEN 'fc' THEN 'Minst en familjecentral i varje kommun'
        ELSE 'Minst en familjecentral eller familjecentralsliknande verksamhet i varje kommun'
    END) AS target_text,
    CASE coverage_rule WHEN 'fc' THEN 'FC' ELSE 'FC eller FCLV' END AS coverage_rule_label,
    source
FROM merged;
