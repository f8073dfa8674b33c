"""Charts: the significance rule for a change, readable labels, one colour per meaning, the chosen unit marked."""
from __future__ import annotations

import math
import re
import statistics

import pandas as pd
import pytest

from conftest import every_part, open_page
from fc import db, fmt, maps, stats, theme
from fc.charts import coverage, goals, official, reflection, wrap
from fc.theme import PALETTE

YEAR = 2025


# --- the significance rule -------------------------------------------------------------------------------------

def _z_test_by_hand(x1, n1, x2, n2) -> float:
    """Textbook pooled two-proportion z-test, two-sided p-value, with the standard library's normal distribution."""
    p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 2 * (1 - statistics.NormalDist().cdf(abs(z)))


@pytest.mark.parametrize("x1, n1, x2, n2", [(60, 100, 45, 100), (8, 13, 5, 13), (410, 640, 380, 655), (3, 7, 9, 11),
                                            (120, 200, 100, 200)])
def test_share_change_p_value_matches_a_hand_computed_z_test(x1, n1, x2, n2):
    """It gives the pooled two-proportion z-test's p-value and difference."""
    change = stats.share_change(x1, n1, x2, n2)
    assert change.difference == pytest.approx(x1 / n1 - x2 / n2)
    assert change.p_value == pytest.approx(_z_test_by_hand(x1, n1, x2, n2), abs=1e-9)
    assert change.real == (change.p_value < 0.05)


@pytest.mark.parametrize("x1, n1, x2, n2", [(60, 100, 45, 100), (8, 13, 5, 13), (410, 640, 380, 655)])
def test_share_change_p_value_equals_the_chi_square_test_of_the_two_by_two_table(x1, n1, x2, n2):
    """It agrees with scipy's chi-square test without continuity correction (z² = χ² for a 2×2 table)."""
    scipy_stats = pytest.importorskip("scipy.stats")
    chi2, p, _, _ = scipy_stats.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)
    assert stats.share_change(x1, n1, x2, n2).p_value == pytest.approx(p, rel=1e-9)


def test_a_large_change_at_a_small_centre_is_not_called_real():
    """It does not colour +23 percentage points from 13 answers a year (the issue's example is of this kind)."""
    assert not stats.share_change(8, 13, 5, 13).real
    assert stats.share_change(800, 1300, 500, 1300).real


def test_no_change_is_computed_with_a_hidden_or_missing_cell():
    """It returns no change when either year is suppressed (no positives published) or absent."""
    shown = {"n": 40, "n_positive": 30, "suppressed": False}
    hidden = {"n": 4, "n_positive": None, "suppressed": True}
    assert stats.share_change(None, 4, 30, 40) is None
    assert stats.metric_delta(shown, hidden) == (None, "off")
    assert stats.metric_delta(hidden, shown) == (None, "off")
    assert stats.metric_delta(shown, None) == (None, "off")


def test_metric_delta_is_coloured_only_beyond_chance():
    """It colours a significant change (normal) and greys an insignificant one with 'ingen säker förändring'."""
    text, colour = stats.metric_delta({"n": 13, "n_positive": 8, "suppressed": False},
                                      {"n": 13, "n_positive": 5, "suppressed": False})
    assert (text, colour) == (stats.NO_REAL_CHANGE, "off")
    text, colour = stats.metric_delta({"n": 900, "n_positive": 600, "suppressed": False},
                                      {"n": 900, "n_positive": 500, "suppressed": False})
    assert (text, colour) == (fmt.change(600 / 900 - 500 / 900), "normal")


@pytest.mark.parametrize("delta", [-0.0004, -0.00049, 0.0004, 0.0, -0.0])
def test_a_change_that_rounds_to_nothing_never_reads_minus_zero(delta):
    """It writes ±0,0, never -0,0 or +0,0."""
    text = fmt.change(delta, 1, "poäng")
    assert text.startswith("±0,0"), text


# --- labels -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, width", [
    ("Tidigt stöd till föräldrar: Föräldraskapsstöd i grupp och enskilt", 22),
    ("Samverkan mellan verksamheterna: Gemensam planering av insatser", 38),
    ("Ett ord", 3),
    ("Förebyggande socialtjänst <b>", 10),
])
def test_wrap_breaks_at_word_boundaries_only(text, width):
    """It keeps every word whole and in order; a line is longer than `width` only when one word is."""
    lines = wrap(text, width).split("<br>")
    words = [w.replace("<", "&lt;").replace(">", "&gt;") for w in text.split()]
    assert " ".join(lines).split() == words
    for line in lines:
        assert len(line) <= width or " " not in line


def test_unique_labels_tell_apart_centres_of_the_same_name():
    """It adds the municipality to a repeated name, and a number if that is not enough."""
    names = reflection.unique_labels(["Hagen", "Hagen", "Björken", "Linnean", "Linnean"],
                                     ["Lund", "Malmö", "Lund", "Ystad", "Ystad"])
    assert names == ["Hagen (Lund)", "Hagen (Malmö)", "Björken", "Linnean (Ystad) 1", "Linnean (Ystad) 2"]
    assert len(set(names)) == len(names)


# --- figures built from the demo database, as the pages build them ----------------------------------------------

@pytest.fixture(scope="module")
def demo(demo_db):
    """The demo database as the pages see it (FC_DB), for the whole module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FC_DB", str(demo_db))
        yield demo_db


def _lund():
    units = db.query("filter_units")
    kommun = units[(units["level"] == "kommun") & (units["name"] == "Lund")].iloc[0]
    return kommun["code"], kommun["lan_code"]


def _funnel_centre():
    """A centre of Lund's county shown in the funnel plot for goal 1 (not suppressed)."""
    kommun, lan = _lund()
    funnel = db.query("goals_funnel", lan=lan, year=YEAR, goal=1)
    row = funnel[~funnel["suppressed"] & (funnel["kommun_code"] == kommun)].iloc[0]
    return funnel, row


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_funnel_marks_and_names_the_chosen_centre_and_names_every_point(demo):
    """It draws the chosen centre in the chosen colour with its name as a label; every point names its centre."""
    funnel, row = _funnel_centre()
    reference = float(funnel["reference_share"].dropna().iloc[0])
    fig = goals.funnel(funnel, reference, "Skåne län", chosen=row["centre_id"], chosen_name=row["name"])
    chosen = _trace(fig, row["name"])
    assert chosen.marker.color == PALETTE["chosen"]
    assert list(chosen.text) == [row["name"]] and "text" in chosen.mode
    assert list(chosen.x) == [row["n"]] and list(chosen.y) == pytest.approx([row["share_positive"]])
    others = _trace(fig, "Övriga familjecentraler")
    assert others.marker.color == PALETTE["other"]
    shown = funnel[~funnel["suppressed"] & (funnel["centre_id"] != row["centre_id"])]
    assert len(others.customdata) == len(shown)
    assert all(name in hover for name, hover in zip(shown["name"], others.customdata))


def test_maps_outline_and_name_the_chosen_municipality_and_centre(demo):
    """It outlines the chosen municipality in the chosen colour, writes its name, and draws the chosen centre."""
    kommun, lan = _lund()
    kommuner = db.query("coverage_kommun_year", year=YEAR, lan=lan)
    centres = db.query("coverage_centres_year", year=YEAR, lan=lan)
    centre = centres[centres["kommun_name"] == "Lund"].iloc[0]
    fig = coverage.coverage_map(kommuner, maps.boundaries("kommun", lan), maps.boundaries("lan", lan), centres,
                                chosen_kommun=kommun, chosen_centre=centre["centre_id"],
                                label_at=maps.label_point("kommun", kommun))
    outline = next(t for t in fig.data if t.type == "choropleth" and list(t.locations) == [kommun])
    assert outline.marker.line.color == PALETTE["chosen"] and outline.marker.line.width >= 3
    label = next(t for t in fig.data if t.type == "scattergeo" and t.mode == "text")
    assert "Lund" in label.text[0] and label.textfont.color == PALETTE["chosen"]
    point = _trace(fig, centre["name"])
    assert point.marker.color == PALETTE["chosen"] and centre["name"] in point.text[0]
    municipalities = fig.data[0]
    assert all(name in hover for name, hover in zip(kommuner["kommun_name"], municipalities.text))
    # The map fills its frame: no side margins, the geo frame spans exactly the county's municipalities.
    assert fig.layout.margin.l == 0 and fig.layout.margin.r == 0
    lon0, lon1, lat0, lat1 = maps.boundaries("kommun", lan).extent
    assert fig.layout.geo.lonaxis.range[0] <= lon0 < lon1 <= fig.layout.geo.lonaxis.range[1]
    assert fig.layout.geo.lataxis.range[0] <= lat0 < lat1 <= fig.layout.geo.lataxis.range[1]
    assert fig.layout.geo.lataxis.range[1] - fig.layout.geo.lataxis.range[0] < (lat1 - lat0) * 1.1


def test_trend_breaks_at_a_year_without_a_survey_and_shows_intervals(demo):
    """It puts a gap (None) at a year the unit has no survey, never a line across it, with 95 % intervals."""
    centres = db.query("filter_units")
    centres = centres[centres["level"] == "centre"]["code"]
    for centre in centres:
        frame = db.query("goals_trend", level="centre", unit=centre)
        years = sorted(frame["year"].unique())
        missing = sorted(set(range(years[0], years[-1] + 1)) - set(years)) if years else []
        if missing:
            break
    else:
        pytest.skip("no centre in the demo data skips a year")
    fig = goals.trend(frame)
    for trace in fig.data:
        points = dict(zip(trace.x, trace.y))
        assert all(points[year] is None for year in missing), (centre, missing)
        assert trace.connectgaps is False
        assert trace.error_y.array is not None
    goal1 = frame[(frame["goal"] == 1) & ~frame["suppressed"]]
    line = dict(zip(fig.data[0].x, fig.data[0].y))
    assert [line[y] for y in goal1["year"]] == pytest.approx(list(goal1["share_positive"]))


def test_heatmap_has_whole_words_unique_columns_and_values_on_every_cell(demo):
    """It wraps area names at word boundaries, names every column once and writes each score with a comma."""
    kommun, lan = _lund()
    heat = db.query("reflection_heatmap", level="lan", unit=lan, year=YEAR)
    fig = reflection.heatmap(heat)
    trace = fig.data[0]
    words = set(" ".join(heat["area"] + " " + heat["title"]).replace(":", " ").split())
    for label in trace.y:
        for word in re.split(r"<br>|\s", label):
            assert word.rstrip(":") in words, word
    assert len(set(trace.x)) == len(trace.x) == heat["column_key"].nunique()
    assert trace.texttemplate == "%{text}"
    cells = [v for row in trace.text for v in row if v]
    assert len(cells) == heat["score"].notna().sum()
    assert all(re.fullmatch(r"\d,\d", v) for v in cells) and not any(v.startswith("-") for v in cells)
    pivot = heat.pivot_table(index="statement_id", columns="column_key", values="score", aggfunc="first")
    first = heat.sort_values("position")["statement_id"].iloc[0]
    expected = [fmt.number(v, 1) if pd.notna(v) else "" for v in pivot.loc[first, sorted(heat["column_key"].unique())]]
    assert list(trace.text[0]) == expected
    # Each row gets room for its wrapped label.
    assert fig.layout.height >= 30 * len(trace.y)


def test_share_axes_read_twenty_percent_with_a_space(demo):
    """It labels share axes '20 %' (Swedish), not plotly's '20%'."""
    kommun, lan = _lund()
    compare = db.query("goals_compare", level="kommun", unit=kommun, year=YEAR)
    for fig in (goals.compare(compare), goals.trend(db.query("goals_trend", level="kommun", unit=kommun))):
        assert fig.layout.yaxis.tickformat is None
        assert all(re.fullmatch(r"\d+ %", t) for t in fig.layout.yaxis.ticktext)
        assert [float(v) for v in fig.layout.yaxis.tickvals] == [int(t[:-2]) / 100 for t in fig.layout.yaxis.ticktext]


def test_the_same_meaning_has_the_same_colour_on_every_page(demo):
    """It draws the chosen unit, the county, the nation and FC in one colour each, across pages' charts."""
    kommun, lan = _lund()
    compare = goals.compare(db.query("goals_compare", level="kommun", unit=kommun, year=YEAR))
    profile = reflection.profile(db.query("reflection_profile", level="kommun", unit=kommun, year=YEAR), YEAR)
    funnel, row = _funnel_centre()
    funnel_fig = goals.funnel(funnel, 0.6, "Skåne län", chosen=row["centre_id"], chosen_name=row["name"])
    kommuner = db.query("coverage_kommun_year", year=YEAR, lan=lan)
    cover = coverage.coverage_map(kommuner, maps.boundaries("kommun", lan), maps.boundaries("lan", lan),
                                  db.query("coverage_centres_year", year=YEAR, lan=lan), chosen_kommun=kommun)
    official_kommuner = db.query("official_kommun_year", year=2022, lan=lan)
    official_map = official.kommun_map(official_kommuner, maps.boundaries("kommun", lan), maps.boundaries("lan", lan),
                                       highlight=kommun)
    official_trend = official.trend(db.query("official_unit_trend", level="kommun", unit=kommun))

    def bars(fig):
        return {t.name: t.marker.color for t in fig.data if t.type != "choropleth"}

    chosen = {bars(compare)["Lund"], bars(profile)["Lund"], _trace(funnel_fig, row["name"]).marker.color,
              next(t for t in cover.data if t.type == "choropleth" and list(t.locations) == [kommun]).marker.line.color,
              next(t for t in official_map.data if t.type == "choropleth" and list(t.locations) == [kommun])
              .marker.line.color}
    assert chosen == {PALETTE["chosen"]}
    assert {bars(compare)["Skåne län"], bars(profile)["Skåne län"]} == {PALETTE["county"]}
    assert {bars(compare)["Riket"], bars(profile)["Riket"]} == {PALETTE["riket"]}
    fc_colours = {bars(cover)["Familjecentral (FC)"], official_map.data[0].colorscale[-1][1],
                  official_trend.data[0].line.color}
    assert fc_colours == {PALETTE["fc"]}
    assert bars(cover)["Endast familjecentralsliknande (FCLV)"] == PALETTE["fclv"]


def test_the_palette_meanings_are_distinct_and_readable_on_white():
    """It gives each meaning its own colour, 3:1 contrast for every mark (WCAG 1.4.11), no segment in alarm colours."""
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(colour):
        return (1.05) / (luminance(colour) + 0.05)

    assert len(set(PALETTE.values())) == len(PALETTE)
    for meaning, colour in PALETTE.items():
        if meaning not in theme.BACKGROUND_FILLS:
            assert contrast(colour) >= 3, meaning
    for colour in [*theme.GOAL_COLOURS.values(), *theme.SEGMENT_COLOURS.values()]:
        assert contrast(colour) >= 3 and colour not in PALETTE.values()
    assert len(set(theme.SEGMENT_COLOURS.values())) == len(theme.SEGMENT_COLOURS)


def test_figures_use_the_fc_template_with_swedish_separators():
    """It makes every new figure use the one registered template: decimal comma, space for thousands."""
    import plotly.graph_objects as go
    import plotly.io as pio

    assert pio.templates.default == "fc"
    assert go.Figure().layout.template.layout.separators == ", "


def test_report_charts_use_the_pages_colour_for_each_meaning(demo_db, monkeypatch):
    """It colours the Word report's series by meaning: the unit blue, last year light, county purple, nation charcoal."""
    from fc.report import centre, charts as report_charts, county

    drawn = []
    for name in ("grouped_shares", "areas"):
        original = getattr(report_charts, name)
        monkeypatch.setattr(report_charts, name, lambda frame, series, title, _f=original: (
            drawn.append(dict(series)), _f(frame, series, title))[1])
    query = db.plain_runner(demo_db)
    funnel = query("goals_funnel", lan="12", year=YEAR, goal=1)
    centre_id = funnel[~funnel["suppressed"]]["centre_id"].iloc[0]
    centre.build(query, centre_id, YEAR)
    county.build(query, "12", YEAR)
    meanings = {"Riket": PALETTE["riket"], "Länet": PALETTE["county"]}
    seen = set()
    for series in drawn:
        for label, colour in series.items():
            prefix = label.split(" ")[0]
            expected = meanings.get(prefix) or (PALETTE["earlier"] if label.endswith(str(YEAR - 1))
                                                else PALETTE["chosen"])
            assert colour == expected, (label, colour)
            seen.add(colour)
    assert {PALETTE["chosen"], PALETTE["earlier"], PALETTE["county"], PALETTE["riket"]} <= seen


# --- pages: every chart explains itself and carries its texts into the image ----------------------------------

def test_every_chart_on_a_page_explains_itself_and_downloads_as_a_titled_image(app_db):
    """It gives each chart a 'Så läser du diagrammet' caption, and a PNG download with title and source inside."""
    import json

    parts = every_part("maluppfyllelse", timeout=120, lan="Skåne län", kommun="Lund")
    assert len(parts) == 5
    charts = []
    for at in parts.values():
        explained = [c.value for c in at.caption if c.value.startswith("**Så läser du diagrammet:**")]
        assert len(explained) == len(at.get("plotly_chart")) >= 1
        assert all("**Definition:**" in text and "**Källa:**" in text for text in explained)
        charts += list(at.get("plotly_chart"))
    assert len(charts) >= 6
    for chart in charts:
        spec, config = json.loads(chart.proto.spec), json.loads(chart.proto.config)
        title = spec["layout"]["title"]
        assert title["text"] and "Källa: föräldraenkäten" in title["subtitle"]["text"]
        assert "Fiktiva demodata" in title["subtitle"]["text"]  # a slide of demo figures says so
        image = config["toImageButtonOptions"]
        assert image["format"] == "png" and image["scale"] == 2 and image["width"] >= 1600
        assert re.fullmatch(r"fiktiva_demodata_[a-z0-9_]+", image["filename"])
        assert chart.proto.theme == ""  # our template, not Streamlit's theme over it


def test_oversikt_colours_a_goal_change_only_when_a_z_test_says_it_is_real(app_db):
    """It shows 'ingen säker förändring' uncoloured exactly when the two years' shares do not differ at 5 %."""
    at = open_page("oversikt", timeout=120, lan="Skåne län", kommun="Lund")
    kommun, _ = _lund()
    frame = db.query("goal_unit_years", level="kommun", unit=kommun, year=YEAR)
    rows = frame[["goal", "year", "n", "n_positive", "suppressed"]].itertuples(index=False)
    by_goal = {}
    for goal, year, n, positive, suppressed in rows:
        by_goal.setdefault(goal, {})[year] = (n, positive, suppressed)
    checked = 0
    for goal, years in by_goal.items():
        shown = next(m for m in at.metric if m.label.startswith(f"Mål {goal}:"))
        before, now = years.get(YEAR - 1), years.get(YEAR)
        if before is None or now is None or before[2] or now[2]:
            assert not shown.delta
            continue
        p = _z_test_by_hand(now[1], now[0], before[1], before[0])
        assert (stats.NO_REAL_CHANGE in shown.delta) == (p >= 0.05), (goal, p, shown.delta)
        grey = shown.proto.color == type(shown.proto).MetricColor.GRAY
        assert grey == (p >= 0.05), (goal, p, shown.proto)
        checked += 1
    assert checked
