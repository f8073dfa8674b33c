"""Command line: `python -m etl build --source DIR --db PATH`, `python -m etl demo` and `python -m etl kolada`."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import duckdb

from etl.build import BuildBusy, BuildFailed, BuildResult, build
from fc.fmt import number  # the dashboard's Swedish numbers: 105 843, 12,3

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "data" / "fc.duckdb"
DEMO_SOURCE = ROOT / "data" / "demo"
SHOWN_REJECTS = 20


def print_summary(result: BuildResult, out=sys.stdout) -> None:
    print(f"Byggde {result.db} på {number(result.seconds, 1)} s" + (" (FIKTIVA DEMODATA)" if result.is_demo else ""), file=out)
    print(f"{'fil':<34} {'typ':<16} {'lästa':>9} {'inlästa':>9} {'avvisade':>9}", file=out)
    for f in result.files:
        counts = " ".join(f"{number(f[c]):>9}" for c in ("rows_read", "rows_loaded", "rows_rejected"))
        print(f"{f['source_file']:<34} {f['kind']:<16} {counts}", file=out)
        if f["ignored_columns"]:
            print(f"    okända kolumner (ignoreras): {f['ignored_columns']}", file=out)
    for name in result.ignored_files:
        print(f"ignorerad fil (okänt namn): {name}", file=out)
    print(f"Totalt {number(result.rows_loaded)} rader inlästa, {number(result.rows_rejected)} avvisade.", file=out)
    if result.rows_rejected:
        with duckdb.connect(str(result.db), read_only=True) as con:
            rows = con.execute(
                "SELECT source_file, line_number, reason FROM rejects ORDER BY source_file, line_number LIMIT ?",
                [SHOWN_REJECTS],
            ).fetchall()
        for source_file, line, reason in rows:
            print(f"  {source_file}:{line}: {reason}", file=out)
        if result.rows_rejected > SHOWN_REJECTS:
            print(f"  … se tabellen rejects för alla {number(result.rows_rejected)} avvisade rader", file=out)


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


def run_kolada(kpis: str, out: Path, years: str, base: str | None) -> int:
    from etl import kolada

    try:
        rows = kolada.refresh([k.strip().upper() for k in kpis.split(",") if k.strip()], out,
                              kolada.parse_years(years), base)
    except ValueError:
        print(f"FEL: ogiltiga år {years!r} (skriv t.ex. 2007-2024 eller 2021,2022).", file=sys.stderr)
        return 1
    except kolada.Offline as exc:
        print("FEL: Kolada kunde inte nås – datorn verkar sakna nätverksanslutning (offline), eller så är "
              f"Koladas API nere ({exc}). Inga filer har ändrats; de medföljande filerna i {out} används som förut. "
              "Försök igen när datorn är ansluten till internet.", file=sys.stderr)
        return 2
    except kolada.Refused as exc:
        print(f"FEL: ofullständigt eller oväntat svar från Kolada: {exc}. Inga filer har ändrats.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"FEL: filerna kunde inte skrivas i {out}: {exc}. Inga filer har ändrats.", file=sys.stderr)
        return 1
    for name, count in rows.items():
        print(f"Skrev {out / name} ({count} rader) och {name}.kolada.json. {kolada.ATTRIBUTION}")
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
    p_kolada = sub.add_parser("kolada", help="hämta referensfiler på nytt från Kolada (Källa: Kolada)")
    p_kolada.add_argument("--kpi", required=True, help="nyckeltal, t.ex. N24013,N24012,N01952")
    p_kolada.add_argument("--out", type=Path, default=ROOT / "data" / "reference")
    p_kolada.add_argument("--years", default=f"2007-{dt.date.today().year}", help="t.ex. 2007-2024 eller 2021,2022")
    p_kolada.add_argument("--base-url", default=None, help="API-adress (standard: FC_KOLADA_URL eller Koladas v3)")
    args = parser.parse_args(argv)

    if args.command == "kolada":
        return run_kolada(args.kpi, args.out, args.years, args.base_url)
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
