"""Officiell statistik: the build's official views against sums from the bundled CSVs, and the page (AppTest)."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from conftest import ROOT, open_figures
from fc import db, fmt, ui
from test_pages import decode, figure, metric, open_page

REFERENCE = ROOT / "data" / "reference"
LAST = 2022


@pytest.fixture(scope="module")
def files() -> pd.DataFrame:
    """The bundled files joined per municipality and year, with the municipality's county."""
    read = lambda name: pd.read_csv(REFERENCE / name, dtype={"kommun_kod": str})  # noqa: E731
    frame = read("oppen_forskola_familjecentral_kommun.csv")
    frame = frame.merge(read("barn_0_5_kommun.csv")[["kommun_kod", "ar", "barn_0_5"]], how="left", on=["kommun_kod", "ar"])
    frame = frame.merge(read("levande_fodda_kommun.csv"), how="left", on=["kommun_kod", "ar"])
    kommuner = pd.read_csv(REFERENCE / "kommuner.csv", dtype=str)
    return frame.merge(kommuner, on="kommun_kod")


def expected(files: pd.DataFrame, year: int, lan: str = "", kommun: str = "") -> dict:
    rows = files[files["ar"] == year]
    rows = rows[rows["kommun_kod"] == kommun] if kommun else rows[rows["lan_kod"] == lan] if lan else rows
    fc = rows["oppna_forskolor_i_familjecentral"]
    return {"in_family_centre": fc.sum(min_count=1), "total": rows["oppna_forskolor_totalt"].sum(min_count=1),
            "kommuner": len(rows), "kommuner_with_fc": int((fc > 0).sum()),
            "children_0_5": rows["barn_0_5"].sum(min_count=1), "births": rows["levande_fodda"].sum(min_count=1)}


def same(actual, wanted) -> bool:
    return (pd.isna(actual) and pd.isna(wanted)) or actual == wanted


def test_official_views_equal_sums_from_the_bundled_files(demo_db, files):
    with duckdb.connect(str(demo_db), read_only=True, config=db.CONFIG) as con:
        view = con.execute("SELECT * FROM official_unit_year").df()
        kommun_view = con.execute("SELECT * FROM official_kommun_year").df()
    assert len(kommun_view) == len(files) == 290 * 16
    assert set(view["year"]) == set(range(2007, 2023))
    assert view["level"].value_counts().to_dict() == {"kommun": 290 * 16, "lan": 21 * 16, "riket": 16}
    checked = 0
    for r in view.itertuples():
        lan, kommun = {"riket": ("", ""), "lan": (r.unit_code, ""), "kommun": ("", r.unit_code)}[r.level]
        want = expected(files, r.year, lan, kommun)
        for column, value in want.items():
            assert same(getattr(r, column), value), (r.level, r.unit_code, r.year, column)
        checked += 1
    assert checked == len(view)
    # The source's own national totals (README): 2021 255 in 156 municipalities, 2022 286 in 175; 2022 left empty.
    riket = view[view["level"] == "riket"].set_index("year")
    assert (riket.loc[2021, "in_family_centre"], riket.loc[2021, "kommuner_with_fc"]) == (255, 156)
    assert (riket.loc[2022, "in_family_centre"], riket.loc[2022, "kommuner_reported_fc"]) == (286, 175)


def test_official_facts_are_loaded_with_their_urls(demo_db):
    with duckdb.connect(str(demo_db), read_only=True, config=db.CONFIG) as con:
        facts = con.execute("SELECT fact_id, value, url FROM official_fact").df().set_index("fact_id")
    assert facts.loc["fohm_2023_antal", "value"] == 246
    assert facts.loc["fohm_2023_kommuner", "value"] == 158
    assert facts.loc["fohm_2023_regioner", "value"] == 18
    assert facts["url"].str.startswith("https://").all()


def check_page(files, place: str, year: int, lan: str = "", kommun: str = "", link: dict | None = None):
    """Check the page's key figures, its trend (part Utveckling) and the national facts (part Nationella uppgifter);
    `link`: the page's filters in the URL. Returns the page as it opens."""
    params = link or {}
    at = open_page("officiell_statistik", **params)
    want = expected(files, year, lan, kommun)
    assert at.title[0].value == f"Officiell statistik – {place} {year}"
    assert at.subheader[0].value == f"Öppna förskolor i familjecentral, antal verksamheter – {place} {year}"
    assert metric(at, "Öppna förskolor i familjecentral") == fmt.number(want["in_family_centre"])
    assert metric(at, "Öppna förskolor totalt") == fmt.number(want["total"])
    assert metric(at, "Barn 0–5 år") == fmt.number(want["children_0_5"])
    if not kommun:
        assert metric(at, "Kommuner med öppen förskola") == f"{want['kommuner_with_fc']} av {want['kommuner']}"
    # The trend chart's line is the unit's figures for every year.
    line = figure(open_page("officiell_statistik", part="Utveckling", **params), 0)["data"][0]
    years = decode(line["x"])
    assert list(years) == list(range(2007, 2023))
    values = decode(line["y"])
    for y, v in zip(years, values):
        assert same(v, expected(files, y, lan, kommun)["in_family_centre"]), y
    # No demo banner on this page even with the demo database, and the page says where the figures come from.
    assert not [w for w in at.warning if "demodata" in w.value.lower()]
    assert any("Officiell statistik" in i.value for i in at.info)
    captions = " ".join(c.value for c in at.caption)
    assert "Kolada" in captions and "proxy" in captions and "2022" in captions
    facts = open_page("officiell_statistik", part="Nationella uppgifter", **params)
    urls = facts.dataframe[-1].value["Källans adress"]
    assert urls.str.startswith("https://www.folkhalsomyndigheten.se/").sum() == 7
    return at


def test_page_for_the_nation_shows_the_latest_year_and_says_so(app_db, files):
    at = check_page(files, "Riket", LAST)
    assert any(f"visar senaste tillgängliga år, {LAST}" in w.value for w in at.warning)
    kommun_map = figure(at, 0)["data"]
    assert sum(len(t.get("locations", [])) for t in kommun_map[:2]) == 290
    per_county = open_figures(open_page("officiell_statistik", part="Per län"), "official_lan")
    assert len(per_county.dataframe[0].value) == 21


def test_page_for_a_county(app_db, files):
    at = check_page(files, "Skåne län", 2021, lan="12", link={"ar": "2021", "lan": "Skåne län"})
    assert not at.warning
    per_kommun = open_figures(open_page("officiell_statistik", part="Per kommun", ar="2021", lan="Skåne län"),
                              "official_kommuner").dataframe[0].value
    assert len(per_kommun) == 33
    rows = files[(files["ar"] == 2021) & (files["lan_kod"] == "12")].set_index("kommun")
    assert per_kommun.set_index("Kommun")["Öppna förskolor i familjecentral"].to_dict() == \
        rows["oppna_forskolor_i_familjecentral"].map(fmt.number).to_dict()  # shown as the page formats counts


def test_page_for_a_municipality(app_db, files):
    at = check_page(files, "Lund", 2020, kommun="1281", link={"ar": "2020", "lan": "Skåne län", "kommun": "Lund"})
    assert metric(at, "Levande födda") == fmt.number(expected(files, 2020, kommun="1281")["births"])


def test_official_downloads_carry_no_demo_prefix(app_db):
    assert db.is_demo()
    assert ui.file_stem("Öppna förskolor", official=True) == "oppna_forskolor"
    assert ui.file_stem("Öppna förskolor") == "fiktiva_demodata_oppna_forskolor"
