"""The SQL console's own database: a read-only file beside each generation holding only the published relations.

The build writes `<generation stem>.console.duckdb` next to every generation file. It holds copies of the
relations an analyst may query (as tables) and nothing else: no respondent-level table, no per-cell count
table, no raw survey line and no reason that repeats a survey cell. The console's worker process opens
this file, never the generation, so what is not in it cannot be reached by any query.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

CONSOLE_SUFFIX = ".console.duckdb"

# Relation -> the SELECT that publishes it. A survey line is one respondent's answers, and a reason
# could repeat a cell typed into the wrong column (a name, a phone number): the console copy of
# rejects keeps neither for parent_survey. The reason of a survey row is cut at its first quoted value
# as a second guard; etl/rules.py already writes survey reasons without cell values.
PUBLISHED = {
    "centres": "SELECT * FROM centres",
    "coverage_kommun": "SELECT * FROM coverage_kommun",
    "coverage_lan": "SELECT * FROM coverage_lan",
    "goal_fulfilment": "SELECT * FROM goal_fulfilment",
    "self_reflection_area": "SELECT * FROM self_reflection_area",
    "reporting_status": "SELECT * FROM reporting_status",
    "follow_up_years": "SELECT * FROM follow_up_years",
    "units": "SELECT * FROM units",
    "self_reflection": "SELECT * FROM self_reflection",
    "activity": "SELECT * FROM activity",
    "survey_item": "SELECT * FROM survey_item",
    "statement": "SELECT * FROM statement",
    "goal": "SELECT * FROM goal",
    "kommun": "SELECT * FROM kommun",
    "lan": "SELECT * FROM lan",
    "children_0_5": "SELECT * FROM children_0_5",
    "load_summary": "SELECT * FROM load_summary",
    "rejects": (
        "SELECT * REPLACE ("
        "CASE WHEN kind = 'parent_survey' THEN NULL ELSE raw_line END AS raw_line, "
        "CASE WHEN kind = 'parent_survey' THEN regexp_replace(reason, '''.*', '…') ELSE reason END AS reason) "
        "FROM rejects"
    ),
    "build_info": "SELECT * FROM build_info",
    "county_settings": "SELECT * FROM county_settings",
    "centre_priority": "SELECT * FROM centre_priority",
}
# Published when the build made them (newer analytical tables); already disclosure-controlled at build time.
OPTIONAL = {
    "item_distribution": "SELECT * FROM item_distribution",
}


def console_path(generation: str | Path) -> Path:
    """The console file of a generation file: `X.duckdb` -> `X.console.duckdb` in the same folder."""
    generation = Path(generation)
    stem = generation.name[: -len(".duckdb")] if generation.name.endswith(".duckdb") else generation.name
    return generation.with_name(stem + CONSOLE_SUFFIX)


def generation_of(console: str | Path) -> Path:
    """The generation file a console file belongs to: `X.console.duckdb` -> `X.duckdb`."""
    console = Path(console)
    return console.with_name(console.name[: -len(CONSOLE_SUFFIX)] + ".duckdb")


def is_console_file(path: Path) -> bool:
    """A console file, or one being written (`.part`) or its write-ahead log."""
    return path.name.endswith(CONSOLE_SUFFIX) or CONSOLE_SUFFIX + "." in path.name


def relations(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The relations this build publishes: every required one and the optional ones it has."""
    present = {name for (name,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'main'").fetchall()}
    return {**PUBLISHED, **{name: sql for name, sql in OPTIONAL.items() if name in present}}


# Made through disclosure control's decision (etl/sql/13_goal_fulfilment.sql); the build copies the other
# relations while the decision is still being made.
AFTER_DISCLOSURE = ("goal_fulfilment", "item_distribution")


def copy_relations(con: duckdb.DuckDBPyConnection, published: dict[str, str]) -> None:
    """Create each relation (name -> its SELECT) as a table in the attached console file."""
    for name, select in published.items():
        con.execute(f"CREATE TABLE console_copy.{name} AS {select}")


def start_console_db(con: duckdb.DuckDBPyConnection, path: str | Path) -> None:
    """Attach a new console file `path` to `con` and copy the published relations that do not wait for disclosure control."""
    path = Path(path)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    quoted = "'" + str(path).replace("'", "''") + "'"
    con.execute(f"ATTACH {quoted} AS console_copy (READ_WRITE)")
    copy_relations(con, {name: sql for name, sql in relations(con).items() if name not in AFTER_DISCLOSURE})


def finish_console_db(con: duckdb.DuckDBPyConnection, path: str | Path) -> Path:
    """Copy the remaining published relations into the attached console file `path`, detach it, make it read-only."""
    path = Path(path)
    try:
        copied = {name for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'console_copy'").fetchall()}
        copy_relations(con, {name: sql for name, sql in relations(con).items() if name not in copied})
        con.execute("CHECKPOINT console_copy")
    finally:
        con.execute("DETACH console_copy")
    os.chmod(path, 0o444)
    return path


def write_console_db(con: duckdb.DuckDBPyConnection, path: str | Path) -> Path:
    """Write the published relations of `con` to a new read-only file `path`."""
    start_console_db(con, path)
    return finish_console_db(con, path)


def main(argv: list[str] | None = None) -> int:
    """`python -m etl.publish PATH`: write the console file of an existing database (one built before it existed)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m etl.publish",
                                     description="Skriv SQL-konsolens databas bredvid en befintlig databas.")
    parser.add_argument("db", type=Path, help="databasen (länken eller generationsfilen)")
    args = parser.parse_args(argv)
    generation = Path(os.path.realpath(args.db))
    target = console_path(generation)
    part = target.with_name(target.name + ".part")
    try:
        with duckdb.connect(str(generation), read_only=True) as con:
            write_console_db(con, part)
        os.replace(part, target)
    except (OSError, duckdb.Error) as exc:
        part.unlink(missing_ok=True)
        print(f"FEL: konsolens databas kunde inte skrivas: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    print(f"Skrev {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
