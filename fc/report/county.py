"""The county's (or the nation's) yearly compilation for its management, as a Word document."""
from __future__ import annotations

import pandas as pd

from fc import fmt
from fc.report import charts
from fc.report.centre import Query, is_demo
from fc.report.document import Report
from fc.theme import STATUS_LABELS

NATION = "SE"


def shares_by_unit(goals: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per municipality or centre: share positive per goal this year, with the change since last year."""
    now = goals[goals["year"] == year]
    before = goals[goals["year"] == year - 1].set_index(["level", "unit_code", "goal"])
    rows = []
    for (level, code), part in now.groupby(["level", "unit_code"], sort=False):
        row = {"Nivå": "Kommun" if level == "kommun" else "Familjecentral", "Enhet": part["unit_name"].iloc[0],
               "Kommun": part["kommun_name"].iloc[0]}
        for goal_row in part.itertuples():
            text = fmt.share(goal_row.share_positive, goal_row.suppression)
            key = (level, code, goal_row.goal)
            if not goal_row.suppressed and key in before.index and not before.loc[key, "suppressed"]:
                text += f" ({fmt.change(goal_row.share_positive - before.loc[key, 'share_positive'], 1, 'p.e.')})"
            row[f"Mål {goal_row.goal}"] = text
        rows.append(row)
    return pd.DataFrame(rows)


def build(query: Query, lan_code: str, year: int) -> Report:
    """The compilation for a county (lan_code) or the whole country (lan_code 'SE')."""
    lan = "" if lan_code == NATION else lan_code
    place = "Riket" if not lan else query("scope_lan", level="lan", unit=lan)["lan_name"].iloc[0]
    report = Report(f"Familjecentraler {place} {year}", "Årlig sammanställning och analys för ledningen",
                    is_demo(query))

    report.heading("Täckning")
    coverage = query("report_coverage_years", year=year, lan=lan)
    table = coverage.pivot_table(index="status", columns="year", values="n_kommuner", fill_value=0).reindex(
        ["FC", "FCLV", "ingen"], fill_value=0)
    report.text("Målet är minst en familjecentral eller familjecentralsliknande verksamhet i varje kommun.")
    report.table(pd.DataFrame({"Kommuner": [STATUS_LABELS[s] for s in table.index],
                               **{str(y): table[y].astype(int).tolist() for y in table.columns}}),
                 "Täckning", data=coverage)
    kommuner = query("coverage_kommun_year", year=year, lan=lan)
    boundaries = query("map_boundaries", level="kommun")
    report.chart(charts.coverage_map(boundaries, kommuner, f"Täckning {year}"),
                 f"Figur 1. Kommuner med familjecentral (FC), endast FCLV eller ingen verksamhet {year}.", width_cm=9)
    uncovered = query("tackning_uncovered", year=year, lan=lan)
    report.heading("Kommuner utan familjecentral eller FCLV", level=2)
    if uncovered.empty:
        report.text("Alla kommuner har minst en verksamhet.")
    else:
        source = query("children_source", year=year).iloc[0]
        report.text(f"Barn 0–5 år: {source['source']}, senaste tillgängliga år ({int(source['year'])}).")
        report.table(pd.DataFrame({"Län": uncovered["lan_name"], "Kommun": uncovered["kommun_name"],
                                   "Barn 0–5 år": uncovered["children"].map(fmt.number),
                                   "År (barn)": uncovered["children_year"].map(lambda v: "" if pd.isna(v) else str(int(v)))}),
                     "Kommuner utan verksamhet", data=uncovered)

    report.heading("Föräldrarnas bild av målen")
    level, unit = ("lan", lan) if lan else ("riket", NATION)
    compare = query("goals_compare", level=level, unit=unit, year=year)
    own = query("goal_unit_years", level=level, unit=unit, year=year)
    if compare.empty:
        report.text(f"Inga enkätsvar är inrapporterade för {year}.")
    else:
        series = pd.concat([own[own["year"] == year - 1].assign(series=f"{place} {year - 1}"),
                            compare.assign(series=compare["position"].map({1: f"{place} {year}", 2: f"Länet {year}",
                                                                           3: f"Riket {year}"}))])
        labels = list(dict.fromkeys(series["series"]))
        report.chart(charts.grouped_shares(series, charts.series_colours(labels, year), "Andel positiva per mål"),
                     "Figur 2. Andel föräldrar som i genomsnitt svarat 4 eller 5 på målets frågor.")
        goals = query("report_units_goals", year=year, lan=lan)
        report.heading("Per kommun och familjecentral", level=2)
        report.text("Andel positiva per mål; inom parentes förändringen sedan föregående år i procentenheter.")
        report.table(shares_by_unit(goals, year), "Måluppfyllelse per enhet", data=goals)

    report.heading("Självreflektion per område")
    areas = query("reflection_profile", level=level, unit=unit, year=year)
    own_areas = areas[areas["position"] == 1]
    if own_areas.empty:
        report.text(f"Ingen självreflektion är inrapporterad för {year}.")
    else:
        series = own_areas.assign(series=own_areas["year"].astype(str))
        labels = list(dict.fromkeys(series.sort_values("year", ascending=False)["series"]))
        report.chart(charts.areas(series, charts.series_colours(labels, year), "Självreflektion per område"),
                     "Figur 3. Medelvärde av familjecentralernas områdespoäng.")
        change = query("reflection_change", level=level, unit=unit, year=year)
        report.table(pd.DataFrame({"Område": change["area"],
                                   str(year - 1): change["score_before"].map(lambda v: fmt.number(v, 1)),
                                   str(year): change["score_now"].map(lambda v: fmt.number(v, 1)),
                                   "Förändring": change["change"].map(lambda v: fmt.change(v / 100, 1, "poäng"))}),
                     "Självreflektion", data=change)

    report.heading("Inrapportering")
    rows = []
    for y in (year - 1, year):
        part = query("reporting_by_lan", year=y, lan=lan)
        totals = part[["n_active", "n_survey", "n_self_reflection", "n_activity", "n_complete"]].sum()
        rows.append({"År": y, "Aktiva": int(totals["n_active"]), "Föräldraenkät": int(totals["n_survey"]),
                     "Självreflektion": int(totals["n_self_reflection"]), "Verksamhetsstatistik": int(totals["n_activity"]),
                     "Komplett": int(totals["n_complete"]),
                     "Andel komplett": fmt.percent(totals["n_complete"] / totals["n_active"]) if totals["n_active"] else "–"})
    report.table(pd.DataFrame(rows), "Inrapportering")
    report.to_fill_in("Analys", "Arbetsgruppens analys av resultaten och förändringarna sedan föregående år, och "
                      "förslag till ledningen.", level=1)
    return report
