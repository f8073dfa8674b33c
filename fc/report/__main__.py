"""Command line: `python -m fc.report centre|county …` writes the DOCX (and optionally the XLSX) report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fc import db, export
from fc.report import centre, county


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fc.report", description="Skapa rapporter som Word och Excel.")
    parser.add_argument("--db", type=Path, default=db.db_path(), help="databasen (standard: FC_DB eller demodatabasen)")
    sub = parser.add_subparsers(dest="kind", required=True)
    p_centre = sub.add_parser("centre", help="verksamhetsberättelse för en familjecentral")
    p_centre.add_argument("--centre", required=True, help="centre_id")
    p_county = sub.add_parser("county", help="sammanställning för ett län, eller riket med --lan SE")
    p_county.add_argument("--lan", required=True, help="länskod (01 …) eller SE för hela riket")
    for p in (p_centre, p_county):
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--out", type=Path, required=True, help="Word-filen (.docx)")
        p.add_argument("--xlsx", type=Path, help="Excel-fil med samma siffror")
    args = parser.parse_args(argv)

    if not args.db.exists():
        print(f"FEL: databasen {args.db} finns inte", file=sys.stderr)
        return 1
    query = db.plain_runner(args.db)
    try:
        report = (centre.build(query, args.centre, args.year) if args.kind == "centre"
                  else county.build(query, args.lan, args.year))
    except IndexError:
        unit = args.centre if args.kind == "centre" else args.lan
        print(f"FEL: {unit} finns inte i databasen", file=sys.stderr)
        return 1
    args.out.write_bytes(report.bytes())
    print(f"Skrev {args.out}")
    if args.xlsx:
        args.xlsx.write_bytes(export.excel_bytes(report.sheets, demo=report.is_demo))
        print(f"Skrev {args.xlsx}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
