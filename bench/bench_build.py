"""Benchmark the build on the national-scale demo dataset against two baselines (not a test).

    python bench/bench_build.py [--runs 3]

(a) DuckDB reading the same CSVs into tables with no validation; (b) pandas read_csv + writing the
same tables into DuckDB; and the build with primary suppression only (what complementary suppression costs). Each step runs in its own process, so its peak memory is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SOURCE = OUT / "national"

STEP = {
    "build": """
        from etl.build import build
        build(SOURCE, OUT / "build" / "fc.duckdb")
    """,
    # The same build with primary suppression only: what complementary suppression costs.
    "build_primary_only": """
        from etl import build as b
        b.AFTER_SQL["07_goal_cell.sql"] = lambda con: con.execute(
            "CREATE TABLE goal_suppression AS SELECT year, goal, level, unit_code, segment, 'primary' AS suppression "
            "FROM goal_cell WHERE n < 5 AND segment NOT IN ('okänt kön', 'okänt språk')")
        b.build(SOURCE, OUT / "build_primary" / "fc.duckdb")
    """,
    "duckdb_plain": """
        import duckdb
        db = OUT / "plain.duckdb"; db.unlink(missing_ok=True)
        con = duckdb.connect(str(db))
        for i, f in enumerate(sorted(SOURCE.glob("*.csv"))):
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv('{f}')")
        con.close()
    """,
    "pandas": """
        import duckdb, pandas as pd
        db = OUT / "pandas.duckdb"; db.unlink(missing_ok=True)
        con = duckdb.connect(str(db))
        for i, f in enumerate(sorted(SOURCE.glob("*.csv"))):
            frame = pd.read_csv(f)
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM frame")
        con.close()
    """,
}

HARNESS = """
import resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
OUT = Path({out!r}); SOURCE = Path({source!r})
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_step(name: str) -> tuple[float, int]:
    code = HARNESS.format(root=str(ROOT), out=str(OUT), source=str(SOURCE), body=textwrap.dedent(STEP[name]))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, kib = proc.stdout.split()[-2:]
    return float(seconds), int(kib)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if not SOURCE.exists():
        subprocess.run([sys.executable, "-m", "etl.demo", "--scale", "national", "--out", str(SOURCE)], check=True, cwd=ROOT)
    responses = sum(1 for _ in open(next(SOURCE.glob("parent_survey*.csv")), encoding="utf-8")) - 1
    csv_mb = sum(f.stat().st_size for f in SOURCE.glob("*.csv")) / 1e6
    results = {}
    for name in STEP:
        runs = [run_step(name) for _ in range(args.runs)]
        results[name] = {"median_s": statistics.median(s for s, _ in runs), "peak_mb": max(k for _, k in runs) / 1024}
    db = (OUT / "build" / "fc.duckdb").resolve()
    build, primary_only, plain, pandas = (results[n]["median_s"] for n in STEP)
    report = {
        "survey_responses": responses,
        "csv_mb": round(csv_mb, 1),
        "runs": args.runs,
        "build_s": round(build, 2),
        "duckdb_plain_s": round(plain, 2),
        "pandas_s": round(pandas, 2),
        "build_primary_only_s": round(primary_only, 2),
        "complementary_suppression_s": round(build - primary_only, 2),
        "build_vs_duckdb_plain": round(build / plain, 2),
        "pandas_vs_build": round(pandas / build, 2),
        "build_peak_mb": round(results["build"]["peak_mb"]),
        "duckdb_plain_peak_mb": round(results["duckdb_plain"]["peak_mb"]),
        "pandas_peak_mb": round(results["pandas"]["peak_mb"]),
        "db_mb": round(os.path.getsize(db) / 1e6, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
