"""Turn checked staging rows into typed tables, and bad rows into `rejects`."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from etl import read, rules
from etl.rules import Rule, q
from etl.sources import Kind

TABLES = """
CREATE TABLE rejects (source_file VARCHAR, line_number INTEGER, kind VARCHAR, rule VARCHAR, reason VARCHAR, raw_line VARCHAR);
CREATE TABLE load_summary (source_file VARCHAR, kind VARCHAR, encoding VARCHAR, delimiter VARCHAR, rows_read INTEGER,
    rows_loaded INTEGER, rows_rejected INTEGER, blank_rows INTEGER, ignored_columns VARCHAR);
CREATE TABLE survey_item (item VARCHAR PRIMARY KEY, goal INTEGER, text VARCHAR, position INTEGER);
CREATE TABLE statement (statement_id VARCHAR PRIMARY KEY, area VARCHAR, title VARCHAR, text VARCHAR, position INTEGER);
CREATE TABLE centre (centre_id VARCHAR PRIMARY KEY, name VARCHAR, kommun_code VARCHAR, mhv BOOLEAN, bhv BOOLEAN,
    open_preschool BOOLEAN, social_services BOOLEAN, opened VARCHAR, closed VARCHAR, opened_year INTEGER,
    closed_year INTEGER, lat DOUBLE, lon DOUBLE, coordinator BOOLEAN, steering_group BOOLEAN, agreement BOOLEAN,
    source_file VARCHAR, line_number INTEGER);
-- Key (centre_id, year, statement_id), unique by the duplicate rule before the insert: no index, whose
-- upkeep was most of the insert's time on national data.
CREATE TABLE self_reflection (centre_id VARCHAR, year INTEGER, statement_id VARCHAR, score DOUBLE, n_staff INTEGER,
    comment VARCHAR);
CREATE TABLE activity (centre_id VARCHAR, year INTEGER, visits BIGINT, pregnant BIGINT, enrolled_children BIGINT,
    families_joint_support BIGINT, parent_groups BIGINT, supervision BOOLEAN, report_received DATE,
    PRIMARY KEY (centre_id, year));
CREATE TABLE centre_priority (centre_id VARCHAR, year INTEGER, rank INTEGER, area VARCHAR, goal VARCHAR, outcome VARCHAR,
    PRIMARY KEY (centre_id, year, rank));
CREATE TABLE county_setting (lan_code VARCHAR PRIMARY KEY, coverage_rule VARCHAR, report_deadline VARCHAR,
    target_text VARCHAR, source VARCHAR);
"""


def survey_table(items: list[str]) -> str:
    answers = ", ".join(f"{q(i)} TINYINT" for i in items)
    return (
        "CREATE TABLE survey_response (respondent_no BIGINT, centre_id VARCHAR, year INTEGER, response_id VARCHAR, "
        "gender VARCHAR, "
        f"language VARCHAR, {answers})"
    )


ANSWERS = range(1, 6)  # the survey's scale; 0 and empty ("vet ej") are stored as NULL


def goal_sql(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """SQL that scores each goal over the wide survey row, generated from survey_item (etl/sql's /*@name*/ markers).

    survey_response holds answers 1..5 or NULL ("vet ej"), so a goal's score is the sum of its answered items
    over their number: the mean the long form (one row per answer) gives, without making those rows.
    """
    goals: dict[int, list[str]] = {}
    for item, goal in con.execute("SELECT item, goal FROM survey_item ORDER BY position").fetchall():
        goals.setdefault(goal, []).append(item)
    scores = ", ".join(
        "CAST(" + " + ".join(f"coalesce(CAST({q(i)} AS INTEGER), 0)" for i in items) + " AS DOUBLE) / nullif("
        + " + ".join(f"CAST({q(i)} IS NOT NULL AS INTEGER)" for i in items) + f", 0) AS \"{goal}\""
        for goal, items in sorted(goals.items()))
    aggregates = ", ".join(f'count("{g}") AS n_{g}, count_if("{g}" >= 4) AS p_{g}, sum("{g}") AS s_{g}'
                           for g in sorted(goals))
    unpivot = ", ".join(f'(n_{g}, p_{g}, s_{g}) AS "{g}"' for g in sorted(goals))
    every_item = [i for items in goals.values() for i in items]
    # Item ids are [a-z][a-z0-9_]* (etl/rules.py: survey_items), so "<item>:<answer>" names a count column.
    answer_counts = ", ".join(f'count_if({q(i)} = {a}) AS "{i}:{a}"' for i in every_item for a in ANSWERS)
    answer_unpivot = ", ".join("(" + ", ".join(f'"{i}:{a}"' for a in ANSWERS) + f') AS "{i}"' for i in every_item)
    return {"goal_scores": scores, "goal_aggregates": aggregates, "goal_unpivot": unpivot,
            "answer_counts": answer_counts, "answer_unpivot": answer_unpivot}


def render(sql: str, fragments: dict[str, str]) -> str:
    """`sql` with each /*@name*/ marker replaced by its generated fragment; an unknown marker is an error."""
    def fragment(match: re.Match) -> str:
        return fragments[match.group(1)]

    return re.sub(r"/\*@([a-z_]+)\*/", fragment, sql)


def typed_select(kind: str, items: list[str]) -> str:
    """The SELECT list of a checked fast-path row (etl/read.py: stage_typed): year and answers are numbers already."""
    if kind != "parent_survey":
        raise ValueError(kind)
    # The same values text_select gives for these cells: 0 and empty both mean "vet ej", stored as NULL.
    answers = ", ".join(f"CAST(nullif({q(i)}, 0) AS TINYINT)" for i in items)
    return ("_seq, trim(centre_id), CAST(year AS INTEGER), trim(response_id), gender_value(gender), "
            f"language_value(language), {answers}")


def text_select(kind: str, items: list[str]) -> str:
    """The SELECT list that casts a checked staging row into its table's columns."""
    if kind == "centres":
        flags = ", ".join(f"bool_value({c})" for c in ("mhv", "bhv", "open_preschool", "social_services"))
        extra = ", ".join(f"bool_value({c})" for c in ("coordinator", "steering_group", "agreement"))
        return (
            f"trim(centre_id), clean(name), kommun_code_of(kommun_code), {flags}, clean(opened), clean(closed), "
            f"year_of(opened), year_of(closed), num(lat), num(lon), {extra}, _file, _line"
        )
    if kind == "parent_survey":
        # 0 and empty both mean "vet ej": stored as NULL so they never count as an answer.
        answers = ", ".join(f"nullif(coalesce(TRY_CAST({q(i)} AS TINYINT), CAST(num({q(i)}) AS TINYINT)), 0)" for i in items)
        return (
            "_seq, trim(centre_id), CAST(num(year) AS INTEGER), "
            "trim(response_id), gender_value(gender), "
            f"language_value(language), {answers}"
        )
    if kind == "self_reflection":
        return "trim(centre_id), CAST(num(year) AS INTEGER), trim(statement_id), num(score), CAST(num(n_staff) AS INTEGER), clean(comment)"
    if kind == "activity":
        counts = ", ".join(f"CAST(num({c}) AS BIGINT)" for c in rules.ACTIVITY_COUNTS)
        return f"trim(centre_id), CAST(num(year) AS INTEGER), {counts}, CASE WHEN clean(supervision) IS NOT NULL THEN bool_value(supervision) END, date_of(report_received)"
    if kind == "priorities":
        return "trim(centre_id), CAST(num(year) AS INTEGER), CAST(num(rank) AS INTEGER), priority_area(area), clean(goal), clean(outcome)"
    if kind == "county_settings":
        return ("lan_code_of(lan_code), lower(clean(coverage_rule)), month_day_of(report_deadline), clean(target_text), "
                "clean(source)")
    if kind == "survey_items":
        return "lower(trim(item)), CAST(num(goal) AS INTEGER), clean(text), CAST(row_number() OVER (ORDER BY _file, _line) AS INTEGER)"
    if kind == "statements":
        return (
            "trim(statement_id), clean(area), clean(title), clean(text), "
            "CAST(row_number() OVER (ORDER BY _file, _line) AS INTEGER)"
        )
    raise ValueError(kind)


TARGET = {
    "centres": "centre",
    "parent_survey": "survey_response",
    "self_reflection": "self_reflection",
    "activity": "activity",
    "survey_items": "survey_item",
    "statements": "statement",
    "priorities": "centre_priority",
    "county_settings": "county_setting",
}

KEY_EXPR = {
    "centre_id": "trim(centre_id)",
    "year": "CAST(num(year) AS INTEGER)",
    "response_id": "trim(response_id)",
    "statement_id": "trim(statement_id)",
    "item": "lower(trim(item))",
    "rank": "CAST(num(rank) AS INTEGER)",
    "lan_code": "lan_code_of(lan_code)",
}


# The key of a fast-path row (etl/read.py: stage_typed), where year is already a number.
TYPED_KEY_EXPR = {**KEY_EXPR, "year": "CAST(year AS INTEGER)"}


def find_bad_rows(con: duckdb.DuckDBPyConnection, bad: str, kind: Kind,
                  checks: list[tuple[str, list[Rule], dict[str, str]]]) -> str:
    """A table `bad` of the staged rows that break a rule (the first one decides), then later duplicates of a valid key.

    `checks`: (staged table, its rules, its key expressions), the text rows and the fast path's typed rows.
    """
    con.execute(f"CREATE TEMP TABLE {bad} (_file VARCHAR, _line BIGINT, rule VARCHAR, reason VARCHAR)")
    for staged, row_rules, _ in checks:
        broken_rules(con, bad, staged, row_rules)
    key_names = ", ".join(f"_k{i}" for i in range(len(kind.key)))
    valid = " UNION ALL ".join(
        f"SELECT _file, _line, {', '.join(f'{exprs[k]} AS _k{i}' for i, k in enumerate(kind.key))} "
        f"FROM {staged} ANTI JOIN {bad} USING (_file, _line)"
        for staged, _, exprs in checks)
    label = "+".join(kind.key)
    # A table, not a CTE: DuckDB keeps a CTE it reads twice in memory it cannot spill (10× the national
    # survey ran out of memory), while a temporary table spills under the build's memory_limit.
    con.execute(f"CREATE TEMP TABLE {bad}_valid AS {valid}")
    con.execute(
        f"""
        INSERT INTO {bad}
        WITH valid AS (FROM {bad}_valid),
        repeated AS (
            SELECT {key_names} FROM valid GROUP BY ALL HAVING count(*) > 1
        ),
        ranked AS (
            SELECT _file, _line, row_number() OVER w AS k,
                   first_value(_line) OVER w AS first_line, first_value(_file) OVER w AS first_file
            FROM valid SEMI JOIN repeated USING ({key_names})
            WINDOW w AS (PARTITION BY {key_names} ORDER BY _file, _line)
        )
        SELECT _file, _line, 'duplicate_key', 'dubblett: samma {label} som rad ' || first_line || ' i ' || first_file
        FROM ranked WHERE k > 1
        """
    )
    con.execute(f"DROP TABLE {bad}_valid")
    return bad


def broken_rules(con: duckdb.DuckDBPyConnection, bad: str, staged: str, row_rules: list[Rule]) -> None:
    """Add to `bad` the rows of `staged` that break a rule, with the first broken rule's code and reason."""
    # Predicates run once per row; reason texts only for the few rows that broke a rule.
    first_broken = " ".join(
        f"WHEN {r.bad} THEN {'NULL' if r.code == rules.PASS else n}" for n, r in enumerate(row_rules)
    )
    failing = [(n, r) for n, r in enumerate(row_rules) if r.code != rules.PASS]
    codes = " ".join(f"WHEN {n} THEN {rules.lit(r.code)}" for n, r in failing)
    reasons = " ".join(f"WHEN {n} THEN {r.reason}" for n, r in failing)
    con.execute(
        f"""
        INSERT INTO {bad}
        SELECT _file, _line, CASE rule_no {codes} END AS rule, CASE rule_no {reasons} END AS reason
        FROM (SELECT *, CASE {first_broken} END AS rule_no FROM {staged})
        WHERE rule_no IS NOT NULL
        """
    )


def stack(con: duckdb.DuckDBPyConnection, name: str, tables: list[str]) -> str | None:
    """One relation over the staged tables of a kind's files: the table itself, or a view `name` over them."""
    if len(tables) < 2:
        return tables[0] if tables else None
    con.execute(f"CREATE TEMP VIEW {name} AS " + " UNION ALL BY NAME ".join(f"SELECT * FROM {t}" for t in tables))
    return name


def load_kind(
    con: duckdb.DuckDBPyConnection, kind: Kind, files: list[read.Staged], row_rules: list[Rule], items: list[str],
    typed_rules: list[Rule] | None = None,
) -> None:
    """Check all staged files of one kind together, load the good rows and record rejects and the summary.

    Files read by the fast path (etl/read.py: stage_typed) come with a table of typed rows, checked by
    `typed_rules`, beside their text rows.
    """
    text = stack(con, f"all_{kind.name}", [s.table for s in files if s.table])
    typed = stack(con, f"all_{kind.name}_typed", [s.typed_table for s in files if s.typed_table])
    checks = [(text, row_rules, KEY_EXPR)] if text else []
    if typed:
        checks.append((typed, typed_rules, TYPED_KEY_EXPR))
    bad = f"bad_{kind.name}"
    find_bad_rows(con, bad, kind, checks)
    if typed:
        con.execute(f"INSERT INTO {TARGET[kind.name]} SELECT {typed_select(kind.name, items)} "
                    f"FROM {typed} ANTI JOIN {bad} USING (_file, _line)")
    if text:
        con.execute(
            f"INSERT INTO {TARGET[kind.name]} SELECT {text_select(kind.name, items)} "
            f"FROM {text} ANTI JOIN {bad} USING (_file, _line)"
        )
    for s in files:
        broken = con.execute(
            f"SELECT _line, rule, reason FROM {bad} WHERE _file = ? ORDER BY _line", [s.path.name]
        ).fetchall()
        scan = [(line, "malformed_row", reason) for line, reason, _ in s.scan_rejects]
        every = sorted(broken + scan)
        text_of = read.raw_lines(s.path, [line for line, _, _ in every], s.lines) if every else {}
        frame = pd.DataFrame(
            {
                "source_file": s.path.name,
                "line_number": [line for line, _, _ in every],
                "kind": kind.name,
                "rule": [rule for _, rule, _ in every],
                "reason": [reason for _, _, reason in every],
                "raw_line": [text_of.get(line, "") for line, _, _ in every],
            },
            columns=["source_file", "line_number", "kind", "rule", "reason", "raw_line"],
        )
        if len(frame):
            con.register("new_rejects", frame)
            con.execute("INSERT INTO rejects SELECT * FROM new_rejects")
            con.unregister("new_rejects")
        con.execute(
            "INSERT INTO load_summary VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [s.path.name, kind.name, s.encoding, s.delimiter, s.rows + len(scan), s.rows - len(broken), len(every),
             s.blank_rows, ", ".join(s.ignored_columns)],
        )
    for view in (f"all_{kind.name}", f"all_{kind.name}_typed"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    for table in [bad, *(s.table for s in files if s.table), *(s.typed_table for s in files if s.typed_table)]:
        con.execute(f"DROP TABLE {table}")


def typed_columns(kind: Kind, items: list[str]) -> dict[str, str] | None:
    """The columns the fast path reads as numbers (etl/read.py: stage_typed): the survey's year and answers."""
    if kind.name != "parent_survey":
        return None
    # DOUBLE, not an integer type: DuckDB casts "4.5" to the integer 5 but num() reads 4.5 (out of range).
    return {"year": "DOUBLE", **{item: "DOUBLE" for item in items}}


def typed_rules_for(kind: Kind, max_year: int, items: list[str]) -> list[Rule] | None:
    """The rules over the fast path's typed rows (see typed_columns): the same rules, reading the numbers."""
    return rules.parent_survey(max_year, items, typed=True) if typed_columns(kind, items) else None


def rules_for(kind: Kind, max_year: int, items: list[str]) -> list[Rule]:
    return {
        "centres": lambda: rules.centres(max_year),
        "parent_survey": lambda: rules.parent_survey(max_year, items),
        "self_reflection": lambda: rules.self_reflection(max_year),
        "activity": lambda: rules.activity(max_year),
        "survey_items": rules.survey_items,
        "statements": rules.statements,
        "priorities": lambda: rules.priorities(max_year),
        "county_settings": rules.county_settings,
    }[kind.name]()


def bundled_catalogue(name: str) -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "catalogues" / name
