"""Benchmark one centre report on the national-scale demo dataset (a script, not a test).

    python bench/bench_report.py

Cold: a fresh `python -m fc.report centre …` process (imports included). Warm: the builder called again
in one process (what the dashboard does after its first report).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_pages import DB, ensure_database  # noqa: E402


def main() -> None:
    ensure_database()
    from fc import db, export
    from fc.report import centre, county

    query = db.plain_runner(DB)
    centre_id = query("centre_choices", lan="", kommun="")["centre_id"].iloc[0]
    out = ROOT / "bench" / "out" / "report.docx"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fc.report", "--db", str(DB), "centre", "--centre", centre_id, "--year", "2025",
                    "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        report = centre.build(query, centre_id, 2025)
        report.bytes(), export.excel_bytes(report.sheets)
        warm.append(time.perf_counter() - started)
    started = time.perf_counter()
    county.build(query, "SE", 2025).bytes()
    national = time.perf_counter() - started
    print(json.dumps({"centre_report_cold_process_s": round(cold, 2),
                      "centre_report_warm_median_s": round(statistics.median(warm), 2),
                      "national_compilation_s": round(national, 2)}, indent=2))


if __name__ == "__main__":
    main()
