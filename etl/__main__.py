"""Command line: `python -m etl build --source DIR --db PATH` and `python -m etl demo`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from etl.build import BuildBusy, BuildFailed, BuildResult, build

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "data" / "fc.duckdb"
DEMO_SOURCE = ROOT / "data" / "demo"
SHOWN_REJECTS = 20


def print_summary(result: BuildResult, out=sys.stdout) -> None:
    print(f"Byggde {result.db} på {result.seconds:.1f} s" + (" (FIKTIVA DEMODATA)" if result.is_demo else ""), file=out)
    print(f"{'fil':<34} {'typ':<16} {'lästa':>9} {'inlästa':>9} {'avvisade':>9}", file=out)
    for f in result.files:
        print(f"{f['source_file']:<34} {f['kind']:<16} {f['rows_read']:>9} {f['rows_loaded']:>9} {f['rows_rejected']:>9}",
              file=out)
        if f["ignored_columns"]:
            print(f"    okända kolumner (ignoreras): {f['ignored_columns']}", file=out)
    for name in result.ignored_files:
        print(f"ignorerad fil (okänt namn): {name}", file=out)
    print(f"Totalt {result.rows_loaded} rader inlästa, {result.rows_rejected} avvisade.", file=out)
    if result.rows_rejected:
        with duckdb.connect(str(result.db), read_only=True) as con:
            rows = con.execute(
                "SELECT source_file, line_number, reason FROM rejects ORDER BY source_file, line_number LIMIT ?",
                [SHOWN_REJECTS],
            ).fetchall()
        for source_file, line, reason in rows:
            print(f"  {source_file}:{line}: {reason}", file=out)
        if result.rows_rejected > SHOWN_REJECTS:
            print(f"  … se tabellen rejects för alla {result.rows_rejected} avvisade rader", file=out)


def run_build(source: Path, db: Path) -> int:
    try:
        result = build(source, db)
    except BuildFailed as exc:
        print("Bygget avbröts; databasen som används är oförändrad.", file=sys.stderr)
        for name, reason in exc.refusals:
            print(f"FEL {name}: {reason}", file=sys.stderr)
        return 1
    except BuildBusy as exc:
        print(f"FEL: {exc}", file=sys.stderr)
        return 3
    except (OSError, duckdb.Error) as exc:
        # A full disk or an unwritable target: nothing was published.
        print(f"FEL: databasen kunde inte skrivas vid {db}: {str(exc).splitlines()[0]}. "
              "Kontrollera ledigt diskutrymme och skrivrättigheter; databasen som används är oförändrad.",
              file=sys.stderr)
        return 2
    print_summary(result)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="FC-kompassen: läs in källfiler till DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="bygg databasen från en källmapp")
    p_build.add_argument("--source", type=Path, required=True)
    p_build.add_argument("--db", type=Path, required=True)
    p_demo = sub.add_parser("demo", help="generera fiktiva demodata och bygg demodatabasen")
    p_demo.add_argument("--out", type=Path, default=DEMO_SOURCE)
    p_demo.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_demo.add_argument("--scale", choices=("demo", "national"), default="demo")
    p_demo.add_argument("--if-missing", action="store_true", help="gör inget om databasen redan finns")
    args = parser.parse_args(argv)

    if args.command == "build":
        return run_build(args.source, args.db)
    if args.if_missing and args.db.exists():
        print(f"{args.db} finns redan; inget att göra.")
        return 0
    from etl import demo

    demo.generate(args.out, scale=args.scale)
    return run_build(args.out, args.db)


if __name__ == "__main__":
    sys.exit(main())
