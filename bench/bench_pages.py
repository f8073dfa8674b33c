"""Benchmark the dashboard on the national-scale demo dataset (a script, not a test).

    python bench/bench_pages.py [--runs 5]

Per page: server run time through AppTest (cold = first run in a fresh process cache, warm = median of
later runs), the coverage map's payload, time to first complete paint in headless Chromium against
`streamlit run`, and the server's peak resident memory after visiting every page.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SOURCE = OUT / "national"
DB = OUT / "pages" / "fc.duckdb"
PAGES = ["oversikt", "tackning", "maluppfyllelse", "sjalvreflektion", "familjecentral", "inrapportering",
         "rapporter", "utforska", "importera"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    const main = document.querySelector('[data-testid="stMain"] h1');
    const geo = document.querySelector('.geo');
    return main && (state === null || state === 'notRunning')
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && (!geo || document.querySelectorAll('.choroplethlayer path').length > 0);
}"""


def ensure_database() -> None:
    if not SOURCE.exists():
        subprocess.run([sys.executable, "-m", "etl.demo", "--scale", "national", "--out", str(SOURCE)], check=True, cwd=ROOT)
    if not DB.exists():
        subprocess.run([sys.executable, "-m", "etl", "build", "--source", str(SOURCE), "--db", str(DB)], check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)


def apptest_times(runs: int) -> dict:
    from streamlit.testing.v1 import AppTest

    results = {}
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(f"pages/{page}.py")
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
            assert not at.exception, (page, at.exception)
        results[page] = {"cold_s": round(times[0], 3), "warm_median_s": round(statistics.median(times[1:]), 3)}
        if page == "tackning":
            spec = at.get("plotly_chart")[0].proto.spec
            # Boundaries published as static files: fetched once by the browser, then revalidated.
            files = {t["geojson"] for t in json.loads(spec)["data"] if isinstance(t.get("geojson"), str)}
            fetched = sum((ROOT / f.removeprefix("app/")).stat().st_size for f in files)
            results["map_payload_bytes"] = {"first_visit": len(spec) + fetched, "each_rerun": len(spec)}
    return results


def browser_times() -> dict:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true"],
                              cwd=ROOT, env={**os.environ, "FC_DB": str(DB)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    paint = {}
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for page_name in PAGES:
                # "first": a shared link opened in a browser that has never loaded the app (empty cache);
                # "again": the same link reopened in that browser, as in a meeting that reloads the page.
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                for visit in ("first", "again"):
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(f"{url}/{'' if page_name == 'oversikt' else page_name}")
                    page.wait_for_function(IDLE, timeout=120_000)
                    paint.setdefault(page_name, {})[visit] = round(time.perf_counter() - started, 2)
                    page.close()
                context.close()
            browser.close()
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {"first_complete_paint_s": paint, "server_peak_rss_mb": round(peak_kb / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_database()
    os.environ["FC_DB"] = str(DB)
    report = {"apptest": apptest_times(args.runs), **browser_times()}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
