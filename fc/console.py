"""The analysts' read-only SQL console: a sandbox database holding only the analytical views, never respondents.

The console gets its own in-memory DuckDB with copies of the allowed relations, so respondent-level
tables (survey_response, respondent_goal) are not reachable by any query; external access is off and
the configuration locked, so files, other databases, extensions and the network are out of reach too.
"""
from __future__ import annotations

import threading
from pathlib import Path
from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from fc import db

# The relations an analyst may query. Rejected survey rows keep their reason but not their raw line:
# that line is one respondent's answers.
ALLOWED = {
    "centres": "SELECT * FROM src.centres",
    "coverage_kommun": "SELECT * FROM src.coverage_kommun",
    "coverage_lan": "SELECT * FROM src.coverage_lan",
    "goal_fulfilment": "SELECT * FROM src.goal_fulfilment",
    "self_reflection_area": "SELECT * FROM src.self_reflection_area",
    "reporting_status": "SELECT * FROM src.reporting_status",
    "follow_up_years": "SELECT * FROM src.follow_up_years",
    "units": "SELECT * FROM src.units",
    "self_reflection": "SELECT * FROM src.self_reflection",
    "activity": "SELECT * FROM src.activity",
    "survey_item": "SELECT * FROM src.survey_item",
    "statement": "SELECT * FROM src.statement",
    "goal": "SELECT * FROM src.goal",
    "kommun": "SELECT * FROM src.kommun",
    "lan": "SELECT * FROM src.lan",
    "children_0_5": "SELECT * FROM src.children_0_5",
    "load_summary": "SELECT * FROM src.load_summary",
    "rejects": "SELECT * REPLACE (CASE WHEN kind = 'parent_survey' THEN NULL ELSE raw_line END AS raw_line) FROM src.rejects",
    "build_info": "SELECT * FROM src.build_info",
}
PRIVATE = ("survey_response", "respondent_goal")
READ_STATEMENTS = {"SELECT", "EXPLAIN"}
ROW_LIMIT = 10_000
TIMEOUT_S = 10.0


class Refused(Exception):
    """A query the console will not run; the message is Swedish and says why."""


@dataclass
class Result:
    frame: pd.DataFrame
    truncated: bool


@st.cache_resource(max_entries=2, show_spinner=False)
def _sandbox(real_path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config={"threads": 2, "max_memory": "512MB", "autoinstall_known_extensions": False,
                                              "autoload_known_extensions": False})
    # Read the published file through the dashboard's own connection (same-file connections must share a config).
    with db._connection(real_path).cursor() as source:
        for name, sql in ALLOWED.items():
            # Arrow batches, not a DataFrame: the copy never holds a relation twice in Python objects.
            con.register("incoming", source.sql(sql.replace("src.", "")).to_arrow_reader())
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
            con.unregister("incoming")
    con.execute("SET enable_external_access = false")
    con.execute("SET allow_community_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def sandbox() -> duckdb.DuckDBPyConnection:
    return _sandbox(db.generation())


def check(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one reading statement."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise Refused(f"Frågan kunde inte tolkas: {str(exc).splitlines()[0]}") from None
    if not statements:
        raise Refused("Skriv en fråga (SELECT …).")
    if len(statements) > 1:
        raise Refused("Kör en fråga i taget.")
    kind = statements[0].type.name
    if kind not in READ_STATEMENTS:
        raise Refused(f"Konsolen kan bara läsa data (SELECT). {kind} är inte tillåtet: den kan inte skriva, "
                      "läsa filer, koppla in databaser, ladda tillägg, ändra inställningar eller nå nätet.")


def run(sql: str, row_limit: int = ROW_LIMIT, timeout_s: float = TIMEOUT_S,
        con: duckdb.DuckDBPyConnection | None = None) -> Result:
    """Run one read-only query with a row limit and a time limit."""
    con = con or sandbox()
    check(con, sql)
    cursor = con.cursor()
    timer = threading.Timer(timeout_s, cursor.interrupt)
    timer.start()
    try:
        relation = cursor.sql(sql)
        if relation is None:
            return Result(pd.DataFrame(), False)
        frame = relation.limit(row_limit + 1).df()
    except duckdb.InterruptException:
        raise Refused(f"Frågan avbröts efter {timeout_s:g} sekunder. Begränsa den med WHERE eller LIMIT.") from None
    except duckdb.PermissionException:
        raise Refused("Konsolen kan inte läsa filer, andra databaser eller nå nätet; fråga mot tabellerna i "
                      "schemat.") from None
    except duckdb.CatalogException as exc:
        if any(name in sql.lower() for name in PRIVATE):
            raise Refused("Enkätsvar per person finns inte i konsolen: grupper under fem svarande får aldrig "
                          "visas. Använd goal_fulfilment, där små grupper redan är dolda.") from None
        raise Refused(f"Frågan gick inte att köra: {str(exc).splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise Refused(f"Frågan gick inte att köra: {str(exc).splitlines()[0]}") from None
    finally:
        timer.cancel()
        cursor.close()
    return Result(frame.head(row_limit), len(frame) > row_limit)


DOCS = Path(__file__).resolve().parent / "schema_docs.csv"
EXAMPLES = Path(__file__).resolve().parent / "console_examples"


def schema() -> pd.DataFrame:
    """Every relation and column the console offers, with its one-line description."""
    docs = pd.read_csv(DOCS, dtype=str, keep_default_na=False)
    described = {(r, c): d for r, c, d in docs.itertuples(index=False)}
    rows = []
    with sandbox().cursor() as cur:
        for relation in ALLOWED:
            rows.append((relation, "", "", described.get((relation, ""), "")))
            for column, kind, *_ in cur.execute(f"DESCRIBE {relation}").fetchall():
                rows.append((relation, column, kind, described.get((relation, column), "")))
    return pd.DataFrame(rows, columns=["relation", "column", "type", "description"])


def examples() -> dict[str, str]:
    """Example queries: title (the first comment line) -> SQL."""
    found = {}
    for path in sorted(EXAMPLES.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        found[text.splitlines()[0].lstrip("- ").strip()] = text
    return found
