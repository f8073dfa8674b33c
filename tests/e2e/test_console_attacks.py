"""Console attacks: a 60+ query hostile corpus against fc.console.run, and a subset through the real page.

In the browser one context attacks on Utforska while another checks that goal_fulfilment and goal still
read as before; the server's peak resident memory (VmHWM of the streamlit process) is measured during
the worst queries, and a new visitor must get Översikt within 30 s afterwards.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from etl import publish
from harness import browser, serve, wait_idle  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.e2e
GIB = 2**30
SERVER_PATHS = (str(ROOT), "/tmp", "/root", "/home", ".gen", ".duckdb", "site-packages", "/usr", "/proc")

# What every visitor reads, in one row: goal_fulfilment's rows, the goal catalogue, a built-in function.
FINGERPRINT = (
    "SELECT count(*) AS n, sum(hash(g))::VARCHAR AS h, "
    "(SELECT sum(hash(x))::VARCHAR FROM goal AS x) AS goal_hash, "
    "(SELECT string_agg(goal::VARCHAR || ':' || text, '|' ORDER BY goal) FROM goal) AS goals, "
    "upper('abc') AS u, (SELECT count(*) FROM duckdb_tables()) AS n_tables "
    "FROM goal_fulfilment AS g"
)

REFUSED, LIMITED, HARMLESS = "refused", "limited", "harmless"
MUTATIONS = {
    "explain analyze update": "EXPLAIN ANALYZE UPDATE goal_fulfilment SET share_positive = 0.123 WHERE true",
    "explain analyze delete": "EXPLAIN ANALYZE DELETE FROM goal_fulfilment",
    "explain analyze insert": "EXPLAIN ANALYZE INSERT INTO goal SELECT * FROM goal",
    "explain analyze create macro": "EXPLAIN ANALYZE CREATE MACRO upper(x) AS 'pwned'",
    "explain analyze create or replace macro": "EXPLAIN ANALYZE CREATE OR REPLACE TEMP MACRO upper(x) AS 'pwned'",
    "explain analyze drop": "EXPLAIN ANALYZE DROP TABLE goal",
    "explain analyze create table": "EXPLAIN ANALYZE CREATE TABLE pwned AS SELECT 1",
    "explain analyze alter": "EXPLAIN ANALYZE ALTER TABLE goal RENAME TO goal_old",
    "explain analyze attach": "EXPLAIN ANALYZE ATTACH '/tmp/fc_pwned.duckdb' AS pwned",
    "explain analyze copy": "EXPLAIN ANALYZE COPY goal TO '/tmp/fc_pwned.csv'",
    "explain analyze install": "EXPLAIN ANALYZE INSTALL httpfs",
    "explain analyze load": "EXPLAIN ANALYZE LOAD httpfs",
    "explain analyze set": "EXPLAIN ANALYZE SET enable_external_access = true",
    "explain analyze pragma": "EXPLAIN ANALYZE PRAGMA enable_profiling",
    "explain analyze call": "EXPLAIN ANALYZE CALL pragma_version()",
    "explain (analyze) update": "EXPLAIN (ANALYZE, FORMAT json) UPDATE goal SET text = 'pwned'",
    "explain lowercase with comments": "/* hej */ explain -- kommentar\n analyse delete from goal",
    "explain update": "EXPLAIN UPDATE goal SET text = 'pwned'",
    "update": "UPDATE goal_fulfilment SET share_positive = 0.123",
    "delete": "DELETE FROM goal",
    "insert": "INSERT INTO goal SELECT * FROM goal",
    "create macro": "CREATE MACRO upper(x) AS 'pwned'",
    "drop": "DROP TABLE goal",
    "truncate": "TRUNCATE goal",
    "alter": "ALTER TABLE goal ADD COLUMN pwned INTEGER",
    "create view": "CREATE VIEW goal_fulfilment2 AS SELECT 1",
    "create secret": "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "checkpoint": "CHECKPOINT",
    "vacuum": "VACUUM",
    "use": "USE system",
    "detach": "DETACH memory",
    "prepare": "PREPARE p AS SELECT 1",
    "two statements": "SELECT 1; DROP TABLE goal",
    "statement after empty one": "SELECT 1;; UPDATE goal SET text = 'pwned'",
}
OUTSIDE = {
    "attach": "ATTACH '/tmp/fc_pwned.duckdb' AS pwned",
    "copy to": "COPY goal TO '/tmp/fc_pwned.csv'",
    "copy from": "COPY goal FROM '/etc/passwd'",
    "export": "EXPORT DATABASE '/tmp/fc_pwned_export'",
    "import": "IMPORT DATABASE '/tmp'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET enable_external_access = true",
    "set memory": "SET memory_limit = '100GB'",
    "reset": "RESET lock_configuration",
    "pragma": "PRAGMA database_list",
    "call": "CALL pragma_database_list()",
}
READS_OUTSIDE = {
    "read_csv passwd": "SELECT * FROM read_csv('/etc/passwd')",
    "read_csv_auto": "SELECT * FROM read_csv_auto('/etc/passwd')",
    "replacement scan": "SELECT * FROM '/etc/passwd'",
    "read_text": "SELECT * FROM read_text('/etc/hostname')",
    "read_blob app": "SELECT * FROM read_blob('" + str(ROOT / "app.py") + "')",
    "read_json": "SELECT * FROM read_json('/proc/self/environ')",
    "read_parquet url": "SELECT * FROM read_parquet('https://example.org/data.parquet')",
    "s3": "SELECT * FROM 's3://bucket/data.csv'",
    "glob": "SELECT * FROM glob('/*')",
    "glob relative": "SELECT * FROM glob('*')",
    "sniff_csv": "SELECT * FROM sniff_csv('/etc/passwd')",
    "parquet_metadata": "SELECT * FROM parquet_metadata('/etc/passwd')",
    "own database file": "SELECT * FROM read_blob('" + str(ROOT / "data" / "fc.duckdb") + "')",
    "getenv": "SELECT getenv('HOME') AS h",
    "extensions": "SELECT * FROM duckdb_extensions()",
    "respondents": "SELECT * FROM survey_response",
    "respondent scores": "SELECT * FROM respondent_goal",
    "raw goal cells": "SELECT * FROM goal_cell",
    "raw item cells": "SELECT * FROM item_cell",
    "query_table": "SELECT * FROM query_table('survey_response')",
}
INTROSPECTION = {
    "duckdb_settings": "SELECT * FROM duckdb_settings()",
    "duckdb_databases": "SELECT * FROM duckdb_databases()",
    "database_list": "SELECT * FROM pragma_database_list",
    "directories": "SELECT current_setting('temp_directory') AS t, current_setting('home_directory') AS h, "
                   "current_setting('extension_directory') AS e, current_setting('secret_directory') AS s",
    "allowed paths": "SELECT current_setting('allowed_paths') AS p, current_setting('allowed_directories') AS d",
    "secrets": "SELECT * FROM duckdb_secrets()",
    "database size": "SELECT * FROM pragma_database_size()",
    "storage info": "SELECT * FROM pragma_storage_info('goal')",
    "logs": "SELECT * FROM duckdb_logs()",
    "data-modifying cte": "WITH x AS (UPDATE goal SET text = 'pwned' RETURNING *) SELECT count(*) FROM x",
    "query() of an update": "SELECT * FROM query('UPDATE goal SET text = ''pwned''')",
    "all types": "SELECT * FROM test_all_types()",
}
BOMBS = {
    "list_sort 30M": "SELECT length(list_sort(range(30000000))) AS n",
    "repeat 1 MB x 2000": "SELECT repeat('x', 1000000) FROM range(2000)",
    "one 2 GB string": "SELECT length(repeat('x', 2000000000)) AS n",
    "list of 10 GB": "SELECT list(repeat('x', 10000)) FROM range(1000000)",
    "string_agg 5 GB": "SELECT length(string_agg(repeat('x', 1000), '')) FROM range(5000000)",
    "range list 200M": "SELECT length(range(200000000)) AS n",
    "list_transform": "SELECT length(list_transform(range(50000000), lambda x: x::VARCHAR)) AS n",
    "recursive cte forever": "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
    "recursive cte doubling": "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t, range(2)) "
                              "SELECT count(*) FROM t",
    "cross join count": "SELECT count(*) FROM range(1000000) a, range(1000000) b",
    "self cross join": "SELECT count(*) FROM goal_fulfilment a, goal_fulfilment b, goal_fulfilment c "
                       "WHERE a.n + b.n = c.n",
    "cross join sorted": "SELECT * FROM goal_fulfilment a, goal_fulfilment b ORDER BY random() LIMIT 5",
    "sort a billion": "SELECT * FROM range(1000000000) ORDER BY random() LIMIT 1",
    "hash a trillion": "SELECT sum(hash(i)) FROM range(1000000000000) t(i)",
    "summarize a billion": "SUMMARIZE SELECT * FROM range(1000000000)",
    "explain analyze bomb": "EXPLAIN ANALYZE SELECT count(*) FROM range(1000000) a, range(1000000) b",
    "huge result rows": "SELECT * FROM range(100000000)",
    "huge result bytes": "SELECT repeat('x', 100000) AS s FROM range(10000)",
    "wide huge result": "SELECT * FROM goal_fulfilment a, goal_fulfilment b",
    "deep nesting": "SELECT " + "(" * 3000 + "1" + ")" * 3000,
    "very long query": "SELECT 1 " + "+ 1 " * 40000,
}
CORPUS = {
    **{k: (v, REFUSED) for k, v in {**MUTATIONS, **OUTSIDE, **READS_OUTSIDE}.items()},
    **{k: (v, HARMLESS) for k, v in INTROSPECTION.items()},
    **{k: (v, LIMITED) for k, v in BOMBS.items()},
}
LIMIT_WORDS = ("minne", "avbröts", "stoppades", "för stort", "för lång", "Syntaxfel", "gick inte")


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def leaked_paths(text: str) -> list[str]:
    return [path for path in SERVER_PATHS if path in text]


def worker_children() -> list[int]:
    """Console workers whose parent is this process (a spare waits for the next query)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"console_worker" in cmdline:
            found.append(int(entry))
    return found


def test_the_corpus_is_large_and_covers_every_kind():
    assert len(CORPUS) >= 60
    kinds = {kind for _, kind in CORPUS.values()}
    assert kinds == {REFUSED, LIMITED, HARMLESS}


def test_every_hostile_query_is_refused_limited_or_harmless(app_db):
    """The whole corpus against fc.console.run: outcome per kind, no path shown, nothing changed, time bounded."""
    from fc import console

    generation = Path(os.path.realpath(app_db))
    console_file = publish.console_path(generation)
    files_before = digest(generation), digest(console_file)
    before = console.run(FINGERPRINT).frame
    failures = []
    for name, (sql, kind) in CORPUS.items():
        started = time.monotonic()
        try:
            result = console.run(sql)
        except console.Refused as refusal:
            shown, refused = str(refusal), True
        else:
            shown, refused = result.frame.to_csv(), False
        seconds = time.monotonic() - started
        if leaked_paths(shown):
            failures.append(f"{name}: shows {leaked_paths(shown)}: {shown[:300]}")
        if seconds > console.TIMEOUT_S + 5:
            failures.append(f"{name}: took {seconds:.1f} s")
        if kind == REFUSED and not refused:
            failures.append(f"{name}: ran, should be refused")
        if kind == LIMITED and not refused and not (result.truncated or result.bytes_truncated
                                                   or result.cells_truncated):
            failures.append(f"{name}: ran to the end unlimited")
        if kind == LIMITED and refused and not any(word in shown for word in LIMIT_WORDS):
            failures.append(f"{name}: refused without saying why: {shown}")
    assert failures == []
    after = console.run(FINGERPRINT).frame
    pd.testing.assert_frame_equal(before, after)
    assert after["u"].iloc[0] == "ABC" and "pwned" not in after["goals"].iloc[0]
    assert (digest(generation), digest(console_file)) == files_before
    assert stat.S_IMODE(console_file.stat().st_mode) == 0o444
    assert not [p for p in Path("/tmp").glob("fc_pwned*")]
    assert len(worker_children()) <= 1  # only the spare for the next query is left


# --- the real page in Chromium ---------------------------------------------------------------------

# The whole corpus goes through the page too: attacks and introspection in one test, bombs in the next.
BROWSER_ATTACKS = [(sql, kind) for sql, kind in CORPUS.values() if kind != LIMITED]
BROWSER_BOMBS = list(BOMBS.values())


def status_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def server_pid(url: str) -> int:
    """The streamlit process serving `url` (found by its --server.port argument)."""
    port = url.rsplit(":", 1)[1].encode()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and b"--server.port" in args and \
                args[args.index(b"--server.port") + 1] == port:
            return int(entry)
    raise LookupError(url)


@pytest.fixture(scope="module")
def console_server(demo_source, demo_db):
    for url in serve(demo_source, demo_db):
        yield url, server_pid(url)


def ask(page, url: str, sql: str) -> str:
    """Open Utforska afresh, run `sql` with the button, and return what the page answered (error or caption)."""
    page.goto(f"{url}/utforska")
    wait_idle(page)
    page.get_by_role("textbox", name="SQL", exact=True).fill(sql)
    page.get_by_role("button", name="Kör fråga").click()
    answer = page.locator('[data-testid="stAlertContentError"]').or_(page.get_by_text(re.compile(r"^[\d\u00a0]+ rad(er)?$")))
    answer.first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    return answer.first.inner_text()


def download_result(page) -> pd.DataFrame:
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner CSV").first.click()
    return pd.read_csv(download.value.path(), sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)


def test_attacks_in_the_browser_change_nothing_for_another_visitor(console_server, browser):
    url, pid = console_server
    watcher = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    attacker = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    checker, page = watcher.new_page(), attacker.new_page()
    try:
        assert ask(checker, url, FINGERPRINT) == "1 rad"
        before = download_result(checker)
        for sql, kind in BROWSER_ATTACKS:
            answer = ask(page, url, sql)
            assert kind == HARMLESS or not re.fullmatch(r"[\d\u00a0]+ rad(er)?", answer), (sql, answer)
            assert not leaked_paths(page.inner_text("body")), sql
        assert ask(page, url, INTROSPECTION["duckdb_settings"]).endswith(("rad", "rader"))
        settings = download_result(page)
        assert len(settings) > 100 and not leaked_paths(settings.to_csv())
        assert ask(checker, url, FINGERPRINT) == "1 rad"
        after = download_result(checker)
        pd.testing.assert_frame_equal(before, after)
        assert after["u"].iloc[0] == "ABC" and "pwned" not in after["goals"].iloc[0]
    finally:
        watcher.close()
        attacker.close()


def test_bombs_in_the_browser_keep_the_server_small_and_responsive(console_server, browser):
    url, pid = console_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    peaks = {"before": status_kb(pid, "VmHWM")}
    try:
        for sql in BROWSER_BOMBS:
            started = time.monotonic()
            answer = ask(page, url, sql)
            assert any(word in answer for word in LIMIT_WORDS) or answer.endswith(("rad", "rader")), (sql, answer)
            assert time.monotonic() - started < 45
            peaks[sql[:40]] = status_kb(pid, "VmHWM")
    finally:
        context.close()
    print("streamlit server peak resident memory (VmHWM, MB):", {k: round(v / 1024) for k, v in peaks.items()})
    assert max(peaks.values()) * 1024 < 1.5 * GIB
    visitor = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        started = time.monotonic()
        overview = visitor.new_page()
        overview.goto(url)
        wait_idle(overview, timeout_ms=30_000)
        assert overview.locator('[data-testid="stMetric"]').count() > 0
        assert time.monotonic() - started < 30
    finally:
        visitor.close()
