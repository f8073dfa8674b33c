"""One SQL console query in a throwaway, resource-limited process; started by `fc.console.run`.

Usage (the parent does this): `python -I -B fc/console_worker.py --memory BYTES --cpu SECONDS` in a neutral
working directory with an almost empty environment. On stdin a JSON line naming the console file (the worker
prepares its database, then waits) and a JSON line with the query; on stdout a JSON header line and an Arrow
IPC stream. The module needs only the standard library, duckdb and pyarrow, so it runs without the
project on the path.

Layers, none relying on another:
- the process limits itself before it reads the request: address space, CPU seconds, file size 0, open files;
- DuckDB attaches the console file (read-only on disk, holding only published relations) READ_ONLY, copies
  it into this process's own in-memory database and detaches it, so no path is left to show; then external
  access is switched off and the configuration locked;
- only one SELECT (or EXPLAIN of one) is run: DuckDB's own parser classifies it, also inside EXPLAIN;
- the result is capped in rows, in characters per text cell and in bytes before it leaves the process;
- error messages are translated to Swedish and scrubbed of anything that looks like a file path.
Whatever a query does to the in-memory copy dies with the process.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import signal
import sys

OPEN_FILES = 64

# Settings that could show a server path are set to neutral values before the configuration is locked.
NEUTRAL = {
    "home_directory": "/",
    "extension_directory": "/",
    "secret_directory": "/",
    "temp_directory": "",
}

# Anything that looks like an absolute path of two or more parts, or a home-relative one.
PATH_LIKE = re.compile(r"(?:~|(?<![\w.])\.{0,2})/(?:[^\s/\"'`,;:()\[\]]+/)+[^\s/\"'`,;:()\[\]]*|[A-Za-z]:\\[^\s\"']+")

REFUSED_KIND = (
    "Konsolen kan bara läsa data (SELECT). {kind} är inte tillåtet: den kan inte skriva, läsa filer, koppla in "
    "databaser, ladda tillägg, ändra inställningar eller nå nätet."
)
PRIVATE = ("survey_response", "respondent_goal")


class Refusal(Exception):
    """A query this process will not run, or could not; the message is Swedish."""


def limit_self(memory_bytes: int, cpu_seconds: int) -> None:
    """Bound this process before any untrusted input is read."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write to a file fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def scrub(text: str) -> str:
    """Remove anything that looks like a file path from a message."""
    return PATH_LIKE.sub("…", text)


def _inner_of_explain(query: str) -> str:
    """The statement an EXPLAIN [ANALYZE] [(options)] explains, found with DuckDB's own tokenizer."""
    import duckdb

    tokens = duckdb.tokenize(query)
    bounds = [(pos, tokens[i + 1][0] if i + 1 < len(tokens) else len(query), kind.name)
              for i, (pos, kind) in enumerate(tokens)]
    bounds = [(a, b) for a, b, kind in bounds if kind != "comment"]
    words = [query[a:b].strip().upper() for a, b in bounds]
    if not words or words[0] != "EXPLAIN":
        return ""
    i = 1
    while i < len(words):
        if words[i] in ("ANALYZE", "ANALYSE", "VERBOSE"):
            i += 1
        elif words[i] == "(":
            depth = 0
            while i < len(words):
                depth += words[i] == "("
                depth -= words[i] == ")"
                i += 1
                if depth == 0:
                    break
        else:
            break
    return query[bounds[i][0]:] if i < len(words) else ""


def check(con, sql: str) -> None:
    """Refuse anything but one SELECT, or EXPLAIN [ANALYZE] of one SELECT, as DuckDB's parser sees it."""
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise Refusal(translate(exc)) from None
    if not statements:
        raise Refusal("Skriv en fråga (SELECT …).")
    if len(statements) > 1:
        raise Refusal("Kör en fråga i taget.")
    kind = statements[0].type.name
    if kind == "EXPLAIN":
        inner = _inner_of_explain(statements[0].query)
        try:
            explained = con.extract_statements(inner) if inner.strip() else []
        except duckdb.Error:
            explained = []
        inner_kind = explained[0].type.name if len(explained) == 1 else "okänd sats"
        if inner_kind != "SELECT":
            raise Refusal(f"EXPLAIN går bara att använda på en SELECT-fråga. {REFUSED_KIND.format(kind=inner_kind)}")
    elif kind != "SELECT":
        raise Refusal(REFUSED_KIND.format(kind=kind))


def translate(exc: Exception) -> str:
    """A short Swedish message for a DuckDB error; the English detail follows, scrubbed of paths."""
    import duckdb

    text = scrub(str(exc))
    first = text.splitlines()[0] if text else ""
    detail = first.split(": ", 1)[1] if ": " in first else first
    lowered = text.lower()
    if isinstance(exc, duckdb.ParserException):
        near = re.search(r'at or near "([^"]*)"', first)
        where = f' nära "{near.group(1)}"' if near else ""
        return f"Syntaxfel i frågan{where}. Kontrollera stavning, kommatecken och parenteser."
    if isinstance(exc, duckdb.PermissionException):
        return ("Konsolen kan inte läsa filer, andra databaser, tillägg eller nå nätet; fråga mot tabellerna i "
                "schemat.")
    if isinstance(exc, duckdb.OutOfMemoryException) or isinstance(exc, MemoryError) or "bad_alloc" in lowered \
            or "out of memory" in lowered or "failed to allocate" in lowered:
        return "Frågan behövde för mycket minne och stoppades. Begränsa den med WHERE, LIMIT eller färre kolumner."
    if isinstance(exc, duckdb.InterruptException):
        return "Frågan avbröts."
    if isinstance(exc, duckdb.CatalogException):
        if any(name in lowered for name in PRIVATE):
            return ("Enkätsvar per person finns inte i konsolen: grupper under fem svarande får aldrig visas. "
                    "Använd goal_fulfilment, där små grupper redan är dolda.")
        table = re.search(r"Table with name (\S+) does not exist", first)
        if table:
            return f"Tabellen {table.group(1)} finns inte. Se schemat nedan för tabellerna som finns."
        function = re.search(r"Function with name (\S+) does not exist", first)
        if function:
            return f"Funktionen {function.group(1)} finns inte (eller är avstängd i konsolen)."
        return f"Något i frågan finns inte: {detail}"
    if isinstance(exc, duckdb.BinderException):
        column = re.search(r'Referenced column "?([^"\s]+)"? not found', first)
        if column:
            return f"Kolumnen {column.group(1)} finns inte i tabellerna som frågan läser. Se schemat nedan."
        if "no function matches" in lowered or "cannot compare" in lowered or "type" in lowered:
            return f"Typerna passar inte ihop (t.ex. text jämförd med tal): {detail}"
        return f"Frågan gick inte att tolka mot tabellerna: {detail}"
    if isinstance(exc, (duckdb.ConversionException, duckdb.TypeMismatchException)):
        return f"Typerna passar inte ihop, ett värde kunde inte omvandlas: {detail}"
    if isinstance(exc, duckdb.InvalidInputException) and "statement" in lowered:
        return f"Frågan kan inte köras i konsolen: {detail}"
    return f"Frågan gick inte att köra: {detail}"


def open_console(path: str, memory: str, threads: int):
    """An in-memory database holding a copy of the console file, external access off, configuration locked."""
    import duckdb
    import pyarrow.compute  # noqa: F401 - loaded while the worker waits, not while a visitor does

    con = duckdb.connect(":memory:", config={
        "threads": threads,
        "max_memory": memory,
        "max_temp_directory_size": "0B",
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_persistent_secrets": False,
        **NEUTRAL,
    })
    con.execute("ATTACH '" + path.replace("'", "''") + "' AS published (READ_ONLY)")
    con.execute("COPY FROM DATABASE published TO memory")
    con.execute("DETACH published")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def collect(con, sql: str, rows: int, max_bytes: int, cell_chars: int):
    """Run the query; return (record batches, schema, flags) within the row, cell and byte caps."""
    import pyarrow as pa
    import pyarrow.compute as pc

    flags = {"rows_truncated": False, "cells_truncated": False, "bytes_truncated": False}
    relation = con.sql(sql)
    if relation is None:
        return [], pa.schema([]), flags
    reader = relation.limit(rows + 1).to_arrow_reader(1024)
    batches, total, count = [], 0, 0
    for batch in reader:
        columns = []
        for column in batch.columns:
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                long = pc.greater(pc.utf8_length(column), cell_chars)
                if pc.any(long).as_py():
                    flags["cells_truncated"] = True
                    column = pc.if_else(long, pc.binary_join_element_wise(
                        pc.utf8_slice_codeunits(column, 0, cell_chars), "…", ""), column)
            elif pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
                long = pc.greater(pc.binary_length(column), cell_chars)
                if pc.any(long).as_py():
                    flags["cells_truncated"] = True
                    column = pc.if_else(long, pc.binary_slice(column, 0, cell_chars), column)
            columns.append(column)
        batch = pa.RecordBatch.from_arrays(columns, schema=batch.schema)
        if count + batch.num_rows > rows:
            batch = batch.slice(0, rows - count)
            flags["rows_truncated"] = True
        size = batch.nbytes
        if total + size > max_bytes:
            fits = 0
            while fits < batch.num_rows and total + batch.slice(0, fits + 1).nbytes <= max_bytes:
                fits += 1
            batch = batch.slice(0, fits)
            flags["bytes_truncated"] = True
        if batch.num_rows:
            batches.append(batch)
            total += batch.nbytes
            count += batch.num_rows
        if flags["rows_truncated"] or flags["bytes_truncated"]:
            break
    return batches, reader.schema, flags


def respond(header: dict, batches=(), schema=None) -> None:
    out = sys.stdout.buffer
    out.write(json.dumps(header).encode("utf-8") + b"\n")
    if schema is not None:
        import pyarrow as pa

        with pa.ipc.new_stream(out, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
    out.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory", type=int, required=True, help="address space limit in bytes")
    parser.add_argument("--cpu", type=int, required=True, help="CPU seconds")
    args = parser.parse_args(argv)
    limit_self(args.memory, args.cpu)
    # Line 1 (sent at start): which file and how much memory. The process prepares its database, then waits
    # for line 2, the query, so a spare worker is ready before a visitor asks.
    setup = json.loads(sys.stdin.buffer.readline(1_000_000) or b"{}")
    con, failed = None, None
    try:
        con = open_console(setup["path"], setup["duckdb_memory"], setup["threads"])
    except Exception as exc:  # noqa: BLE001 - reported as the answer to the query
        failed = exc
    line = sys.stdin.buffer.readline(1_000_000)
    if not line:
        return 0  # the parent went away or retired this spare
    request = json.loads(line)
    try:
        if failed is not None:
            raise Refusal("Konsolens databas kunde inte öppnas. Be den som förvaltar FC-kompassen att bygga "
                          "databasen på nytt.")
        import duckdb  # noqa: F401 - imported by open_console already

        try:
            check(con, request["sql"])
            batches, schema, flags = collect(con, request["sql"], request["rows"], request["bytes"],
                                             request["cell_chars"])
        except Refusal:
            raise
        except Exception as exc:  # DuckDB's, or pyarrow's while streaming the result (e.g. out of memory)
            raise Refusal(translate(exc)) from None
    except Refusal as refusal:
        respond({"ok": False, "message": scrub(str(refusal))})
        return 0
    respond({"ok": True, **flags}, batches, schema)
    return 0


if __name__ == "__main__":
    sys.exit(main())
