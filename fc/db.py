"""Read-only access to the published database: one locked-down connection per generation, a cursor per query."""
from __future__ import annotations

import contextvars
import functools
import logging
import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "data" / "fc.duckdb"
QUERIES = Path(__file__).resolve().parent / "queries"

# Every connection to one file in a process must share one config (DuckDB refuses otherwise), so the
# dashboard and the SQL console use the same locked-down settings.
CONFIG = {
    "access_mode": "READ_ONLY",
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,
    "max_temp_directory_size": "0B",
    "max_memory": "1GB",
    "threads": 2,
    "lock_configuration": True,
}


def db_path() -> Path:
    """The database the dashboard reads: FC_DB, or the bundled demo database."""
    return Path(os.environ.get("FC_DB") or DEFAULT_DB)


# The generation this script run reads. Streamlit runs a session's script in a thread of its own, and
# app.py pins the generation at its top, so one run never mixes two builds (sidebar and figures).
_pinned: contextvars.ContextVar[str | None] = contextvars.ContextVar("fc_generation", default=None)
LOG = logging.getLogger(__name__)


def pin() -> str:
    """Resolve the database path once for this script run; every query of the run reads that file."""
    real_path = os.path.realpath(db_path())
    _pinned.set(real_path)
    return real_path


def generation() -> str:
    """The file behind the database path for this run; a rebuild swaps it, which moves every cache key."""
    return _pinned.get() or os.path.realpath(db_path())


@st.cache_resource(max_entries=3, show_spinner=False)
def _connection(real_path: str) -> duckdb.DuckDBPyConnection:
    # Older generations stay cached a while so queries in flight on them finish.
    return duckdb.connect(real_path, read_only=True, config=CONFIG)


def connection() -> duckdb.DuckDBPyConnection:
    return _connection(generation())


def sql_text(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


@st.cache_data(max_entries=512, show_spinner=False)
def _run(name: str, params: tuple, real_path: str) -> pd.DataFrame:
    try:
        with _connection(real_path).cursor() as cur:
            return cur.execute(sql_text(name), dict(params)).df()
    except duckdb.Error:
        # A file that fails (damaged, or replaced in place) is opened afresh next time.
        _connection.clear(real_path)
        raise


def query(name: str, **params) -> pd.DataFrame:
    """Run the named query in fc/queries/<name>.sql with $-parameters, cached per database generation."""
    return _run(name, tuple(sorted(params.items())), generation())


def available() -> bool:
    return db_path().exists()


def readable() -> bool:
    """Whether this run's database opens and answers; the reason goes to the server log, not to the page."""
    try:
        query("build_info")
        return True
    except duckdb.Error as exc:
        LOG.warning("Database %s cannot be read: %s", generation(), exc)
        return False


@functools.lru_cache(maxsize=8)
def _is_demo(real_path: str) -> bool:
    return _run("build_info", (), real_path).set_index("key")["value"].get("is_demo") == "true"


def is_demo() -> bool:
    """Whether the database holds the generated, fictitious demo data (asked once per generation file)."""
    return _is_demo(generation())


def plain_runner(path: str | Path):
    """A query function over a database without Streamlit (command line, reports, benchmarks)."""
    con = duckdb.connect(os.path.realpath(path), read_only=True, config=CONFIG)

    def run(name: str, **params) -> pd.DataFrame:
        with con.cursor() as cur:
            return cur.execute(sql_text(name), params).df()

    return run
