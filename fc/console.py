"""The analysts' SQL console: every query runs in a throwaway, resource-limited process over the console file.

Safety does not rest on one check. The build writes, beside each generation, a read-only file holding only
the published relations (`etl.publish`); respondent-level tables and survey raw lines are not in it. Each
query starts `fc/console_worker.py` in its own process, which limits its address space, CPU time, file
writes and open files, copies that file (attached READ_ONLY) into its own memory, switches off external
access, locks its configuration and refuses anything but one SELECT. This process kills it at the time
limit and reads at most a capped number of bytes back, so no query can change what another visitor sees,
read a file, show a server path, or make the dashboard's own process grow.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import streamlit as st

from etl import publish
from fc import console_worker, db

ALLOWED = tuple(publish.PUBLISHED)  # every console file has these; newer builds may add publish.OPTIONAL ones
PRIVATE = console_worker.PRIVATE
ROW_LIMIT = 10_000
TIMEOUT_S = 10.0
MAX_RESULT_BYTES = 16 * 2**20  # Arrow bytes a result may bring back; longer results are cut and say so
CELL_CHARS = 5_000  # a longer text cell is cut with "…"
MAX_SQL_CHARS = 100_000
WORKER = Path(console_worker.__file__).resolve()
WORKER_ADDRESS_SPACE = 1280 * 2**20  # RLIMIT_AS: Python, DuckDB and pyarrow start in about 0.5 GB of it
WORKER_DUCKDB_MEMORY = "512MB"
WORKER_THREADS = 2
WORKER_CWD = "/"  # neutral: nothing relative resolves to the project
# glibc would reserve 64 MB of address space per thread for malloc arenas; two keep the worker inside its limit.
WORKER_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/", "MALLOC_ARENA_MAX": "2"}
MAX_WORKERS = 2  # concurrent console queries on this server; more wait for a free slot up to the time limit
_slots = threading.BoundedSemaphore(MAX_WORKERS)
LOG = logging.getLogger(__name__)


class Refused(Exception):
    """A query the console will not run, or that stopped; the message is Swedish and says why."""


@dataclass
class Result:
    frame: pd.DataFrame
    truncated: bool  # more rows than the row limit
    cells_truncated: bool = False  # a text cell longer than CELL_CHARS was cut
    bytes_truncated: bool = False  # the result was cut at MAX_RESULT_BYTES


def console_file() -> Path:
    """The console file of the generation this run reads."""
    path = publish.console_path(db.generation())
    if not path.exists():
        raise Refused("Konsolen saknar sin databas för den här inläsningen. Be den som förvaltar FC-kompassen att "
                      "bygga databasen på nytt (python -m etl build) eller skriva konsolens databas "
                      "(python -m etl.publish och databasens sökväg).")
    return path


def check(sql: str) -> None:
    """Refuse anything but one SELECT (or EXPLAIN of one), as DuckDB's parser sees it; parsed in-process."""
    import duckdb

    with duckdb.connect(":memory:") as con:
        try:
            console_worker.check(con, sql)
        except console_worker.Refusal as refusal:
            raise Refused(str(refusal)) from None


def _read_capped(stream, cap: int, sink: bytearray, over: threading.Event, proc: subprocess.Popen) -> None:
    """Read a pipe into `sink` until EOF; past `cap` bytes stop and kill the worker."""
    fd = stream.fileno()
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        if len(sink) + len(chunk) > cap:
            over.set()
            proc.kill()
            return
        sink += chunk


_spares: dict[str, subprocess.Popen] = {}
_spares_lock = threading.Lock()


def _start(path: str, timeout_s: float) -> subprocess.Popen:
    """A worker that limits itself and prepares its copy of `path`, then waits for its query.

    The worker sets its own rlimits as its first act, before it reads anything: `preexec_fn` would run
    Python between fork and exec in this multi-threaded server, which can deadlock (see subprocess docs).
    """
    cpu = int(timeout_s * WORKER_THREADS) + 10  # the query's time on every thread, plus starting up
    proc = subprocess.Popen(
        [sys.executable, "-I", "-B", str(WORKER), "--memory", str(WORKER_ADDRESS_SPACE), "--cpu", str(cpu)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=WORKER_CWD, env=WORKER_ENV,
        close_fds=True, start_new_session=True,
    )
    setup = {"path": path, "duckdb_memory": WORKER_DUCKDB_MEMORY, "threads": WORKER_THREADS}
    proc.stdin.write(json.dumps(setup).encode("utf-8") + b"\n")
    proc.stdin.flush()
    return proc


def _retire(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        stream.close()


def _take(path: str, timeout_s: float) -> subprocess.Popen:
    """The spare worker prepared for `path` (or a new one); a new spare is started for the next query."""
    with _spares_lock:
        proc = _spares.pop(path, None)
        for other in list(_spares):  # spares of an older generation
            _retire(_spares.pop(other))
        _spares[path] = _start(path, TIMEOUT_S)
    if proc is None or proc.poll() is not None or timeout_s > TIMEOUT_S:
        if proc is not None:
            _retire(proc)
        proc = _start(path, timeout_s)
    return proc


@atexit.register
def _retire_spares() -> None:
    with _spares_lock:
        for path in list(_spares):
            _retire(_spares.pop(path))


def _worker(path: str, request: dict, timeout_s: float) -> tuple[dict, bytes]:
    """Run one query in a worker; its JSON header and Arrow bytes. Kills it at the time limit."""
    proc = _take(path, timeout_s)
    out, err = bytearray(), bytearray()
    over = threading.Event()
    readers = [threading.Thread(target=_read_capped, args=(proc.stdout, MAX_RESULT_BYTES + 2**20, out, over, proc),
                                daemon=True),
               threading.Thread(target=_read_capped, args=(proc.stderr, 2**16, err, threading.Event(), proc),
                                daemon=True)]
    for reader in readers:
        reader.start()
    started = time.monotonic()
    try:
        try:
            proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the worker died at once; its exit status says so below
        try:
            proc.wait(timeout=max(0.1, timeout_s - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            raise Refused(f"Frågan avbröts efter {timeout_s:g} sekunder. Begränsa den med WHERE eller LIMIT, "
                          "eller räkna på färre rader.") from None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for reader in readers:
            reader.join(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            stream.close()
    if over.is_set():
        raise Refused("Resultatet blev för stort för konsolen. Välj färre kolumner eller rader.")
    header, _, body = bytes(out).partition(b"\n")
    try:
        parsed = json.loads(header)
    except ValueError:
        LOG.warning("Console worker ended with status %s: %s", proc.returncode,
                    console_worker.scrub(err.decode("utf-8", "replace"))[-500:])
        raise Refused("Frågan stoppades: den behövde mer minne eller tid än konsolen ger en fråga. Begränsa den "
                      "med WHERE eller LIMIT.") from None
    return parsed, body


def run(sql: str, row_limit: int = ROW_LIMIT, timeout_s: float = TIMEOUT_S, path: str | Path | None = None) -> Result:
    """Run one read-only query in a worker process, with row, size, memory and time limits."""
    if not sql or not sql.strip():
        raise Refused("Skriv en fråga (SELECT …).")
    if len(sql) > MAX_SQL_CHARS:
        raise Refused(f"Frågan är för lång (högst {MAX_SQL_CHARS:,} tecken).".replace(",", " "))
    row_limit = max(1, min(int(row_limit), ROW_LIMIT))
    path = str(path or console_file())
    request = {"sql": sql, "rows": row_limit, "bytes": MAX_RESULT_BYTES, "cell_chars": CELL_CHARS}
    if not _slots.acquire(timeout=timeout_s):
        raise Refused("Konsolen är upptagen av andra frågor just nu. Försök igen om en stund.")
    try:
        header, body = _worker(path, request, timeout_s)
    finally:
        _slots.release()
    if not header.get("ok"):
        raise Refused(console_worker.scrub(header.get("message") or "Frågan gick inte att köra."))
    try:
        table = pa.ipc.open_stream(body).read_all() if body else pa.table({})
        frame = table.to_pandas(integer_object_nulls=True)  # an integer column with NULLs stays integers
    except (pa.ArrowException, ValueError, OverflowError) as exc:
        LOG.warning("Console result could not be converted: %s", exc)
        raise Refused("Resultatet innehåller värden som konsolen inte kan visa. Omvandla dem till text "
                      "(::VARCHAR).") from None
    return Result(frame, bool(header.get("rows_truncated")), bool(header.get("cells_truncated")),
                  bool(header.get("bytes_truncated")))


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The result as the page shows it: a missing value is an empty cell, not "None" (downloads keep types)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.isna().any():
            out[column] = values.astype(object).map(lambda v: "" if _missing(v) else v)
    return out


DOCS = Path(__file__).resolve().parent / "schema_docs.csv"
EXAMPLES = Path(__file__).resolve().parent / "console_examples"
SCHEMA_SQL = (
    "SELECT table_name AS relation, column_name AS column, data_type AS type FROM duckdb_columns() "
    "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index"
)


@st.cache_data(max_entries=4, show_spinner=False)
def _columns(console: str) -> pd.DataFrame:
    return run(SCHEMA_SQL, path=console, timeout_s=30).frame


def schema() -> pd.DataFrame:
    """Every relation and column the console offers, with its one-line description."""
    docs = pd.read_csv(DOCS, dtype=str, keep_default_na=False)
    described = {(r, c): d for r, c, d in docs.itertuples(index=False)}
    columns = _columns(str(console_file()))
    order = {name: i for i, name in enumerate([*publish.PUBLISHED, *publish.OPTIONAL])}
    rows = []
    for relation in sorted(columns["relation"].unique(), key=lambda name: (order.get(name, len(order)), name)):
        rows.append((relation, "", "", described.get((relation, ""), "")))
        for _, column, kind in columns[columns["relation"] == relation].itertuples(index=False):
            rows.append((relation, column, kind, described.get((relation, column), "")))
    return pd.DataFrame(rows, columns=["relation", "column", "type", "description"])


def examples() -> dict[str, str]:
    """Example queries: title (the first comment line) -> SQL."""
    found = {}
    for path in sorted(EXAMPLES.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        found[text.splitlines()[0].lstrip("- ").strip()] = text
    return found
