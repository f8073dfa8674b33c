"""Row rules per file kind (data contract section 4), as SQL predicates over the VARCHAR staging rows.

A rule is (code, predicate that marks a row bad, Swedish reason as a SQL expression). The first rule
that matches decides the reason; duplicate keys are checked last, among rows that passed every rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Macros installed on the build connection; `v` is a raw VARCHAR cell.
MACROS = r"""
CREATE OR REPLACE TEMP MACRO clean(v) AS nullif(trim(regexp_replace(v, '[\s\u00a0]+', ' ', 'g')), '');
CREATE OR REPLACE TEMP MACRO blank(v) AS v IS NULL OR trim(v) = '';
CREATE OR REPLACE TEMP MACRO num(v) AS coalesce(
    TRY_CAST(v AS DOUBLE),
    TRY_CAST(replace(regexp_replace(v, '[\s\u00a0]', '', 'g'), ',', '.') AS DOUBLE));
CREATE OR REPLACE TEMP MACRO is_whole(v) AS num(v) IS NOT NULL AND num(v) = round(num(v)) AND isfinite(num(v));
CREATE OR REPLACE TEMP MACRO bool_value(v) AS CASE
    WHEN clean(v) IS NULL THEN false
    WHEN lower(clean(v)) IN ('1', 'ja', 'j', 'yes', 'y', 'true', 'sant', 'x') THEN true
    WHEN lower(clean(v)) IN ('0', 'nej', 'n', 'no', 'false', 'falskt') THEN false
    END;
CREATE OR REPLACE TEMP MACRO year_of(v) AS CASE
    WHEN regexp_full_match(clean(v), '\d{4}') THEN CAST(clean(v) AS INTEGER)
    WHEN regexp_full_match(clean(v), '\d{4}-\d{2}-\d{2}') THEN year(TRY_CAST(clean(v) AS DATE))
    END;
CREATE OR REPLACE TEMP MACRO kommun_code_of(v) AS
    CASE WHEN regexp_full_match(clean(v), '\d{3,4}') THEN lpad(clean(v), 4, '0') END;
""".replace("\\u00a0", "\u00a0")  # RE2 takes no \u escapes: put the no-break space itself in the pattern


# A rule with this code ends the checks of a row that matches it: the row is fine.
PASS = "pass"


@dataclass(frozen=True)
class Rule:
    code: str
    bad: str
    template: str

    @property
    def reason(self) -> str:
        return reason_sql(self.template)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


QUOTE = "''''"  # SQL for a single apostrophe
EMPTY = "''"


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reason_sql(template: str) -> str:
    """SQL for a reason text; `{column}` stands for the offending value as it stood in the file."""
    parts = re.split(r"\{([a-z0-9_]+)\}", template)
    pieces = [lit(part) if i % 2 == 0 else f"{QUOTE} || coalesce(left(trim({q(part)}), 40), '') || {QUOTE}"
              for i, part in enumerate(parts)]
    return " || ".join(p for p in pieces if p != EMPTY)


def missing(columns) -> list[Rule]:
    return [Rule("missing_value", f"blank({q(c)})", f"värde saknas i kolumnen {c}") for c in columns]


def year_rules(max_year: int) -> list[Rule]:
    return [
        Rule("not_a_number", "NOT is_whole(year)", f"{{year}} i kolumnen year är inget årtal"),
        Rule(
            "year_out_of_range",
            f"num(year) NOT BETWEEN 2000 AND {max_year}",
            f"året {{year}} ligger utanför 2000–{max_year}",
        ),
    ]


def known_centre() -> Rule:
    return Rule(
        "unknown_centre",
        "trim(centre_id) NOT IN (SELECT centre_id FROM centre)",
        f"okänt centre_id {{centre_id}} (finns inte i registret)",
    )


def booleans(columns) -> list[Rule]:
    return [
        Rule("invalid_value", f"bool_value({q(c)}) IS NULL", f"{{{c}}} i kolumnen {c} är inget ja/nej-värde")
        for c in columns
    ]


def counts(columns) -> list[Rule]:
    rules = []
    for c in columns:
        rules.append(Rule("not_a_number", f"NOT blank({q(c)}) AND num({q(c)}) IS NULL",
                          f"{{{c}}} i kolumnen {c} är inget tal"))
        rules.append(Rule("out_of_range", f"NOT blank({q(c)}) AND (NOT is_whole({q(c)}) OR num({q(c)}) < 0)",
                          f"{{{c}}} i kolumnen {c} är inget heltal ≥ 0"))
    return rules


def centres(max_year: int) -> list[Rule]:
    dates = []
    for c in ("opened", "closed"):
        dates.append(Rule("invalid_value", f"NOT blank({c}) AND year_of({c}) IS NULL",
                          f"{{{c}}} i kolumnen {c} är inget år eller datum (ÅÅÅÅ eller ÅÅÅÅ-MM-DD)"))
        dates.append(Rule("out_of_range", f"year_of({c}) NOT BETWEEN 1950 AND {max_year}",
                          f"året {{{c}}} i kolumnen {c} ligger utanför 1950–{max_year}"))
    position = []
    for c, low, high in (("lat", 55.0, 69.1), ("lon", 10.9, 24.2)):
        position.append(Rule("not_a_number", f"NOT blank({c}) AND num({c}) IS NULL",
                             f"{{{c}}} i kolumnen {c} är inget tal"))
        position.append(Rule("out_of_range", f"num({c}) NOT BETWEEN {low} AND {high}",
                             f"{{{c}}} i kolumnen {c} ligger utanför Sverige"))
    return [
        *missing(("centre_id", "name", "kommun_code")),
        Rule("unknown_kommun",
             "kommun_code_of(kommun_code) IS NULL OR kommun_code_of(kommun_code) NOT IN (SELECT kommun_code FROM kommun)",
             f"okänd kommunkod {{kommun_code}}"),
        *booleans(("mhv", "bhv", "open_preschool", "social_services", "coordinator", "steering_group", "agreement")),
        *dates,
        Rule("invalid_value", "year_of(closed) < year_of(opened)", "stängd (closed) före öppnad (opened)"),
        *position,
    ]


def parent_survey(max_year: int, items: list[str], typed: bool = False) -> list[Rule]:
    """The survey's rules over the text staging rows, or with `typed` over the fast path's rows (etl/read.py:
    stage_typed), where year and the answers are DOUBLE: the same rules in the same order, each predicate
    reading the number itself where the text rule reads num() of the cell."""
    # A survey row is one respondent's answers, and a cell typed into the wrong column may hold a name or a
    # phone number: survey reasons name the column and the rule, never the cell's value (the file and line
    # lead the administrator to it; the SQL console must not repeat it).
    numeric = {"year", *items} if typed else set()

    def empty(c: str) -> str:
        return f"({q(c)} IS NULL)" if c in numeric else f"blank({q(c)})"

    def number(c: str) -> str:
        return q(c) if c in numeric else f"num({q(c)})"

    year = number("year")
    # Nearly every answer is a plain digit: one cheap test per row spares the detailed rules.
    digits = "0, 1, 2, 3, 4, 5" if typed else "'0', '1', '2', '3', '4', '5'"
    plain = " AND ".join(f"({q(c)} IS NULL OR {q(c)} IN ({digits}))" for c in items)
    answers = [Rule(PASS, plain, "")]
    for c in items:
        answers.append(Rule("not_a_number", f"NOT {empty(c)} AND {number(c)} IS NULL",
                            f"svaret på frågan {c} är inget tal"))
        answers.append(Rule("out_of_range", f"NOT {empty(c)} AND {number(c)} NOT IN (0, 1, 2, 3, 4, 5)",
                            f"svaret på frågan {c} ligger utanför 1–5 (0 eller tomt = vet ej)"))
    return [
        *(Rule("missing_value", empty(c), f"värde saknas i kolumnen {c}") for c in ("response_id", "centre_id", "year")),
        Rule("not_a_number", f"NOT ({year} IS NOT NULL AND {year} = round({year}) AND isfinite({year}))",
             "värdet i kolumnen year är inget årtal"),
        Rule("year_out_of_range", f"{year} NOT BETWEEN 2000 AND {max_year}",
             f"året i kolumnen year ligger utanför 2000–{max_year}"),
        Rule("unknown_centre", "trim(centre_id) NOT IN (SELECT centre_id FROM centre)",
             "okänt centre_id (finns inte i registret)"),
        Rule("invalid_value", "gender_value(gender) = '?'",
             "värdet i kolumnen gender är inget av kvinna, man, annat"),
        Rule("invalid_value", "language_value(language) = '?'",
             "värdet i kolumnen language är inget av svenska, annat"),
        *answers,
    ]


def self_reflection(max_year: int) -> list[Rule]:
    return [
        *missing(("centre_id", "year", "statement_id", "score")),
        *year_rules(max_year),
        known_centre(),
        Rule("unknown_statement", "trim(statement_id) NOT IN (SELECT statement_id FROM statement)",
             f"okänt statement_id {{statement_id}} (finns inte i påståendekatalogen)"),
        Rule("not_a_number", "num(score) IS NULL", f"{{score}} i kolumnen score är inget tal"),
        Rule("out_of_range", "num(score) NOT BETWEEN 1 AND 6", f"poängen {{score}} ligger utanför 1–6"),
        *counts(("n_staff",)),
    ]


ACTIVITY_COUNTS = ("visits", "pregnant", "enrolled_children", "families_joint_support", "parent_groups")


def activity(max_year: int) -> list[Rule]:
    return [
        *missing(("centre_id", "year")),
        *year_rules(max_year),
        known_centre(),
        *counts(ACTIVITY_COUNTS),
        *booleans(("supervision",)),
        *report_received(max_year),
    ]


def survey_items() -> list[Rule]:
    return [
        *missing(("item", "goal", "text")),
        Rule("invalid_value", "NOT regexp_full_match(lower(trim(item)), '[a-z][a-z0-9_]{0,40}')",
             f"frågans id {{item}} får bara innehålla a–z, 0–9 och _"),
        Rule("invalid_value", "lower(trim(item)) IN ('response_id', 'centre_id', 'year', 'gender', 'language')",
             f"frågans id {{item}} krockar med en fast kolumn"),
        Rule("out_of_range", "NOT is_whole(goal) OR num(goal) NOT BETWEEN 1 AND 5",
             f"målet {{goal}} ligger utanför 1–5"),
    ]


def statements() -> list[Rule]:
    return missing(("statement_id", "area", "title", "text"))


# The first WHEN takes the values as the contract spells them, which nearly every row holds, without
# lower(trim()) of the cell: the survey has a gender and a language per respondent.
GENDER_LANGUAGE_MACROS = """
CREATE OR REPLACE TEMP MACRO gender_value(v) AS CASE
    WHEN v IN ('kvinna', 'man', 'annat') THEN v
    WHEN blank(v) THEN NULL
    WHEN lower(trim(v)) IN ('kvinna', 'k', 'female', 'woman', 'f') THEN 'kvinna'
    WHEN lower(trim(v)) IN ('man', 'm', 'male') THEN 'man'
    WHEN lower(trim(v)) IN ('annat', 'other', 'annan') THEN 'annat'
    ELSE '?' END;
CREATE OR REPLACE TEMP MACRO language_value(v) AS CASE
    WHEN v IN ('svenska', 'annat') THEN v
    WHEN blank(v) THEN NULL
    WHEN lower(trim(v)) IN ('svenska', 'swedish', 'sv') THEN 'svenska'
    WHEN lower(trim(v)) IN ('annat', 'annat språk', 'other') THEN 'annat'
    ELSE '?' END;
"""


# --- The follow-up cycle: county settings, priorities, the report's arrival date (issue 11) ---------------------

COVERAGE_RULES = ("fc", "fc_or_fclv")

CYCLE_MACROS = """
CREATE OR REPLACE TEMP MACRO lan_code_of(v) AS
    CASE WHEN regexp_full_match(clean(v), '\\d{1,2}') THEN lpad(clean(v), 2, '0') END;
-- A deadline as month-day 'MM-DD'; '02-28', '--02-28' (ISO 8601) and '28/2' (as the guideline writes it) are read.
CREATE OR REPLACE TEMP MACRO month_day_of(v) AS strftime(CASE
    WHEN regexp_full_match(clean(v), '(--)?\\d{2}-\\d{2}') THEN TRY_CAST('2024-' || right(clean(v), 5) AS DATE)
    WHEN regexp_full_match(clean(v), '\\d{1,2}/\\d{1,2}') THEN TRY_CAST(
        '2024-' || lpad(split_part(clean(v), '/', 2), 2, '0') || '-' || lpad(split_part(clean(v), '/', 1), 2, '0')
        AS DATE)
    END, '%m-%d');
CREATE OR REPLACE TEMP MACRO date_of(v) AS
    CASE WHEN regexp_full_match(clean(v), '\\d{4}-\\d{2}-\\d{2}') THEN TRY_CAST(clean(v) AS DATE) END;
-- A priority area: a self-reflection area as the catalogue spells it (case, spaces and dashes aside), or a goal.
CREATE OR REPLACE TEMP MACRO area_key(v) AS lower(regexp_replace(clean(v), '[\\s\u2013\u2014-]+', ' ', 'g'));
CREATE OR REPLACE TEMP MACRO priority_area(v) AS CASE
    WHEN regexp_full_match(lower(clean(v)), '(mål\\s*)?[1-5]') THEN 'Mål ' || right(clean(v), 1)
    ELSE (SELECT min(area) FROM statement WHERE area_key(area) = area_key(v))
    END;
""".replace("\\u2013", "\u2013").replace("\\u2014", "\u2014")


def county_settings() -> list[Rule]:
    return [
        *missing(("lan_code",)),
        Rule("unknown_lan", "lan_code_of(lan_code) IS NULL OR lan_code_of(lan_code) NOT IN (SELECT lan_code FROM lan)",
             "okänd länskod {lan_code}"),
        Rule("unknown_rule", f"NOT blank(coverage_rule) AND lower(clean(coverage_rule)) NOT IN {COVERAGE_RULES}",
             "okänd täckningsregel {coverage_rule} (fc eller fc_or_fclv)"),
        Rule("invalid_value", "NOT blank(report_deadline) AND month_day_of(report_deadline) IS NULL",
             "{report_deadline} i kolumnen report_deadline är ingen dag (MM-DD, till exempel 02-28, eller 28/2)"),
    ]


def priorities(max_year: int) -> list[Rule]:
    return [
        *missing(("centre_id", "year", "rank", "area", "goal")),
        *year_rules(max_year),
        known_centre(),
        Rule("out_of_range", f"NOT is_whole({q('rank')}) OR num({q('rank')}) NOT IN (1, 2)",
             "prioriteringen {rank} i kolumnen rank ska vara 1 eller 2"),
        Rule("unknown_area", "priority_area(area) IS NULL",
             "okänt område {area} (ett av självreflektionens områden eller målnummer 1–5)"),
    ]


def report_received(max_year: int) -> list[Rule]:
    c = "report_received"
    return [
        Rule("invalid_value", f"NOT blank({c}) AND date_of({c}) IS NULL",
             f"{{{c}}} i kolumnen {c} är inget datum (ÅÅÅÅ-MM-DD)"),
        Rule("out_of_range", f"year(date_of({c})) > {max_year} OR year(date_of({c})) < num(year)",
             f"datumet {{{c}}} i kolumnen {c} ligger före uppföljningsåret eller efter {max_year}"),
    ]
