"""End to end in a real browser: Debian's chromium driven by Playwright against `streamlit run` on 127.0.0.1."""
from __future__ import annotations

import pandas as pd
import pytest

import expect
from conftest import ROOT
from fc import fmt
from harness import browser, serve, wait_idle  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.e2e
# Översikt is the default page, served at "/".
# The first visit after the server starts goes to a page URL, as a shared link would.
PAGES = ["tackning", "", "maluppfyllelse", "sjalvreflektion", "familjecentral", "inrapportering",
         "rapporter", "utforska", "importera"]


@pytest.fixture(scope="module")
def server(demo_db):
    yield from serve(None, demo_db)


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_without_an_error(server, browser, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/{name}")
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert "Fiktiva demodata" in page.inner_text("body")
    assert page.get_by_text("Page not found").count() == 0
    assert errors == []
    page.close()


def test_official_statistics_page_is_real_data_without_the_demo_banner(server, browser):
    official = pd.read_csv(ROOT / "data/reference/oppen_forskola_familjecentral_kommun.csv", dtype={"kommun_kod": str})
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/officiell_statistik")
    wait_idle(page, banner=False)
    page.wait_for_function("() => document.querySelectorAll('.choroplethlayer path').length >= 290", timeout=60_000)
    heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
    assert heading.startswith("Officiell statistik") and str(int(official["ar"].max())) in heading
    assert "Fiktiva demodata" not in page.inner_text('[data-testid="stMain"]')
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()


def test_the_coverage_map_draws_every_municipality(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/tackning")
    wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.choroplethlayer path').length >= 290", timeout=60_000)
    assert page.locator(".choroplethlayer path").count() >= 290 + 21
    page.close()


def test_changing_the_county_updates_the_figures_and_the_url(server, browser, demo_source):
    centres = expect.active(expect.centres(demo_source), 2025)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?lan=Sk%C3%A5ne+l%C3%A4n&kommun=Lund")
    wait_idle(page)
    lund = centres[centres["kommun_code"] == "1281"]  # the top figures are for the chosen municipality
    assert metric_value(page, "Familjecentraler (FC)") == fmt.number((lund["type"] == "FC").sum())
    page.get_by_role("combobox", name="Län").click()
    page.get_by_role("option", name="Uppsala län").click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Uppsala')")
    uppsala = centres[centres["lan_code"] == "03"]
    assert metric_value(page, "Familjecentraler (FC)") == fmt.number((uppsala["type"] == "FC").sum())
    assert "lan=Uppsala+l%C3%A4n" in page.url
    assert "kommun=" not in page.url  # Lund is not in Uppsala län: dropped from the view and the link
    page.close()


def test_a_table_download_from_the_browser_holds_the_figures(server, browser, demo_source):
    centres = expect.active(expect.centres(demo_source), 2025)
    uppsala = centres[(centres["lan_code"] == "03") & (centres["type"] == "FC")]
    kommuner = expect.kommuner()
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{server}/tackning?lan=Uppsala+l%C3%A4n")
    wait_idle(page)
    figures = page.locator('[data-testid="stExpander"]', has_text="Visa siffror").first
    figures.locator("summary").click()  # its table and downloads are built when it opens
    with page.expect_download() as download:
        figures.get_by_role("button", name="Ladda ner CSV").click()
    assert download.value.suggested_filename.startswith("fiktiva_demodata_")
    rows = pd.read_csv(download.value.path(), sep=";", dtype={"Kommunkod": str}, encoding="utf-8-sig")
    assert sorted(rows["Kommunkod"]) == sorted(kommuner.loc[kommuner["lan_kod"] == "03", "kommun_kod"])
    fc_per_kommun = uppsala.groupby("kommun_code").size()
    assert rows.set_index("Kommunkod")["Familjecentraler (FC)"].to_dict() == {
        code: int(fc_per_kommun.get(code, 0)) for code in rows["Kommunkod"]}
    page.close()
