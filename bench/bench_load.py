"""Serving benchmark (a script, not a test): concurrent sessions per server process, first-visit bytes, the proxy.

    python bench/bench_load.py load  [--db PATH | --national] [--sessions 1,2,4,8,16] [--apps 1]
    python bench/bench_load.py bytes [--db PATH | --national]
    python bench/bench_load.py proxy [--db PATH | --national] [--apps 2] [--sessions 3]

`load`: N headless Chromium contexts at once, each opening Översikt and then, inside the app, every chart
page (Översikt, Måluppfyllelse, Täckning, Självreflektion) and changing the year on it. A page run is the
time from the click until Streamlit is idle again (script finished, nothing pending: the condition of
tests/e2e/harness.py wait_idle); the server's own part ("server") ends when the script state turns
notRunning. Levels stop once the median or p90 page run exceeds --limit seconds. Also the server's
resident memory and CPU seconds per level. With --apps K > 1 the sessions go through nginx
(deploy/nginx.conf) to K app processes.

`bytes`: the bytes a browser receives on a first visit (empty cache) to each chart page, counted on the
wire by a TCP relay in front of the server: straight from Streamlit and through nginx with
deploy/nginx.conf, each with Streamlit's websocket compression off and on. Skipped, saying so, without nginx.

`proxy`: K app processes behind nginx with deploy/nginx.conf: sessions load pages and change a filter
through it; checks that every browser stays on one app process (cookie stickiness), that both
processes get sessions, that the websocket works and that static files come gzipped.

The browser and the servers share this machine's cores, so the times include the browsers' own
drawing: read them as an upper bound for the server.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]
import harness  # noqa: E402  (the project's way of starting streamlit and chromium)

from bench import bench_pages  # noqa: E402

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
# (title in the sidebar navigation, URL path)
CHART_PAGES = [("Översikt", ""), ("Måluppfyllelse", "maluppfyllelse"), ("Täckning", "tackning"),
               ("Självreflektion", "sjalvreflektion")]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 300_000  # a page run slower than this counts as an error of its session

# harness.wait_idle's condition, plus: the page's heading is not the one it had before the click (every
# heading names the page, unit and year, so both a page change and a year change alter it: a click that has
# not reached the server yet does not count as idle), and on map pages the map is drawn. The heading is what
# the click changes, visibly; a `running` state seen after the click is only how Streamlit usually shows it.
TRACK = """() => {
    window.__fcRuns = [];
    new MutationObserver(() => {
        const app = document.querySelector('[data-testid="stApp"]');
        const state = app && app.getAttribute('data-test-script-state');
        const last = window.__fcRuns[window.__fcRuns.length - 1];
        if (!last || last.state !== state) window.__fcRuns.push({state, t: performance.now()});
    }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
}"""
HEADING = """() => document.querySelector('[data-testid="stMain"] h1')?.innerText ?? null"""
IDLE_AFTER = """(before) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    const heading = document.querySelector('[data-testid="stMain"] h1');
    const geo = document.querySelector('.geo');
    return heading && heading.innerText !== before
        && (state === null || state === 'notRunning')
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && (!geo || document.querySelectorAll('.choroplethlayer path').length > 0);
}"""
SERVER_DONE = """(since) => {
    const runs = (window.__fcRuns || []).filter(r => r.t >= since);
    const start = runs.findIndex(r => r.state === 'running');
    const end = runs.slice(start + 1).find(r => r.state === 'notRunning');
    return start >= 0 && end ? end.t - since : null;
}"""
FIRST_IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    const geo = document.querySelector('.geo');
    return document.querySelector('[data-testid="stMain"] h1') && document.body.innerText.includes('Fiktiva demodata')
        && (state === null || state === 'notRunning')
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && (!geo || document.querySelectorAll('.choroplethlayer path').length > 0);
}"""


# ---------------------------------------------------------------- servers


def ensure_national() -> Path:
    """The national-scale fictitious database of bench/bench_pages.py, built once."""
    bench_pages.ensure_database()
    return bench_pages.DB


def server_pid(url: str) -> int:
    """The pid of the `streamlit run` that harness.serve started on this URL's port."""
    port = url.rsplit(":", 1)[1]
    needle = f"--server.port\0{port}\0".encode()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                if needle in (proc / "cmdline").read_bytes():
                    return int(proc.name)
    raise RuntimeError(f"no server on port {port}")


def proc_stats(pid: int) -> dict:
    """Resident and peak resident memory (MB) and CPU seconds used so far by one process."""
    status = Path(f"/proc/{pid}/status").read_text()
    kb = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines() if line.startswith(("VmRSS", "VmHWM"))}
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return {"rss_mb": round(kb["VmRSS"] / 1024), "peak_rss_mb": round(kb["VmHWM"] / 1024), "cpu_s": cpu}


@contextlib.contextmanager
def apps(db: Path, count: int, *args: str):
    """`count` app processes on the dashboard database `db` (harness.serve); yields their URLs."""
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(contextlib.contextmanager(harness.serve)(None, db, *args)) for _ in range(count)]
        yield urls


def nginx_config(ports: list[int], listen: int, folder: Path) -> Path:
    """deploy/nginx.conf as it is, with this run's ports and its log and cache paths moved into `folder`."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    upstreams = re.findall(r"^\s*server 127\.0\.0\.1:\d+[^;]*;\n", text, flags=re.M)
    if len(upstreams) < 1:
        raise RuntimeError("deploy/nginx.conf has no `server 127.0.0.1:PORT;` upstream lines")
    template = upstreams[0]
    text = text.replace("".join(upstreams), "".join(re.sub(r":\d+", f":{p}", template, count=1) for p in ports))
    text = re.sub(r"listen \d+", f"listen 127.0.0.1:{listen}", text)
    text = text.replace("/var/log/nginx/", f"{folder}/").replace("/var/cache/nginx/", f"{folder}/cache/")
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


@contextlib.contextmanager
def nginx(ports: list[int]):
    """nginx with deploy/nginx.conf in front of the app ports; yields (URL, folder with its access log)."""
    folder = Path(tempfile.mkdtemp(prefix="fc-nginx-"))
    os.chmod(folder, 0o755)
    (folder / "cache").mkdir()  # Debian's package makes /var/cache/nginx; nginx makes only the last level
    listen = harness.free_port()
    conf = nginx_config(ports, listen, folder)
    check = subprocess.run(["nginx", "-t", "-c", str(conf), "-g", f"pid {folder}/nginx.pid; error_log {folder}/error.log;"],
                           capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx -t refused deploy/nginx.conf:\n{check.stderr}")
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-g",
                             f"daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{listen}"
    try:
        for _ in range(50):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            time.sleep(0.2)
        yield url, folder
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


class Meter:
    """A TCP relay that counts the bytes passing each way: what a browser really sends and receives."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.down = 0
        self.up = 0
        self.port = harness.free_port()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
        ready.set()
        self.loop.run_forever()

    async def _pipe(self, reader, writer, way: str) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                setattr(self, way, getattr(self, way) + len(data))
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        await asyncio.gather(self._pipe(client_reader, server_writer, "up"),
                             self._pipe(server_reader, client_writer, "down"), return_exceptions=True)

    def reset(self) -> None:
        self.down = self.up = 0


# ---------------------------------------------------------------- browser


async def open_first(page, url: str) -> float:
    await page.add_init_script(f"({TRACK})()")
    started = time.perf_counter()
    await page.goto(url)
    await page.wait_for_function(FIRST_IDLE, timeout=TIMEOUT_MS, polling=50)
    # Chart components load lazily after the script is idle (plotly's bundle is fetched by the first chart).
    await page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    await page.wait_for_function(FIRST_IDLE, timeout=TIMEOUT_MS, polling=50)
    return time.perf_counter() - started


async def timed(page, action) -> tuple[float, float | None]:
    """Run `action` (a click) and wait until the rerun it causes has finished: (until idle, server part) in s."""
    since = await page.evaluate("performance.now()")
    before = await page.evaluate(HEADING)
    started = time.perf_counter()
    await action()
    await page.wait_for_function(IDLE_AFTER, arg=before, timeout=TIMEOUT_MS, polling=50)
    elapsed = time.perf_counter() - started
    server = await page.evaluate(SERVER_DONE, since)
    return elapsed, (server / 1000 if server is not None else None)


async def change_year(page) -> None:
    """Pick another year in the sidebar's year filter (the first one that is not chosen now)."""
    await page.get_by_role("combobox", name="År").click()
    other = page.locator('[role="option"]:not([aria-selected="true"])').first
    await other.wait_for(timeout=60_000)
    await other.click()


async def session(browser, url: str, results: list, errors: list) -> None:
    """One visitor: Översikt from a link, then every chart page through the navigation, changing the year on each."""
    context = await browser.new_context(viewport=VIEWPORT)
    mine: list = []
    try:
        page = await context.new_page()
        first = await open_first(page, url)
        mine.append(("first visit", "Översikt", first, None))
        page.on("pageerror", lambda e: errors.append(str(e)))
        for title, path in CHART_PAGES:
            if path:
                link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
                elapsed, server = await timed(page, link.click)
                mine.append(("navigate", title, elapsed, server))
            elapsed, server = await timed(page, lambda: change_year(page))
            mine.append(("filter", title, elapsed, server))
        if await page.locator('[data-testid="stException"]').count():
            errors.append("exception on page")
    except Exception as exc:  # a timeout under load is a result, not a crash of the benchmark
        if os.environ.get("FC_BENCH_SHOTS"):
            with contextlib.suppress(Exception):
                await page.screenshot(path=f"{os.environ['FC_BENCH_SHOTS']}/fail-{id(mine)}.png", full_page=True)
        errors.append(f"{type(exc).__name__} after {len(mine)} page runs: {str(exc).splitlines()[0]}")
    finally:
        results.extend(mine)
        await context.close()


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def load_level(browser, url: str, n: int) -> dict:
    results: list = []
    errors: list = []
    await asyncio.gather(*(session(browser, url, results, errors) for _ in range(n)))
    runs = [r[2] for r in results if r[0] != "first visit"]
    server = [r[3] for r in results if r[3] is not None]
    first = [r[2] for r in results if r[0] == "first visit"]
    summary = {"sessions": n, "page_runs": len(runs), "errors": errors[:5], "error_count": len(errors)}
    if runs:
        summary |= {"median_s": round(statistics.median(runs), 2), "p90_s": round(quantile(runs, 0.9), 2),
                    "max_s": round(max(runs), 2)}
    if server:
        summary |= {"server_median_s": round(statistics.median(server), 2), "server_p90_s": round(quantile(server, 0.9), 2)}
    if first:
        summary["first_visit_median_s"] = round(statistics.median(first), 2)
    return summary


async def run_load(urls: list[str], front: str, levels: list[int], limit: float) -> list[dict]:
    from playwright.async_api import async_playwright

    pids = [server_pid(u) for u in urls]
    table = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=harness.CHROMIUM, args=harness.ARGS)
        # One visitor first, so caches are warm as on a server that has been up a while.
        await load_level(browser, front, 1)
        for n in levels:
            before = [proc_stats(pid) for pid in pids]
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            row = await load_level(browser, front, n)
            wall = time.perf_counter() - started
            after = [proc_stats(pid) for pid in pids]
            row |= {"wall_s": round(wall, 1),
                    "server_cpu_s": round(sum(a["cpu_s"] - b["cpu_s"] for a, b in zip(after, before)), 1),
                    "server_rss_mb": [a["rss_mb"] for a in after], "server_peak_rss_mb": [a["peak_rss_mb"] for a in after],
                    "loadavg_1min_before": round(load_before, 1)}
            print(json.dumps(row, ensure_ascii=False), flush=True)
            table.append(row)
            if row.get("median_s", 1e9) > limit or row.get("p90_s", 1e9) > limit:
                break
        await browser.close()
    return table


def cmd_load(args, db: Path) -> None:
    levels = [int(x) for x in args.sessions.split(",")]
    print(f"# load: {args.apps} app process(es), database {db}, cores {os.cpu_count()}, "
          f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    with apps(db, args.apps) as urls:
        if args.apps == 1:
            table = asyncio.run(run_load(urls, urls[0], levels, args.limit))
        else:
            if not shutil.which("nginx"):
                sys.exit("nginx is not installed (apt-get install -y nginx): --apps > 1 needs it")
            with nginx([int(u.rsplit(":", 1)[1]) for u in urls]) as (front, _):
                table = asyncio.run(run_load(urls, front, levels, args.limit))
    held = [r["sessions"] for r in table if r.get("median_s", 1e9) <= args.limit and r.get("p90_s", 1e9) <= args.limit
            and not r["error_count"]]
    print(json.dumps({"levels": table, f"most_sessions_with_median_and_p90_under_{args.limit:g}s": max(held, default=0)},
                     indent=1, ensure_ascii=False))


# ---------------------------------------------------------------- bytes


async def quiet(meter: Meter) -> None:
    """Wait until nothing more arrives for 2 s (no fetch, no websocket frame)."""
    last = -1
    while meter.down != last:
        last = meter.down
        await asyncio.sleep(2.0)


async def first_visit_bytes(front_port: int, pages: list) -> dict:
    """Bytes received (and sent) on a first visit with an empty cache to each chart page, through a counting relay."""
    from playwright.async_api import async_playwright

    meter = Meter(front_port)
    url = f"http://127.0.0.1:{meter.port}"
    out = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=harness.CHROMIUM, args=harness.ARGS)
        for title, path in pages:
            context = await browser.new_context(viewport=VIEWPORT)
            meter.reset()
            page = await context.new_page()
            await open_first(page, f"{url}/{path}")
            await quiet(meter)
            out[title] = {"down": meter.down, "up": meter.up}
            meter.reset()
            await timed(page, lambda: change_year(page))  # a rerun: only the websocket
            await quiet(meter)
            out[title] |= {"rerun_down": meter.down}
            await context.close()
        await browser.close()
    meter.loop.call_soon_threadsafe(meter.loop.stop)
    return out


def cmd_bytes(args, db: Path) -> None:
    pages = [(t, p) for t, p in CHART_PAGES if not args.pages or t in args.pages.split(",")]
    table = {}
    for ws in args.websocket_compression.split(","):
        with apps(db, 1, "--server.enableWebsocketCompression", ws) as urls:
            port = int(urls[0].rsplit(":", 1)[1])
            table[f"direct, websocket compression {ws}"] = asyncio.run(first_visit_bytes(port, pages))
            if shutil.which("nginx"):
                with nginx([port]) as (front, _):
                    table[f"nginx (deploy/nginx.conf), websocket compression {ws}"] = asyncio.run(
                        first_visit_bytes(int(front.rsplit(":", 1)[1]), pages))
            else:
                print("nginx is not installed (apt-get install -y nginx): the measurement through the proxy is skipped")
    print(json.dumps(table, indent=1, ensure_ascii=False))
    print("\n| first visit, bytes received | " + " | ".join(t for t, _ in pages) + " |")
    print("|---|" + "---|" * len(pages))
    for setup, result in table.items():
        print(f"| {setup} | " + " | ".join(f"{result[t]['down'] / 1e6:.2f} MB (rerun {result[t]['rerun_down'] / 1e3:.0f} kB)"
                                           for t, _ in pages) + " |")


# ---------------------------------------------------------------- proxy check


async def proxy_sessions(front: str, n: int) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    results: list = []
    errors: list = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=harness.CHROMIUM, args=harness.ARGS)
        await asyncio.gather(*(session(browser, front, results, errors) for _ in range(n)))
        await browser.close()
    return results, errors


def cmd_proxy(args, db: Path) -> None:
    if not shutil.which("nginx"):
        sys.exit("nginx is not installed (apt-get install -y nginx): nothing to check")
    with apps(db, args.apps) as urls:
        ports = [int(u.rsplit(":", 1)[1]) for u in urls]
        with nginx(ports) as (front, folder):
            results, errors = asyncio.run(proxy_sessions(front, args.sessions))
            html = urllib.request.urlopen(f"{front}/").read().decode("utf-8")
            script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', html)
            js = urllib.request.urlopen(urllib.request.Request(f"{front}/{script.group(1)}",
                                                               headers={"Accept-Encoding": "gzip"}))
            gzipped = js.headers.get("Content-Encoding") == "gzip"
            # Browsers are few (each costs a core here); plain requests with fresh route cookies show the spread.
            for i in range(16):
                urllib.request.urlopen(urllib.request.Request(f"{front}/_stcore/health",
                                                              headers={"Cookie": f"fc_route=spread{i}x{os.getpid()}"}))
            time.sleep(1)
            log = (folder / "fc-access.log").read_text()
    routes: dict[str, set] = {}
    retried = []
    for line in log.splitlines():
        route = re.search(r"route=(\S+) upstream=(.+?) time=", line)
        if route and route.group(1) != "-" and route.group(2) != "-":
            tried = route.group(2).split(", ")
            if len(tried) > 1:  # the first process failed (connection error) and nginx went on to the next
                retried.append(line)
            routes.setdefault(route.group(1), set()).add(tried[-1])
    sticky = all(len(u) == 1 for u in routes.values())
    used = set().union(*routes.values()) if routes else set()
    report = {"apps": urls, "sessions": args.sessions, "page_runs": sum(r[0] != "first visit" for r in results),
              "errors": errors, "route_cookies_seen": len(routes),
              "every_browser_and_cookie_on_one_app": sticky, "requests_retried_on_another_app": retried, "apps_used": sorted(used),
              "websocket_requests_logged": log.count("/_stcore/stream"),
              "static_js_gzipped": gzipped,
              "page_run_median_s": round(statistics.median([r[2] for r in results if r[0] != "first visit"]), 2)
              if results else None}
    print(json.dumps(report, indent=1, ensure_ascii=False))
    ok = not errors and sticky and len(used) == len(urls) and gzipped and report["page_runs"] > 0
    print("OK: the nginx config serves the app" if ok else "NOT OK: see above")
    sys.exit(0 if ok else 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["load", "bytes", "proxy"])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "fc.duckdb")
    parser.add_argument("--national", action="store_true", help="the national-scale fictitious database (built once)")
    parser.add_argument("--sessions", default=None, help="load: levels, e.g. 1,2,4,8,16; proxy: sessions")
    parser.add_argument("--apps", type=int, default=None, help="app processes (load: 1, proxy: 2)")
    parser.add_argument("--pages", default="", help="bytes: only these chart pages (titles, comma-separated)")
    parser.add_argument("--websocket-compression", default="false,true", help="bytes: server settings to measure")
    parser.add_argument("--limit", type=float, default=2.0, help="load: stop when median or p90 exceeds this (s)")
    args = parser.parse_args()
    db = ensure_national() if args.national else args.db
    if not db.exists():
        sys.exit(f"no database at {db}: run `python -m etl demo` first")
    if args.command == "load":
        args.sessions = args.sessions or "1,2,4,8,16"
        args.apps = args.apps or 1
        cmd_load(args, db)
    elif args.command == "bytes":
        cmd_bytes(args, db)
    else:
        args.sessions = int(args.sessions or 3)
        args.apps = args.apps or 2
        cmd_proxy(args, db)


if __name__ == "__main__":
    main()
