"""WCAG 2.1 AA in Chromium: axe-core on every page and scope, each chart with its table, tables and numbers in Swedish."""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import ROOT
from fc import db, labels
from harness import browser, serve, wait_idle  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.e2e
# Every page in app.py's navigation (a hidden page only forwards an old address); the default page lives at "/".
PAGES = [path for page, path in re.findall(r'(st\.Page\([^)]*url_path="([a-z_]+)"[^)]*\))',
                                           (ROOT / "app.py").read_text(encoding="utf-8"))
         if 'visibility="hidden"' not in page]
DEFAULT = re.search(r'st\.Page\([^)]*url_path="([a-z_]+)"[^)]*default=True', (ROOT / "app.py").read_text()).group(1)
REAL_DATA = {"officiell_statistik"}  # real data, shown without the demo banner
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Violations that come from Streamlit's own frontend and cannot be fixed from the app: {(rule, selector): why}.
# Empty: every serious or critical violation axe found was fixed in the app (captions' contrast: theme.textColor).
STREAMLIT_OWN: dict[tuple[str, str], str] = {}
IDENTIFIER = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
ENGLISH_NUMBER = re.compile(r"\d\.\d|\d%")  # '0.4' or '20%': Swedish is '0,4' and '20 %'
# Document order of charts and "Visa siffror" expanders in the main area, as 'chart' / 'figures' / 'other'.
ORDER = """() => [...document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stPlotlyChart"], [data-testid="stMain"] [data-testid="stExpander"]')]
    .map(e => e.dataset.testid === 'stPlotlyChart' ? 'chart'
              : (e.querySelector('summary')?.textContent || '').includes('Visa siffror') ? 'figures' : 'other')"""


@pytest.fixture(scope="module")
def server(demo_db):
    yield from serve(None, demo_db)


@pytest.fixture(scope="module")
def scopes(demo_db) -> dict[str, str]:
    """The nation, the county with most centres, and in it the centre with most answers in the latest year (by its label)."""
    with duckdb.connect(str(Path(demo_db).resolve()), read_only=True, config=db.CONFIG) as con:
        lan = con.execute("SELECT lan_name FROM centres GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
        centre = con.execute("""
            SELECT unit_code FROM goal_fulfilment g
            WHERE level = 'centre' AND segment = 'alla' AND goal = 1
              AND year = (SELECT max(year) FROM goal_fulfilment)
              AND unit_code IN (SELECT centre_id FROM centres WHERE lan_name = $lan)
              AND unit_name IN (SELECT name FROM centres GROUP BY name HAVING count(*) = 1)
            ORDER BY n DESC, unit_name LIMIT 1""", {"lan": lan}).fetchone()[0]
    units = db.plain_runner(demo_db)("filter_units")
    label = units.loc[units["code"] == centre, "name"].iloc[0]  # the centre's label in the sidebar and the link
    return {"riket": "", "lan": urllib.parse.urlencode({"lan": lan}),
            "centre": urllib.parse.urlencode({"lan": lan, "fc": label})}


def open_page(browser, server, name: str, query: str, **context):
    page = browser.new_page(viewport={"width": 1280, "height": 720}, **context)
    page.goto(f"{server}/{'' if name == DEFAULT else name}" + (f"?{query}" if query else ""))
    wait_idle(page, banner=name not in REAL_DATA)
    return page


def parts(browser, server, name: str, query: str, **context):
    """The page opened at each of its parts (tabs, `?del=`, only the open one is built), as a shared link opens it."""
    page = open_page(browser, server, name, query, **context)
    labels = page.locator('[data-testid="stMain"] [role="tab"]').all_inner_texts()
    yield page
    for label in labels[1:]:
        page.close()
        link = "&".join(q for q in (query, urllib.parse.urlencode({"del": label})) if q)
        page = open_page(browser, server, name, link, **context)
        yield page


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for rule in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
        if rule["impact"] not in ("serious", "critical"):
            continue
        for node in rule["nodes"]:
            selector = " ".join(map(str, node["target"]))
            if not any(rule["id"] == r and s in selector for r, s in STREAMLIT_OWN):
                found.append(f"{rule['id']} ({rule['impact']}): {selector}: {node.get('failureSummary', '')[:300]}")
    return found


def english_numbers(texts) -> list[str]:
    return [t for t in texts if ENGLISH_NUMBER.search(t)]


@pytest.mark.parametrize("scope", ["riket", "lan", "centre"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe_and_every_chart_has_its_table(server, browser, scopes, name, scope):
    """It finds no serious or critical WCAG 2.1 AA violation, a 'Visa siffror' after each chart, Swedish numbers,
    in every part of the page."""
    for page in parts(browser, server, name, scopes[scope]):
        assert serious_violations(page) == [], page.url
        order = [kind for kind in page.evaluate(ORDER) if kind != "other"]  # e.g. "Så läser du diagrammet"
        assert all(i + 1 < len(order) and order[i + 1] == "figures"
                   for i, kind in enumerate(order) if kind == "chart"), (page.url, order)
        main = page.locator('[data-testid="stMain"]')
        assert english_numbers(main.inner_text().splitlines()) == []
        assert english_numbers(page.locator(".xtick text, .ytick text").all_text_contents()) == []
    page.close()


@pytest.mark.parametrize("name", [p for p in PAGES if p not in ("rapporter", "utforska", "importera")])
def test_tables_and_their_downloads_show_no_identifiers(server, browser, scopes, name, tmp_path):
    """It opens every 'Visa siffror' in every part, reads each grid's headers and cells and the first CSV download."""
    # A county: the most rows; Familjecentral shows its tables only for one centre.
    scope = scopes["centre"] if name == "familjecentral" else scopes["lan"]
    grids = 0
    for page in parts(browser, server, name, scope, accept_downloads=True):
        grids += check_tables(page, name)
    page.close()
    assert grids


def check_tables(page, name: str) -> int:
    """Open every 'Visa siffror' of the page as shown; no identifiers, True/False or English numbers anywhere.
    Returns the number of tables (a part may hold none: a list that is empty says so in words)."""
    expanders = page.locator('[data-testid="stMain"] [data-testid="stExpander"]', has_text="Visa siffror")
    for i in range(expanders.count()):
        box = expanders.nth(i)
        box.locator("summary").click(timeout=120_000)  # the table is built when its expander opens: a rerun
        box.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=120_000)
    wait_idle(page, banner=name not in REAL_DATA)
    grids = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    if not grids.count():
        return 0
    headers, cells = [], []
    for i in range(grids.count()):
        grid = grids.nth(i)
        grid.scroll_into_view_if_needed()  # a grid draws its cells (and their accessible copies) when in view
        # glide-data-grid draws on a canvas and keeps a visually hidden table for screen readers: read that.
        grid.locator('[role="columnheader"]').first.wait_for(state="attached", timeout=60_000)
        headers += grid.locator('[role="columnheader"]').all_text_contents()
        cells += grid.locator('[role="gridcell"]').all_text_contents()
    assert headers and cells
    assert [h for h in headers if IDENTIFIER.match(h.strip())] == []
    assert {"True", "False", "None", "nan"}.isdisjoint(c.strip() for c in cells)
    assert english_numbers(cells) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner CSV").first.click()
    frame = pd.read_csv(download.value.path(), sep=";", decimal=",", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert [c for c in frame.columns if IDENTIFIER.match(c) or c in labels.catalogue()] == []
    assert {"True", "False", "None"}.isdisjoint(frame.to_numpy().ravel())
    assert serious_violations(page) == []  # the open grids too
    return grids.count()
