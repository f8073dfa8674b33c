"""The SQL console: attacks are refused or harmless, limits hold in a worker process, no path or survey cell leaks.

The hostile corpus (60+ queries) is in tests/e2e/test_console_attacks.py; these are the console's own
guarantees one by one: the published file, the statement check, the worker's limits and error messages.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

from conftest import CENTRE_HEADER, ROOT, centre_row, survey_header, survey_items, write_csv
from etl import publish
from etl.build import build, generations_dir
from fc import db

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
    "explain analyze update": "EXPLAIN ANALYZE UPDATE goal_fulfilment SET share_positive = 0.123",
    "explain analyze macro": "EXPLAIN ANALYZE CREATE MACRO upper(x) AS 'pwned'",
    "explain analyze drop": "EXPLAIN ANALYZE DROP TABLE goal",
    "explain (analyze) delete": "EXPLAIN (ANALYZE, FORMAT json) DELETE FROM goal",
    "commented explain": "/* innocent */ explain -- really\n analyse INSERT INTO goal SELECT * FROM goal",
}
SERVER_PATHS = (str(ROOT), "/tmp", "/root", "/home", ".gen", ".duckdb", "site-packages", "/proc", "/usr")


@pytest.fixture
def console(app_db):
    from fc import console

    return console


def fingerprint(console) -> tuple:
    """What every visitor reads: goal_fulfilment's rows, the goal catalogue, a built-in function, the tables."""
    return (
        console.run("SELECT count(*) AS n, sum(hash(g)) AS h FROM goal_fulfilment AS g").frame.iloc[0].tolist(),
        console.run("SELECT * FROM goal ORDER BY ALL").frame.to_dict("records"),
        console.run("SELECT upper('abc') AS u").frame["u"].tolist(),
        console.run("SELECT table_name FROM duckdb_tables() ORDER BY 1").frame["table_name"].tolist(),
    )


@pytest.mark.parametrize("sql", ATTACKS.values(), ids=ATTACKS.keys())
def test_attack_queries_are_refused_with_a_swedish_message(console, sql):
    with pytest.raises(console.Refused) as refusal:
        console.run(sql)
    message = str(refusal.value)
    assert message and any(word in message for word in ("inte", "Kör en fråga", "finns inte"))
    assert not any(path in message for path in SERVER_PATHS)


@pytest.mark.parametrize("sql", ["SELECT 1", "EXPLAIN SELECT * FROM goal", "EXPLAIN ANALYZE SELECT count(*) FROM goal",
                                 "EXPLAIN (FORMAT json) SELECT 1", "/* c */ EXPLAIN ANALYZE WITH a AS (SELECT 1) "
                                 "SELECT * FROM a", "EXPLAIN /* c */ SELECT 1", "explain -- x\n analyse select 1",
                                 "FROM goal", "DESCRIBE goal", "SUMMARIZE goal"])
def test_reading_statements_pass_the_check_and_run(console, sql):
    console.check(sql)
    assert len(console.run(sql).frame) >= 1


def test_nothing_was_written_by_the_attacks(console, tmp_path):
    before = fingerprint(console)
    for sql in ATTACKS.values():
        with pytest.raises(console.Refused):
            console.run(sql)
    assert not (tmp_path.parent / "fc_leak.csv").exists() and not os.path.exists("/tmp/fc_leak.csv")
    assert console.run("SELECT count(*) AS n FROM lan").frame["n"].iloc[0] == 21
    assert fingerprint(console) == before


def test_a_mutation_that_passes_the_check_changes_nothing_for_the_next_query(console):
    """Safety does not rest on the check: DuckDB parses a data-modifying CTE as a SELECT, and it runs, in a copy."""
    before = fingerprint(console)
    sql = "WITH x AS (UPDATE goal SET text = 'pwned' RETURNING *) SELECT count(*) AS n FROM x"
    console.check(sql)  # passes: the statement is a SELECT
    try:
        console.run(sql)
    except console.Refused:
        pass
    assert "pwned" not in str(console.run("SELECT text FROM goal").frame["text"].tolist())
    assert fingerprint(console) == before


def test_the_console_file_is_read_only_and_holds_only_published_relations(console, app_db):
    path = publish.console_path(os.path.realpath(app_db))
    assert path.parent == generations_dir(app_db) and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone() == (0,)
        survey_lines = con.execute("SELECT count(*) FROM rejects WHERE kind = 'parent_survey' "
                                   "AND raw_line IS NOT NULL").fetchone()
    assert set(publish.PUBLISHED) <= tables <= set(publish.PUBLISHED) | set(publish.OPTIONAL)
    assert not tables & {"survey_response", "respondent_goal", "goal_cell", "item_cell", "goal_suppression"}
    assert survey_lines == (0,)
    # The app's own settings: DuckDB refuses a second connection to an open file with other settings, and the
    # page tests before this one leave the app's cached connection open.
    with duckdb.connect(str(os.path.realpath(app_db)), read_only=True, config=db.CONFIG) as con:
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'item_distribution'").fetchone()[0]:
            assert "item_distribution" in tables


def test_a_long_query_is_stopped_by_the_time_limit(console):
    started = time.monotonic()
    with pytest.raises(console.Refused, match="avbröts efter 2 sekunder"):
        console.run("SELECT count(*) FROM range(1000000000000) a, range(1000) b", timeout_s=2)
    assert time.monotonic() - started < 8


def status_mb(field: str, pid: str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":")) / 1024


def reset_peak(pid: str = "self") -> None:
    """Start the peak resident memory (VmHWM) afresh from now (Linux: write 5 to clear_refs)."""
    with open(f"/proc/{pid}/clear_refs", "w") as clear:
        clear.write("5")


@pytest.mark.parametrize("sql", [
    "SELECT length(list_sort(range(30000000))) AS n",
    "SELECT repeat('x', 1000000) FROM range(2000)",
    "SELECT list(repeat('x', 10000)) FROM range(1000000)",
    "SELECT string_agg(repeat('x', 1000), '') FROM range(5000000)",
])
def test_memory_bombs_stop_in_the_worker_and_this_process_stays_small(console, sql):
    console.run("SELECT 1")
    reset_peak()
    before = status_mb("VmRSS")
    started = time.monotonic()
    with pytest.raises(console.Refused) as refusal:
        console.run(sql)
    assert any(word in str(refusal.value) for word in ("minne", "avbröts", "stoppades", "för stort"))
    assert time.monotonic() - started < console.TIMEOUT_S + 5
    assert status_mb("VmHWM") - before < 100  # the worker held the bomb, not this process


def test_row_limit_truncates_and_says_so(console):
    result = console.run("SELECT * FROM coverage_kommun", row_limit=100)
    assert len(result.frame) == 100 and result.truncated
    assert len(console.run("SELECT * FROM range(20000)").frame) == console.ROW_LIMIT


def test_long_cells_are_cut_and_a_big_result_stops_at_the_byte_cap(console):
    cut = console.run("SELECT repeat('é', 100000) AS s FROM range(3)")
    assert cut.cells_truncated and not cut.truncated
    assert cut.frame["s"].str.len().tolist() == [console.CELL_CHARS + 1] * 3 and cut.frame["s"][0].endswith("…")
    big = console.run("SELECT i, repeat('x', 4000) AS s FROM range(10000) t(i)")
    assert big.bytes_truncated and 0 < len(big.frame) < 10000
    assert big.frame["s"].str.len().sum() <= console.MAX_RESULT_BYTES


INTROSPECTION = [
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_databases()",
    "SELECT * FROM pragma_database_list",
    "SELECT current_setting('temp_directory') AS t, current_setting('home_directory') AS h, "
    "current_setting('extension_directory') AS e, current_setting('secret_directory') AS s",
    "SELECT current_setting('allowed_paths') AS p, current_setting('allowed_directories') AS d",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM pragma_database_size()",
    "SELECT * FROM duckdb_temporary_files()",
    "SELECT * FROM duckdb_logs()",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM glob('*')",
    "SELECT * FROM nope_table",
    "SELECT * FROM read_blob('" + str(ROOT / "app.py") + "')",
    "EXPLAIN ANALYZE SELECT * FROM goal",
    "SELECT * FROM pragma_storage_info('goal')",
]


@pytest.mark.parametrize("sql", INTROSPECTION)
def test_nothing_readable_reveals_a_server_path(console, sql):
    try:
        shown = console.run(sql).frame.to_csv()
    except console.Refused as refusal:
        shown = str(refusal)
    leaked = [path for path in SERVER_PATHS if path in shown]
    assert not leaked, shown[:2000]


def test_neutral_settings_are_what_the_worker_reports(console):
    settings = console.run("SELECT name, value FROM duckdb_settings() WHERE name IN ('home_directory', "
                           "'temp_directory', 'secret_directory', 'extension_directory', 'enable_external_access', "
                           "'lock_configuration')").frame.set_index("name")["value"].to_dict()
    assert settings["enable_external_access"] == "false" and settings["lock_configuration"] == "true"
    assert settings["home_directory"] == "/" and settings["temp_directory"] in ("", None)
    paths = console.run("SELECT path FROM duckdb_databases() WHERE path IS NOT NULL").frame
    assert paths.empty


@pytest.mark.parametrize("sql, words", [
    ("SELEC * FROM goal", ["Syntaxfel", '"SELEC"']),
    ("SELECT * FROM goals", ["Tabellen goals finns inte"]),
    ("SELECT nope FROM goal", ["Kolumnen nope finns inte"]),
    ("SELECT 'abc' + 1", ["Typerna passar inte ihop"]),
    ("SELECT CAST('abc' AS INTEGER)", ["Typerna passar inte ihop"]),
    ("SELECT * FROM survey_response", ["Enkätsvar per person finns inte"]),
    ("SELECT no_such_function(1)", ["Funktionen no_such_function finns inte"]),
])
def test_errors_are_shown_in_swedish(console, sql, words):
    with pytest.raises(console.Refused) as refusal:
        console.run(sql)
    assert all(word in str(refusal.value) for word in words), str(refusal.value)


def test_missing_values_are_shown_as_empty_cells(console):
    frame = console.run("SELECT NULL::VARCHAR AS a, 'x' AS b, NULL::INTEGER AS c, 2 AS d").frame
    shown = console.shown(frame)
    assert shown.loc[0, "a"] == "" and shown.loc[0, "b"] == "x" and shown.loc[0, "d"] == 2
    assert "None" not in shown.to_csv()


def test_suppressed_groups_stay_hidden_in_the_console(console):
    rows = console.run("SELECT * FROM goal_fulfilment WHERE suppressed").frame
    assert len(rows) > 0
    assert rows[["n_positive", "share_positive", "mean_score", "ci_low", "ci_high"]].isna().all().all()


def test_rejected_survey_lines_never_show_raw_answers(console):
    rows = console.run("SELECT count(*) AS n FROM rejects WHERE kind = 'parent_survey' AND raw_line IS NOT NULL").frame
    assert rows["n"].iloc[0] == 0


def test_a_survey_cell_typed_in_the_wrong_column_never_reaches_the_console(source, tmp_path, monkeypatch):
    from fc import console

    items = [item for item, _ in survey_items()]
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180"), centre_row("C2", "0180")])
    answers = [4] * len(items)
    write_csv(source, "parent_survey.csv", survey_header(), [
        ["r1", "C1", 2023, "kvinna", "svenska", *answers],
        ["r2", "C1", 2023, "070-123 45 67", "svenska", *answers],  # a phone number in gender
        ["r3", "C1", 2023, "kvinna", "Anna Andersson", *answers],  # a name in language
        ["r4", "C1", 2023, "kvinna", "svenska", "Bertil Berg", *answers[1:]],  # a name in an answer
        ["r5", "C1", 2023, "kvinna", "svenska", "19851231-1234", *answers[1:]],  # a personal number, out of range
        ["r6", "Cecilia Carlsson", 2023, "kvinna", "svenska", *answers],  # a name as centre_id
        ["r7", "C1", "0701234567", "kvinna", "svenska", *answers],  # a phone number as year
        ["r8", "C1", "Dag", "kvinna", "svenska", *answers],  # a name as year
    ])
    db = tmp_path / "out" / "fc.duckdb"
    build(source, db)
    monkeypatch.setenv("FC_DB", str(db))
    secrets = ["070-123", "Anna", "Bertil", "19851231", "Cecilia", "0701234567", "Dag"]
    shown = console.run("SELECT * FROM rejects WHERE kind = 'parent_survey' ORDER BY line_number").frame
    assert len(shown) == 7 and shown["raw_line"].isna().all()
    assert not [s for s in secrets if s in shown.to_csv()], shown["reason"].tolist()
    assert all("kolumnen" in r or "frågan" in r or "centre_id" in r for r in shown["reason"])
    with duckdb.connect(str(db), read_only=True) as con:  # the administrator's own table keeps the line
        raw = [line for (line,) in con.execute("SELECT raw_line FROM rejects ORDER BY line_number").fetchall()]
        reasons = [r for (r,) in con.execute("SELECT reason FROM rejects").fetchall()]
    assert "070-123 45 67" in raw[0]
    assert not [s for s in secrets if any(s in r for r in reasons)]


def test_old_generations_take_their_console_files_with_them(source, tmp_path):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180")])
    db = tmp_path / "fc.duckdb"
    gen = generations_dir(db)
    (gen).mkdir(parents=True)
    orphan = gen / "20000101T000000000000-1.console.duckdb"  # left by a build killed between its two renames
    orphan.write_bytes(b"")
    for _ in range(5):
        build(source, db)
    generations = sorted(p for p in gen.glob("*.duckdb") if not publish.is_console_file(p))
    consoles = sorted(p for p in gen.glob("*.duckdb") if publish.is_console_file(p))
    assert len(generations) == 3
    assert consoles == sorted(publish.console_path(g) for g in generations)
    assert sorted(os.listdir(gen)) == sorted(p.name for p in generations + consoles)


def test_a_database_built_before_the_console_file_gets_one_from_the_command_line(source, tmp_path, monkeypatch):
    from fc import console

    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180")])
    db = tmp_path / "fc.duckdb"
    build(source, db)
    monkeypatch.setenv("FC_DB", str(db))
    publish.console_path(os.path.realpath(db)).unlink()
    with pytest.raises(console.Refused, match="etl.publish"):
        console.run("SELECT 1")
    done = subprocess.run([sys.executable, "-m", "etl.publish", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(publish.console_path(os.path.realpath(db)).stat().st_mode) == 0o444
    assert console.run("SELECT count(*) AS n FROM centres").frame["n"].tolist() == [1]


def test_every_relation_and_column_in_the_console_is_described(console):
    schema = console.schema()
    assert set(console.ALLOWED) <= set(schema["relation"]) <= set(console.ALLOWED) | set(publish.OPTIONAL)
    missing = schema[schema["description"] == ""]
    assert missing.empty, missing[["relation", "column"]].to_string()


def test_example_queries_all_run(console):
    examples = console.examples()
    assert len(examples) >= 5
    for title, sql in examples.items():
        frame = console.run(sql).frame
        assert isinstance(frame, pd.DataFrame) and len(frame.columns) > 0, title
