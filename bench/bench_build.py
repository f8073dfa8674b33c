"""Benchmark the build against hand-written baselines doing the same survey work (not a test).

    python bench/bench_build.py [--runs 3] [--scales 1,2,4] [--scales 1,2,4,10]

Data: the national-scale demo dataset (`python -m etl.demo --scale national`) with value faults injected
into 0,2 % of the survey lines (bench/baseline_common.inject_faults), so every step rejects rows.
At 1× the steps run interleaved, `--runs` times, each in its own process: the build; the DuckDB, pandas
and polars baselines (bench/baseline_*.py: read, reject the build's rows, score, pool, disclosure control
with the build's own algorithm, the published goal_fulfilment), each checked equal to the build's table;
and a plain DuckDB read of the CSV files. Disclosure control's decision is the same code in every step;
its time is reported apart (the build makes it on a thread while DuckDB works, so it is not subtracted).
Then the build alone at each larger scale (the survey repeated with new response ids, generated under
/tmp and deleted after), once: time, peak memory of the process and its children, and the database's size.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import baseline_common  # noqa: E402

OUT = ROOT / "bench" / "out"
CLEAN = OUT / "national"
SOURCE = OUT / "national_faults"
FAULT_SHARE = 0.002

STEP = {
    "build": """
        from etl import build as b, disclosure
        def timed(cells, decide=disclosure.decide):
            started = time.perf_counter()
            try:
                return decide(cells)
            finally:
                EXTRA["disclosure_s"] = time.perf_counter() - started
        disclosure.decide = timed
        b.build(SOURCE, DB)
    """,
    "duckdb": """
        from bench import baseline_duckdb
        EXTRA.update(baseline_duckdb.run(SOURCE, OUT / "baseline_duckdb.duckdb"))
    """,
    "pandas": """
        from bench import baseline_pandas
        EXTRA.update(baseline_pandas.run(SOURCE, OUT / "baseline_pandas.duckdb"))
    """,
    "polars": """
        from bench import baseline_polars
        EXTRA.update(baseline_polars.run(SOURCE, OUT / "baseline_polars.duckdb"))
    """,
    "duckdb_plain_read": """
        import duckdb
        db = OUT / "plain.duckdb"; db.unlink(missing_ok=True)
        con = duckdb.connect(str(db))
        for i, f in enumerate(sorted(SOURCE.glob("*.csv"))):
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv('{f}', all_varchar=true)")
        con.close()
    """,
}

HARNESS = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
OUT = Path({out!r}); SOURCE = Path({source!r}); DB = Path({db!r}); EXTRA = {{}}
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{"s": seconds, "cpu_s": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime,
                  "peak_mb": max(me.ru_maxrss, children.ru_maxrss) / 1024, **EXTRA}}))
"""


def run_step(name: str, source: Path = SOURCE, db: Path = OUT / "build" / "fc.duckdb") -> dict:
    code = HARNESS.format(root=str(ROOT), out=str(OUT), source=str(source), db=str(db),
                          body=textwrap.dedent(STEP[name]))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"step {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.splitlines()[-1])


def ensure_sources() -> None:
    if not CLEAN.exists():
        subprocess.run([sys.executable, "-m", "etl.demo", "--scale", "national", "--out", str(CLEAN)], check=True,
                       cwd=ROOT)
    if not SOURCE.exists():
        baseline_common.inject_faults(CLEAN, SOURCE, share=FAULT_SHARE)


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def one_scale(times: int, work: Path) -> dict:
    """The build alone on the data `times` over: seconds, peak memory, database size."""
    source, db = work / f"x{times}", work / f"db{times}" / "fc.duckdb"
    baseline_common.scale(SOURCE, source, times)
    try:
        csv_mb = sum(f.stat().st_size for f in source.glob("*.csv")) / 1e6
        result = run_step("build", source, db)
        return {"scale": times, "csv_mb": round(csv_mb), "build_s": round(result["s"], 2),
                "build_cpu_s": round(result["cpu_s"], 2), "disclosure_s": round(result["disclosure_s"], 2),
                "peak_mb": round(result["peak_mb"]), "db_mb": round(os.path.getsize(db.resolve()) / 1e6, 1)}
    finally:
        shutil.rmtree(source, ignore_errors=True)
        shutil.rmtree(db.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scales", default="1,2,4", help="comma-separated multiples of the national data")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()),
                        help="where the larger data sets and their databases are made (and deleted)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_sources()
    responses = sum(1 for _ in open(next(SOURCE.glob("parent_survey*.csv")), encoding="utf-8")) - 1
    csv_mb = sum(f.stat().st_size for f in SOURCE.glob("*.csv")) / 1e6
    runs: dict[str, list[dict]] = {name: [] for name in STEP}
    for _ in range(args.runs):
        for name in STEP:  # interleaved, so that a busy moment of the machine falls on every step alike
            runs[name].append(run_step(name))
    build_db = (OUT / "build" / "fc.duckdb").resolve()
    equal = {name: baseline_common.compare(build_db, OUT / f"baseline_{name}.duckdb") == []
             for name in ("duckdb", "pandas", "polars")}
    build = median(runs["build"], "s")
    disclosure_s = {name: round(median(runs[name], "disclosure_s"), 2) for name in ("build", "duckdb", "pandas", "polars")}
    report = {
        "survey_responses": responses,
        "csv_mb": round(csv_mb, 1),
        "runs": args.runs,
        "seconds": {name: round(median(r, "s"), 2) for name, r in runs.items()},
        "cpu_seconds": {name: round(median(r, "cpu_s"), 2) for name, r in runs.items()},
        "peak_mb": {name: round(max(x["peak_mb"] for x in r)) for name, r in runs.items()},
        "disclosure_s": disclosure_s,
        "baseline_equals_build": equal,
        "build_vs": {name: round(build / median(runs[name], "s"), 2) for name in ("duckdb", "pandas", "polars")},
        "build_cpu_vs": {name: round(median(runs["build"], "cpu_s") / median(runs[name], "cpu_s"), 2)
                         for name in ("duckdb", "pandas", "polars")},
        "db_mb": round(os.path.getsize(build_db) / 1e6, 1),
        "rows_rejected": __import__("duckdb").connect(str(build_db), read_only=True).execute(
            "SELECT count(*) FROM rejects WHERE kind = 'parent_survey'").fetchone()[0],
    }
    print(json.dumps(report, indent=2), flush=True)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    table = []
    for times in scales:
        if times == 1:
            table.append({"scale": 1, "csv_mb": round(csv_mb), "build_s": round(build, 2),
                          "build_cpu_s": report["cpu_seconds"]["build"], "disclosure_s": disclosure_s["build"],
                          "peak_mb": report["peak_mb"]["build"], "db_mb": report["db_mb"]})
        else:
            table.append(one_scale(times, args.work))
        print(json.dumps(table[-1]), flush=True)
    print("\n| data | CSV | build | CPU | of which disclosure control | peak memory | database |")
    print("|---|---|---|---|---|---|---|")
    for row in table:
        print(f"| {row['scale']}× | {row['csv_mb']} MB | {row['build_s']} s | {row['build_cpu_s']} s | "
              f"{row['disclosure_s']} s | {row['peak_mb']} MB | {row['db_mb']} MB |")


if __name__ == "__main__":
    main()
