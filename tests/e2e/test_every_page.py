"""Every page at its own address, for the nation, a county, a municipality and a centre: the heading names the unit
and the year its figures are for, a direct link opens that page with its filters, and presentation mode fits 1280×720.

Expected names and years come from the test database, not from the dashboard's code."""
from __future__ import annotations

from urllib.parse import urlencode, urlparse

import duckdb
import pytest

from harness import browser, serve, wait_idle  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.e2e
LABELS = {"oversikt": "Översikt", "tackning": "Täckning", "officiell_statistik": "Officiell statistik",
          "maluppfyllelse": "Måluppfyllelse", "sjalvreflektion": "Självreflektion", "familjecentral": "Familjecentral",
          "inrapportering": "Inrapportering", "rapporter": "Rapporter"}
FIXED = {"utforska": "Utforska – SQL-konsol", "importera": "Importera filer"}
ORDER = ["centre", "kommun", "lan", "riket"]


@pytest.fixture(scope="module")
def server(demo_db):
    yield from serve(None, demo_db)


@pytest.fixture(scope="module")
def scopes(demo_db) -> dict:
    """A county, a municipality and a centre from the database, with their link parameters and expected names."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        latest = con.execute("SELECT max(year) FROM survey_response").fetchone()[0]
        official = con.execute("SELECT min(year), max(year) FROM official_open_preschool").fetchone()
        # The busiest municipality's first centre whose sidebar label ("name – municipality") is unique.
        centre = con.execute("""
            WITH active AS (SELECT * FROM centres WHERE (opened_year IS NULL OR opened_year <= $y)
                                                    AND (closed_year IS NULL OR closed_year > $y)),
                 labels AS (SELECT name || ' – ' || kommun_name AS label, count(*) AS n FROM centres GROUP BY 1)
            SELECT a.name, a.kommun_name, a.lan_name, a.lan_code FROM active AS a
            JOIN labels AS l ON l.label = a.name || ' – ' || a.kommun_name AND l.n = 1
            ORDER BY count(*) OVER (PARTITION BY a.kommun_code) DESC, a.kommun_code, a.centre_id LIMIT 1
        """, {"y": latest}).fetchone()
    name, kommun, lan, _ = centre
    names = {"riket": "Riket", "lan": lan, "kommun": kommun, "centre": f"{name}, {kommun}"}
    params = {"riket": {}, "lan": {"lan": lan}, "kommun": {"lan": lan, "kommun": kommun},
              "centre": {"lan": lan, "kommun": kommun, "fc": f"{name} – {kommun}"}}
    # The nation on the default year (no year in the link); the others one year back, so the link's year counts.
    years = {"riket": latest, "lan": latest - 1, "kommun": latest - 1, "centre": latest}
    return {level: {"names": names, "year": years[level], "official": official,
                    "query": urlencode({**({"ar": years[level]} if level != "riket" else {}), **params[level]})}
            for level in ORDER}


def wider(level: str, at_most: str) -> str:
    """The chosen level, or `at_most` when the chosen one is finer."""
    return max(level, at_most, key=ORDER.index)


def expected_heading(page: str, level: str, scope: dict) -> str:
    names, year = scope["names"], scope["year"]
    unit = {"tackning": "lan" if level != "riket" else "riket", "officiell_statistik": wider(level, "kommun")}
    shown = unit.get(page, level)
    if page == "officiell_statistik":
        first, last = scope["official"]
        year = min(max(year, first), last)
    if page == "familjecentral" and level != "centre":
        return "Familjecentral"
    return f"{LABELS[page]} – {names[shown]} {year}"


def open_address(page, url: str, banner: bool = True) -> str:
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    try:
        wait_idle(page, timeout_ms=120_000, banner=banner)  # the shared test machine is slow at times
    except Exception as exc:
        raise AssertionError(f"{url} did not finish drawing: {exc}") from exc
    assert page.get_by_text("Page not found").count() == 0, url
    assert page.locator('[data-testid="stException"]').count() == 0, url
    assert errors == [], (url, errors)
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def opens_in_a_new_context(browser, url: str, heading: str, path: str) -> None:
    """A shared link opened in a browser with no history of this app shows `heading` at `path`."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        assert open_address(page, url) == heading, url
        assert urlparse(page.url).path == path, url
    finally:
        context.close()


def test_a_page_address_with_filters_is_the_first_visit_on_a_fresh_server(server, browser, scopes):
    """Streamlit starts in its legacy pages/ mode when the first visitor opens a page address; it still opens right."""
    opens_in_a_new_context(browser, f"{server}/maluppfyllelse?{scopes['kommun']['query']}",
                           expected_heading("maluppfyllelse", "kommun", scopes["kommun"]), "/maluppfyllelse")


@pytest.mark.parametrize("level", ORDER)
def test_every_page_heading_names_the_unit_and_year_at_its_own_address(server, browser, scopes, level):
    scope = scopes[level]
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    for name in [*LABELS, *(FIXED if level == "riket" else [])]:  # the console and the import have no unit
        heading = open_address(page, f"{server}/{name}?{scope['query']}", banner=name != "officiell_statistik")
        assert heading == (FIXED.get(name) or expected_heading(name, level, scope)), name
        assert urlparse(page.url).path == ("/" if name == "oversikt" else f"/{name}"), name
        if name == "familjecentral" and level != "centre":
            continue
        assert "Sverige" not in heading
    context.close()


def test_root_and_oversikt_open_oversikt_in_a_new_context_every_time(server, browser, scopes):
    for address, level in [("/", "riket"), ("/oversikt", "riket"), (f"/oversikt?{scopes['centre']['query']}", "centre"),
                           (f"/?{scopes['lan']['query']}", "lan")]:
        opens_in_a_new_context(browser, server + address, expected_heading("oversikt", level, scopes[level]), "/")


@pytest.mark.parametrize("name", ["oversikt", "maluppfyllelse"])
def test_presentation_mode_shows_one_chart_at_a_time_within_1280x720(server, browser, scopes, name):
    """Måluppfyllelse shows its parts as tabs; presentation mode steps through every part's charts instead."""
    scope = scopes["centre"]
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    heading = open_address(page, f"{server}/{'' if name == 'oversikt' else name}?{scope['query']}&visning=true")
    assert heading == expected_heading(name, "centre", scope)
    assert page.locator('[role="tab"]').count() == 0
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    # The key-figures slide: every metric label and value is whole (no ellipsis) and inside the frame.
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetricLabel"] p, [data-testid="stMetricValue"] div')]
        .filter(e => e.offsetParent && (e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > 1280))
        .map(e => e.innerText)""")
    assert cut == []
    assert name != "oversikt" or page.locator('[data-testid="stMetric"]').first.is_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    # Each chart slide: one chart, whole within 1280×720, the filters still from the link.
    picker = page.locator(".st-key-visning_kontroller [data-testid='stSelectbox']")
    slides = int(picker.locator("input").input_value().split(" av ")[1].split(":")[0])
    assert slides >= (2 if name == "oversikt" else 6)  # Måluppfyllelse: comparison, trend, 2 segments, funnel
    for _ in range(slides - 1):
        page.get_by_role("button", name="Nästa", exact=True).click()
        page.wait_for_timeout(300)
        wait_idle(page)
        charts = page.locator('[data-testid="stPlotlyChart"]')
        assert charts.count() == 1
        box = charts.first.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 720 and box["x"] + box["width"] <= 1280
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == heading
    assert page.get_by_role("button", name="Nästa", exact=True).is_disabled()
    # The way back: the sidebar returns and the link keeps its filters without the mode.
    page.get_by_role("button", name="Avsluta visningsläge").click()
    page.wait_for_timeout(300)
    wait_idle(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    assert "visning" not in page.url and "fc=" in page.url
    context.close()
