"""Benchmark the dashboard on the national-scale demo dataset (a script, not a test).

    python bench/bench_pages.py [--runs 5]

Per page: server run time through AppTest (cold = first run in a fresh process cache, warm = median of
later runs), the coverage map's payload, time to first complete paint in headless Chromium against
`streamlit run`, the same paint for a hello-world Streamlit app served in the same run (the reference:
each page's paint divided by it is the ratio reported), the same for a hello-world app with one small plotly
chart (the floor of any page that draws a chart: loading plotly.js), and the server's peak resident memory after
visiting every page.
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
PAGES = ["oversikt", "tackning", "officiell_statistik", "maluppfyllelse", "sjalvreflektion", "familjecentral",
         "inrapportering", "rapporter", "utforska", "importera"]
HELLO = OUT / "hello.py"
HELLO_APP = 'import streamlit as st\n\nst.title("Hej världen")\nst.write("En tom Streamlit-sida.")\n'
# The floor of any page with a chart: a hello-world page with one three-bar plotly chart. Streamlit loads
# plotly.js (about 4,6 MB) only when a page first draws a plotly chart, and parsing it costs what it costs.
HELLO_PLOTLY = OUT / "hello_plotly.py"
HELLO_PLOTLY_APP = HELLO_APP + 'import plotly.graph_objects as go\n\nst.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=[3, 1, 2])))\n'
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


def start(app: Path, port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def paint(browser, url: str) -> dict:
    """'first': a link opened in a browser that has never loaded the app (empty cache); 'again': the same
    link reopened in that browser, as in a meeting that reloads the page."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    times = {}
    for visit in ("first", "again"):
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        try:
            page.wait_for_function(IDLE, timeout=120_000)
            times[visit] = round(time.perf_counter() - started, 2)
        except PlaywrightTimeout:  # reported as missing, not as a number
            times[visit] = None
        page.close()
    context.close()
    return times


def browser_times() -> dict:
    from playwright.sync_api import sync_playwright

    HELLO.write_text(HELLO_APP, encoding="utf-8")
    HELLO_PLOTLY.write_text(HELLO_PLOTLY_APP, encoding="utf-8")
    app_port, hello_port, plotly_port = free_port(), free_port(), free_port()
    server = start(ROOT / "app.py", app_port, {**os.environ, "FC_DB": str(DB)})
    references = {"hello": start(HELLO, hello_port, dict(os.environ)),
                  "hello_plotly": start(HELLO_PLOTLY, plotly_port, dict(os.environ))}
    urls = {"hello": f"http://127.0.0.1:{hello_port}/", "hello_plotly": f"http://127.0.0.1:{plotly_port}/"}
    url = f"http://127.0.0.1:{app_port}"
    paints = {}
    measured = {name: {"first": [], "again": []} for name in references}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            paint(browser, urls["hello"])  # warm-up: the first Chromium start is slower than any later page
            for page_name in PAGES:
                # The references are measured beside every page, so a busy machine slows all alike.
                for name in references:
                    for visit, seconds in paint(browser, urls[name]).items():
                        measured[name][visit].append(seconds)
                paints[page_name] = paint(browser, f"{url}/{'' if page_name == 'oversikt' else page_name}")
            browser.close()
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    finally:
        for proc in (server, *references.values()):
            proc.terminate()
            proc.wait(timeout=20)
    reference = {name: {visit: round(statistics.median([t for t in times if t is not None]), 2)
                        for visit, times in by_visit.items()} for name, by_visit in measured.items()}

    def ratios(to: str) -> dict:
        return {page: {visit: seconds and round(seconds / reference[to][visit], 2) for visit, seconds in times.items()}
                for page, times in paints.items()}

    return {"first_complete_paint_s": paints, "hello_world_paint_s": reference["hello"],
            "hello_plotly_paint_s": reference["hello_plotly"], "paint_ratio_to_hello": ratios("hello"),
            "paint_ratio_to_hello_plotly": ratios("hello_plotly"), "server_peak_rss_mb": round(peak_kb / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser-only", action="store_true", help="skip the AppTest server times")
    args = parser.parse_args()
    ensure_database()
    os.environ["FC_DB"] = str(DB)
    report = {**({} if args.browser_only else {"apptest": apptest_times(args.runs)}), **browser_times()}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
