"""Every dashboard page, run with AppTest on a database built from the demo data, against figures computed here."""
from __future__ import annotations

import base64
import json
import os

import duckdb
import numpy as np
import pandas as pd
import pytest

import expect
from conftest import ROOT, open_figures, open_page
from fc import db, fmt, labels

YEAR = 2025
FC_ONLY_COUNTIES = set(pd.read_csv(ROOT / "data/settings/county_settings.csv", dtype=str)
                       .query("coverage_rule == 'fc'")["lan_code"])


@pytest.fixture(scope="module")
def data(demo_source):
    return {"centres": expect.centres(demo_source), "scores": expect.goal_scores(demo_source),
            "kommuner": expect.kommuner(), "source": demo_source}


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


def figure(at, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def decode(values):
    """Plotly 7 sends numeric arrays as base64 typed arrays."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def test_oversikt_counts_and_goal_shares_for_the_nation(app_db, data):
    at = open_page("oversikt")
    active = expect.active(data["centres"], YEAR)
    assert metric(at, "Familjecentraler") == fmt.number((active["type"] == "FC").sum())
    assert metric(at, "Familjecentralsliknande") == fmt.number((active["type"] == "FCLV").sum())
    # Each municipality is judged by its own county's rule (bundled settings: Örebro counts only FC).
    fc_only = active["lan_code"].isin(FC_ONLY_COUNTIES)
    counted = active[(active["type"] == "FC") | (~fc_only & (active["type"] == "FCLV"))]
    assert metric(at, "Kommuner som når länets mål") == f"{counted['kommun_code'].nunique()} av 290"
    any_centre = active[active["type"].isin(["FC", "FCLV"])]["kommun_code"].nunique()
    with_fc = active[active["type"] == "FC"]["kommun_code"].nunique()
    assert any(f"Med minst en FC: {with_fc} av 290 kommuner; med minst en FC eller FCLV: {any_centre} av 290" in c.value
               for c in at.caption)
    scores = data["scores"]
    for goal in range(1, 6):
        _, share = expect.pooled_share(scores[(scores["goal"] == goal) & (scores["year"] == YEAR)])
        assert metric(at, f"Mål {goal}") == fmt.percent(share)


def test_a_shared_link_with_county_and_municipality_opens_that_scope(app_db, data):
    at = open_page("oversikt", ar=str(YEAR - 1), lan="Skåne län")
    assert at.title[0].value == f"Översikt – Skåne län {YEAR - 1}"
    active = expect.active(data["centres"], YEAR - 1)
    skane = active[active["lan_code"] == "12"]
    assert metric(at, "Familjecentraler") == fmt.number((skane["type"] == "FC").sum())
    assert metric(at, "Kommuner med FC") == f"{skane[skane['type'] != 'other']['kommun_code'].nunique()} av 33"
    scores = data["scores"]
    pool = scores[(scores["goal"] == 2) & (scores["year"] == YEAR - 1) & scores["centre_id"].isin(data["centres"][data["centres"]["lan_code"] == "12"]["centre_id"])]
    assert metric(at, "Mål 2") == fmt.percent(expect.pooled_share(pool)[1])

    at = open_page("maluppfyllelse", ar=str(YEAR), lan="Västra Götalands län", kommun="Göteborg")
    assert at.title[0].value == f"Måluppfyllelse – Göteborg {YEAR}"


def test_an_invalid_link_value_falls_back_to_the_whole_country(app_db):
    at = open_page("oversikt", lan="Atlantis län", ar="1066")
    assert at.title[0].value.startswith("Översikt – Riket")
    assert not at.exception


def test_tackning_lists_exactly_the_municipalities_without_fc_or_fclv(app_db, data):
    at = open_page("tackning", part="Kommuner som inte når målet", lan="Norrbottens län")
    active = expect.active(data["centres"], YEAR)
    served = set(active[active["type"] != "other"]["kommun_code"])
    k = data["kommuner"]
    expected = set(k[(k["lan_kod"] == "25") & ~k["kommun_kod"].isin(served)]["kommun"])
    uncovered = at.dataframe[-1].value
    assert set(uncovered["Kommun"]) == expected


def test_orebro_counts_only_family_centres_on_oversikt_and_tackning(app_db, data):
    """It prints Örebro's own target and lists a municipality with only FCLV as not meeting it."""
    active = expect.active(data["centres"], YEAR)
    orebro = active[active["lan_code"] == "18"]
    with_fc = set(orebro[orebro["type"] == "FC"]["kommun_code"])
    assert set(orebro[orebro["type"] == "FCLV"]["kommun_code"]) - with_fc, "the demo needs an FCLV-only municipality"
    at = open_page("oversikt", lan="Örebro län")
    assert metric(at, "Kommuner med FC") == f"{len(with_fc)} av 12"
    assert any("Minst en familjecentral ska finnas i varje kommun" in c.value for c in at.caption)
    at = open_page("tackning", part="Kommuner som inte når målet", lan="Örebro län")
    k = data["kommuner"]
    expected = set(k[(k["lan_kod"] == "18") & ~k["kommun_kod"].isin(with_fc)]["kommun"])
    assert set(at.dataframe[-1].value["Kommun"]) == expected
    assert "FC eller FCLV" not in metric(at, "Kommuner med FC")


def test_tackning_national_map_has_every_municipality_and_stays_small(app_db):
    at = open_page("tackning")
    chart = at.get("plotly_chart")[0]
    spec = json.loads(chart.proto.spec)
    kommun_trace = spec["data"][0]
    assert len(kommun_trace["locations"]) == 290
    assert len(spec["layout"]["geo"]) and len(chart.proto.spec) < 500_000


def test_maluppfyllelse_compares_unit_county_and_nation(app_db, data):
    at = open_figures(open_page("maluppfyllelse", lan="Stockholms län", kommun="Stockholm"), "goals_compare")
    table = at.dataframe[0].value
    scores = data["scores"][data["scores"]["year"] == YEAR]
    c = data["centres"]
    expected = {
        "kommun": scores[scores["centre_id"].isin(c[c["kommun_code"] == "0180"]["centre_id"])],
        "lan": scores[scores["centre_id"].isin(c[c["lan_code"] == "01"]["centre_id"])],
        "riket": scores,
    }
    for level, pool in expected.items():
        for goal in range(1, 6):
            n, share = expect.pooled_share(pool[pool["goal"] == goal])
            row = table[(table["Nivå"] == labels.VALUES["level"][level]) & (table["Mål"] == str(goal))].iloc[0]
            assert row["Antal svarande"] == fmt.number(n)
            assert row["Andel positiva"] == fmt.percent(share)


def test_a_suppressed_centre_shows_no_figure_anywhere(app_db, data):
    scores = data["scores"]
    counts = scores[scores["goal"] == 1].groupby(["centre_id", "year"]).size()
    centre_id, year = counts[counts < 5].index[0]
    label = open_page("oversikt").selectbox(key="fc").format_func(centre_id)
    at = open_figures(open_page("maluppfyllelse", ar=str(year), fc=label), "goals_compare")
    table = at.dataframe[0].value
    unit_rows = table[table["Nivå"] == "Familjecentral"]
    assert len(unit_rows) and set(unit_rows["Visas inte (skäl)"]) == {fmt.SUPPRESSED}
    assert set(unit_rows["Antal positiva"]) == set(unit_rows["Konfidensintervall från"]) == {fmt.MISSING}
    assert set(unit_rows["Andel positiva"]) == {fmt.SUPPRESSED}
    bars = figure(at, 0)["data"][0]
    assert set(bars["text"]) == {fmt.SUPPRESSED}
    assert all(v == 0 for v in decode(bars["y"]))
    items = [i.value for i in open_page("maluppfyllelse", part="Per fråga", ar=str(year), fc=label).info]
    assert any(f"Svaren per fråga visas inte ({fmt.SUPPRESSED})" in text for text in items)


def test_a_secondary_hidden_centre_says_why_and_shows_no_figure(app_db, data):
    # Same file and config as the dashboard's own connection in this process (DuckDB requires one config).
    with duckdb.connect(os.path.realpath(app_db), read_only=True, config=db.CONFIG) as con:
        centre_id, year, goal = con.execute(
            "SELECT unit_code, year, goal FROM goal_fulfilment WHERE level = 'centre' AND segment = 'alla' "
            "AND suppression = 'secondary' ORDER BY n DESC LIMIT 1").fetchone()
    scores = data["scores"]
    pool = scores[(scores["centre_id"] == centre_id) & (scores["year"] == year) & (scores["goal"] == goal)]
    assert len(pool) >= 5  # hidden although big enough on its own
    label = open_page("oversikt").selectbox(key="fc").format_func(centre_id)
    at = open_figures(open_page("maluppfyllelse", ar=str(year), fc=label), "goals_compare")
    table = at.dataframe[0].value
    row = table[(table["Nivå"] == "Familjecentral") & (table["Mål"] == str(goal))].iloc[0]
    assert row["Antal svarande"] == fmt.number(len(pool)) and row["Antal positiva"] == fmt.MISSING
    assert row["Andel positiva"] == row["Visas inte (skäl)"] == fmt.SECONDARY
    assert fmt.SECONDARY in figure(at, 0)["data"][0]["text"]


def test_funnel_limits_surround_the_county_share(app_db, data):
    at = open_page("maluppfyllelse", part="Familjecentraler", lan="Stockholms län")
    funnel = figure(at, 0)
    scores = data["scores"]
    stockholm = data["centres"][data["centres"]["lan_code"] == "01"]["centre_id"]
    pool = scores[(scores["goal"] == 1) & (scores["year"] == YEAR) & scores["centre_id"].isin(stockholm)]
    p0 = (pool["score"] >= 4).mean()
    lines = [t for t in funnel["data"] if t.get("mode") == "lines"]
    n = np.array(decode(lines[-1]["x"]))
    high = np.array(decode(lines[-1]["y"]))
    assert high == pytest.approx(np.minimum(p0 + 1.959964 * np.sqrt(p0 * (1 - p0) / n), 1), abs=1e-4)
    points = funnel["data"][-1]
    per_centre = pool.groupby("centre_id").size()
    assert sorted(decode(points["x"])) == sorted(per_centre[per_centre >= 5].tolist())


def test_sjalvreflektion_proposes_the_two_weakest_areas(app_db, data):
    reflection = expect.read(data["source"], "self_reflection")
    statements = pd.read_csv(ROOT / "data/catalogues/statements.csv")
    centre_id = reflection[reflection["year"] == str(YEAR)]["centre_id"].iloc[0]
    part = reflection[(reflection["centre_id"] == centre_id) & (reflection["year"] == str(YEAR))].merge(statements, on="statement_id")
    part["score"] = part["score"].astype(float)
    order = {a: i for i, a in enumerate(dict.fromkeys(statements["area"]))}
    means = part.groupby("area")["score"].mean().reset_index()
    means["order"] = means["area"].map(order)
    weakest = list(means.sort_values(["score", "order"])["area"].head(2))
    label = open_page("oversikt").selectbox(key="fc").format_func(centre_id)
    at = open_page("sjalvreflektion", part="Områden", fc=label)
    proposal = next(i.value for i in at.info if "Steg IV" in i.value)
    assert all(f"**{area}**" in proposal for area in weakest)


def test_familjecentral_shows_the_centres_activity_figures(app_db, data):
    activity = expect.read(data["source"], "activity")
    row = activity.iloc[0]
    label = open_page("oversikt").selectbox(key="fc").format_func(row["centre_id"])
    at = open_page("familjecentral", fc=label)
    shown = next(d.value for d in at.dataframe if "Besök" in d.value.columns)
    shown_row = shown[shown["År"] == str(int(row["year"]))].iloc[0]
    assert shown_row["Besök"] == fmt.number(int(row["visits"]))
    assert shown_row["Inskrivna barn (BVC)"] == fmt.number(int(row["enrolled_children"]))


def test_inrapportering_counts_complete_partial_and_missing(app_db, data):
    at = open_page("inrapportering", lan="Skåne län")
    active = expect.active(data["centres"], YEAR)
    ids = set(active[active["lan_code"] == "12"]["centre_id"])
    src = data["source"]
    has = {kind: set(expect.read(src, kind).query(f"year == '{YEAR}'")["centre_id"])
           for kind in ("parent_survey", "self_reflection", "activity")}
    n_reports = {i: sum(i in has[k] for k in has) for i in ids}
    assert metric(at, "Aktiva") == fmt.number(len(ids))
    assert metric(at, "Komplett") == fmt.number(sum(v == 3 for v in n_reports.values()))
    assert metric(at, "Delvis") == fmt.number(sum(0 < v < 3 for v in n_reports.values()))
    assert metric(at, "Saknas") == fmt.number(sum(v == 0 for v in n_reports.values()))


def test_inrapportering_shows_on_time_late_or_unknown_against_the_countys_deadline(app_db, data):
    """It labels each centre's annual report by its arrival date against 28 February of the next year (Skåne)."""
    at = open_page("inrapportering", ar=str(YEAR - 1), lan="Skåne län")
    active = expect.active(data["centres"], YEAR - 1)
    ids = set(active[active["lan_code"] == "12"]["centre_id"])
    activity = expect.read(data["source"], "activity").query(f"year == '{YEAR - 1}'").set_index("centre_id")
    deadline = f"{YEAR}-02-28"

    def label(centre):
        received = activity["report_received"].get(centre, "")
        return "Okänt" if not received else "I tid" if received <= deadline else "Sen"

    table = next(d.value for d in at.dataframe if "Berättelse i tid" in d.value.columns)
    assert len(table) == len(ids)
    names = active.set_index("centre_id")["name"]
    assert sorted(zip(table["Familjecentral"], table["Berättelse i tid"])) == sorted((names[c], label(c)) for c in ids)
    assert {"I tid", "Sen", "Okänt"} <= set(table["Berättelse i tid"])
    assert set(table["Sista dag"]) == {deadline}
    assert any("Verksamhetsberättelsen lämnas in senast 28/2" in str(v) for d in at.dataframe
               for v in d.value.get("Aktiviteter", []))


def test_utforska_runs_a_query_and_refuses_writes(app_db, data):
    at = open_page("utforska")
    at.text_area[0].set_value("SELECT count(*) AS n FROM centres")
    at.button[0].click().run()
    assert at.dataframe[0].value["n"].iloc[0] == len(data["centres"])
    at.text_area[0].set_value("DELETE FROM centres")
    at.button[0].click().run()
    assert "DELETE är inte tillåtet" in at.error[0].value


def test_rapporter_offers_the_reports_of_the_chosen_scope(app_db):
    at = open_page("rapporter", lan="Jämtlands län")
    assert at.radio(key="report_kind").options == ["Sammanställning för länet", "Sammanställning för riket"]
    buttons = [b.label for b in at.get("download_button")]
    assert buttons == ["Ladda ner Word (.docx)", "Ladda ner Excel (.xlsx)"]
    assert at.subheader[0].value == f"Sammanställning för länet – Jämtlands län {YEAR}"
