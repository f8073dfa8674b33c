"""Headings and the year list on a small built database: every heading names the unit and year of its figures,
only years with data are offered, and an empty year says why."""
from __future__ import annotations

import csv
import datetime as dt
import random

import pytest

from conftest import CENTRE_HEADER, ROOT, centre_row, open_page, survey_header, survey_items, write_csv
from etl.build import build
from fc import fmt, heading, safe

TODAY = dt.date(2026, 3, 1)  # the calendar year has no files yet
KOMMUNER = {r["kommun_kod"]: r for r in csv.DictReader(open(ROOT / "data/reference/kommuner.csv", encoding="utf-8"))}
CENTRES = [("A1", "0180", (1, 1, 1, 1)), ("A2", "1281", (1, 1, 1, 1)), ("A3", "1281", (0, 1, 1, 0))]
SURVEYS = [("A1", 2021, 9), ("A1", 2023, 8), ("A3", 2023, 7)]  # no survey at all in 2022; none from A2
SELF_REFLECTION = [("A1", 2022)]  # 2022 has a self-reflection, so it is a follow-up year without a survey


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("heading")
    write_csv(folder, "centres.csv", CENTRE_HEADER, [centre_row(c, k, legs) for c, k, legs in CENTRES])
    rng = random.Random(3)
    rows = [[f"{c}{y}{r}", c, y, "kvinna", "svenska", *[rng.choice([3, 4, 5]) for _ in survey_items()]]
            for c, y, n in SURVEYS for r in range(n)]
    write_csv(folder, "parent_survey.csv", survey_header(), rows)
    statements = list(csv.DictReader(open(ROOT / "data/catalogues/statements.csv", encoding="utf-8")))
    write_csv(folder, "self_reflection.csv", ["centre_id", "year", "statement_id", "score", "n_staff", "comment"],
              [[c, y, s["statement_id"], 4.0, 5, ""] for c, y in SELF_REFLECTION for s in statements])
    db = folder.parent / "db" / "fc.duckdb"
    build(folder, db, today=TODAY)
    return db


@pytest.fixture
def app(small_db, monkeypatch):
    monkeypatch.setenv("FC_DB", str(small_db))
    return open_page


def name(centre: str) -> str:
    """The centre's name in headings: its name and municipality (see fc/queries/filter_units.sql)."""
    return f"Familjecentralen {centre}, {KOMMUNER[dict((c, k) for c, k, _ in CENTRES)[centre]]['kommun']}"


def label(centre: str) -> str:
    return name(centre).replace(", ", " – ")


def test_years_stop_at_the_latest_data_and_default_to_the_latest_survey(app):
    at = app("oversikt")
    years = {y for _, y, _ in SURVEYS} | {y for _, y in SELF_REFLECTION}
    assert [int(y) for y in at.selectbox(key="ar").options] == list(range(max(years), min(years) - 1, -1))
    assert str(TODAY.year) not in at.selectbox(key="ar").options
    latest_survey = max(y for _, y, _ in SURVEYS)
    assert at.title[0].value == f"Översikt – Riket {latest_survey}"


def test_a_year_without_a_survey_says_so(app):
    at = app("oversikt", ar="2022")
    assert any(i.value == "Ingen föräldraenkät genomfördes 2022." for i in at.info)
    assert not any(m.label.startswith("Mål 1") for m in at.metric)  # no 0 % and no "–" for the goals
    at = app("maluppfyllelse", ar="2022")
    assert any(i.value == "Ingen föräldraenkät genomfördes 2022." for i in at.info)
    at = app("sjalvreflektion", ar="2023")
    assert any(i.value == "Ingen självreflektion genomfördes 2023." for i in at.info)


def test_a_unit_without_answers_in_a_survey_year_says_so(app):
    at = app("maluppfyllelse", ar="2023", fc=label("A2"))
    assert at.title[0].value == f"Måluppfyllelse – {safe.md(name('A2'))} 2023"
    assert any(i.value == f"Inga svar i föräldraenkäten för {safe.md(name('A2'))} år 2023." for i in at.info)
    at = app("sjalvreflektion", ar="2022", fc=label("A2"))
    assert any(i.value == f"Ingen självreflektion är inrapporterad för {safe.md(name('A2'))} år 2022." for i in at.info)


def test_a_centre_chosen_alone_heads_its_page_and_its_municipality_heads_coverage(app):
    """Översikt for a centre chosen without county or municipality: the centre in the title, the coverage
    figures under its municipality's name and counted for that municipality, the map under its county's."""
    at = app("oversikt", ar="2023", fc=label("A3"))
    kommun = KOMMUNER["1281"]
    assert at.title[0].value == f"Översikt – {safe.md(name('A3'))} 2023"
    subheaders = [s.value for s in at.subheader]
    assert f"Verksamheter och inrapportering – {kommun['kommun']} 2023" in subheaders
    assert f"Täckning – {safe.md(kommun['lan'])} 2023" in subheaders
    assert any(f"Siffrorna här gäller {kommun['kommun']}, där den valda familjecentralen ligger." in c.value
               for c in at.caption)
    n_fc = sum(1 for _, k, legs in CENTRES if k == "1281" and sum(legs) == 4)
    n_fclv = sum(1 for _, k, legs in CENTRES if k == "1281" and sum(legs) in (2, 3))
    assert next(m.value for m in at.metric if m.label == "Familjecentraler (FC)") == fmt.number(n_fc)
    assert next(m.value for m in at.metric if m.label.startswith("Familjecentralsliknande")) == fmt.number(n_fclv)
    assert next(m.value for m in at.metric if m.label.startswith("Mål 1")).endswith("%")  # A3's own answers

    at = app("tackning", ar="2023", fc=label("A3"))
    assert at.title[0].value == f"Täckning – {safe.md(kommun['lan'])} 2023"
    assert len(at.select_slider) == 0  # one year control: the sidebar's

    at = app("inrapportering", ar="2023", fc=label("A3"))
    assert at.title[0].value == f"Inrapportering – {safe.md(name('A3'))} 2023"


def test_heading_pattern_names_the_unit_at_each_level(app):
    at = app("oversikt", ar="2021", fc=label("A1"))
    scope = at.session_state["scope"]
    kommun = KOMMUNER["0180"]
    assert [heading.title("X", scope, level) for level in ("centre", "kommun", "lan", "riket")] == [
        f"X – {safe.md(name('A1'))} 2021", f"X – {kommun['kommun']} 2021", f"X – {safe.md(kommun['lan'])} 2021",
        "X – Riket 2021"]
    assert heading.wider_note(scope, "centre") is None
    assert heading.wider_note(scope, "riket") == "Siffrorna här gäller hela riket, inte bara den valda familjecentralen."
