"""The SQL console: attack queries are refused with a clear message; respondent data is unreachable."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT

ATTACKS = {
    "copy to file": "COPY (SELECT * FROM centres) TO '/tmp/fc_leak.csv'",
    "read passwd": "SELECT * FROM read_csv('/etc/passwd')",
    "read text": "SELECT * FROM read_text('/etc/hostname')",
    "glob": "SELECT * FROM glob('/*')",
    "attach": "ATTACH '/tmp/other.duckdb' AS other",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET enable_external_access = true",
    "reset": "RESET lock_configuration",
    "create": "CREATE TABLE t AS SELECT 1",
    "create temp": "CREATE TEMP TABLE t AS SELECT 1",
    "insert": "INSERT INTO lan VALUES ('99', 'Påhittat län')",
    "delete": "DELETE FROM centres",
    "update": "UPDATE centres SET name = 'x'",
    "drop": "DROP TABLE centres",
    "httpfs url": "SELECT * FROM read_parquet('https://example.org/data.parquet')",
    "s3 url": "SELECT * FROM 's3://bucket/data.csv'",
    "two statements": "SELECT 1; DROP TABLE centres",
    "export": "EXPORT DATABASE '/tmp/fc_export'",
    "pragma": "PRAGMA enable_profiling",
    "respondents": "SELECT * FROM survey_response",
    "respondent scores": "SELECT * FROM respondent_goal",
}


@pytest.fixture
def console(app_db):
    from fc import console

    return console


@pytest.mark.parametrize("sql", ATTACKS.values(), ids=ATTACKS.keys())
def test_attack_queries_are_refused_with_a_swedish_message(console, sql):
    with pytest.raises(console.Refused) as refusal:
        console.run(sql)
    message = str(refusal.value)
    assert message and any(word in message for word in ("inte", "Kör en fråga", "finns inte"))


def test_nothing_was_written_by_the_attacks(console, tmp_path):
    assert not (tmp_path.parent / "fc_leak.csv").exists()
    assert console.run("SELECT count(*) AS n FROM lan").frame["n"].iloc[0] == 21


def test_a_long_query_is_stopped_by_the_time_limit(console):
    with pytest.raises(console.Refused, match="avbröts"):
        console.run("SELECT count(*) FROM range(1000000000000) a, range(1000) b", timeout_s=0.5)


def test_row_limit_truncates_and_says_so(console):
    result = console.run("SELECT * FROM coverage_kommun", row_limit=100)
    assert len(result.frame) == 100 and result.truncated


def test_suppressed_groups_stay_hidden_in_the_console(console):
    rows = console.run("SELECT * FROM goal_fulfilment WHERE suppressed").frame
    assert len(rows) > 0
    assert rows[["n_positive", "share_positive", "mean_score", "ci_low", "ci_high"]].isna().all().all()


def test_rejected_survey_lines_never_show_raw_answers(console):
    rows = console.run("SELECT count(*) AS n FROM rejects WHERE kind = 'parent_survey' AND raw_line IS NOT NULL").frame
    assert rows["n"].iloc[0] == 0


def test_every_relation_and_column_in_the_console_is_described(console):
    schema = console.schema()
    assert set(schema["relation"]) == set(console.ALLOWED)
    missing = schema[schema["description"] == ""]
    assert missing.empty, missing[["relation", "column"]].to_string()


def test_example_queries_all_run(console):
    examples = console.examples()
    assert len(examples) >= 5
    for title, sql in examples.items():
        assert isinstance(console.run(sql).frame, pd.DataFrame), title
