"""The county's (or the nation's) yearly compilation and analysis of statistics for its management (Örebro agreement)."""
from __future__ import annotations

import pandas as pd

from fc import fmt, instrument
from fc.report import charts
from fc.report.centre import ACTIVITY, Query, has_relation, is_demo
from fc.report.document import Report
from fc.theme import STATUS_LABELS

NATION = "SE"
COUNTS = ["visits", "pregnant", "enrolled_children", "families_joint_support", "parent_groups"]
RULES = {"fc": ("minst en familjecentral (FC) i varje kommun", "kommuner_fc", "har en familjecentral"),
         "fc_or_fclv": ("minst en familjecentral eller familjecentralsliknande verksamhet (FC eller FCLV) i varje "
                        "kommun", "kommuner_fc_or_fclv", "har en familjecentral eller familjecentralsliknande verksamhet")}
ACTIVITY_NOTE = ("Verksamhetsstatistiken är antal besök, gravida, inskrivna barn, familjer, grupper och om personalen "
                 "haft handledning, som familjecentralerna själva redovisar i sina verksamhetsberättelser. Den bygger "
                 "inte på svar från en grupp personer och visas därför utan att små tal döljs; siffror från "
                 "föräldraenkäten och självreflektionen följer alltid regeln om minst fem svarande. Summorna gäller "
                 "de familjecentraler som rapporterat.")


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


def activity_totals(activity: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Activity figures summed per group (`by`), with how many centres reported and had supervision."""
    grouped = activity.assign(supervised=activity["supervision"].eq(True)).groupby(by, sort=False)
    totals = grouped[COUNTS].sum(min_count=1)
    totals["n_centres"] = grouped.size()
    totals["n_reported"] = grouped["reported"].sum()
    totals["n_supervision"] = grouped["supervised"].sum()
    return totals.reset_index()


def activity_table(totals: pd.DataFrame, label: str, names: pd.Series) -> pd.DataFrame:
    """Totals as Swedish text: one row per group, the counts and 'X av Y' for reporting and supervision."""
    table = pd.DataFrame({label: names.to_list(),
                          "Rapporterat": [f"{r} av {n}" for r, n in zip(totals["n_reported"], totals["n_centres"])]})
    for column in COUNTS:
        table[ACTIVITY[column]] = totals[column].map(fmt.number).to_list()
    table[ACTIVITY["supervision"]] = [f"{s} av {r}" for s, r in zip(totals["n_supervision"], totals["n_reported"])]
    return table


def centres_and_municipalities(report: Report, query: Query, lan: str, place: str, year: int) -> None:
    """Centres per type and 'X av Y kommuner' against each county's own target (county_settings)."""
    lans = query("report_lan_centres", year=year, lan=lan)
    if not has_relation(query, "county_settings"):
        report.text("Länets eget mål kan inte hämtas: databasen saknar county_settings. Bygg om databasen med den "
                    "här versionen av FC-kompassen.")
        settings = pd.DataFrame({"lan_code": lans["lan_code"], "coverage_rule": None, "target_text": None})
    else:
        settings = query("report_county_settings", lan=lan)
    lans = lans.merge(settings[["lan_code", "coverage_rule", "target_text"]], on="lan_code", how="left")
    n_fc, n_fclv, n_other = (int(lans[c].sum()) for c in ("n_fc", "n_fclv", "n_other"))
    n_kommuner = int(lans["n_kommuner"].sum())
    report.text(f"{place} har {year} {n_fc} {'familjecentral' if n_fc == 1 else 'familjecentraler'} (FC) och "
                f"{n_fclv} familjecentralsliknande {'verksamhet' if n_fclv == 1 else 'verksamheter'} (FCLV)" + (f", och {n_other} {'verksamhet' if n_other == 1 else 'verksamheter'} som inte uppfyller någon av "
                   "definitionerna" if n_other else "")
                + f". {int(lans['kommuner_fc'].sum())} av {n_kommuner} kommuner har en familjecentral och "
                f"{int(lans['kommuner_fc_or_fclv'].sum())} av {n_kommuner} har en familjecentral eller "
                "familjecentralsliknande verksamhet.")
    report.table(pd.DataFrame({"Typ": ["Familjecentral (FC)", "Familjecentralsliknande verksamhet (FCLV)",
                                       "Uppfyller ingen av definitionerna"], "Antal": [n_fc, n_fclv, n_other]}),
                 "Familjecentraler per typ", data=lans)
    if lan:
        row = lans.iloc[0]
        rule = RULES.get(row["coverage_rule"])
        if rule:
            target = (row["target_text"] or f"Målet är {rule[0]}").rstrip(". ")
            report.text(f"Länets mål: {target}. {int(row[rule[1]])} av {int(row['n_kommuner'])} kommuner {rule[2]}.")
        return
    rows = []
    for row in lans.itertuples():
        rule = RULES.get(row.coverage_rule)
        rows.append({"Län": row.lan_name, "FC": row.n_fc, "FCLV": row.n_fclv, "Övriga": row.n_other,
                     "Kommuner med FC": f"{row.kommuner_fc} av {row.n_kommuner}",
                     "Kommuner med FC eller FCLV": f"{row.kommuner_fc_or_fclv} av {row.n_kommuner}",
                     "Länets mål räknar": {"fc": "FC", "fc_or_fclv": "FC eller FCLV"}.get(row.coverage_rule, "–"),
                     "Enligt länets mål": f"{getattr(row, rule[1])} av {row.n_kommuner}" if rule else "–"})
    report.table(pd.DataFrame(rows), "Familjecentraler per län", data=lans)


def activity_section(report: Report, query: Query, lan: str, place: str, year: int) -> None:
    """Verksamhetsstatistik summed per municipality and county (per county for the nation), and per centre."""
    report.heading("Verksamhetsstatistik")
    report.text(ACTIVITY_NOTE)
    activity = query("report_activity", year=year, lan=lan)
    if not activity["reported"].any():
        report.text(f"Ingen verksamhetsstatistik är inrapporterad för {year}.")
        return
    total = activity_totals(activity.assign(all=place), ["all"])
    if lan:
        per = activity_totals(activity, ["kommun_code", "kommun_name"])
        table = pd.concat([activity_table(per, "Kommun", per["kommun_name"]),
                           activity_table(total, "Kommun", pd.Series([f"{place} totalt"]))])
        report.table(table, "Verksamhetsstatistik per kommun", data=pd.concat([per, total]))
        report.heading("Per familjecentral", level=2)
        shown = pd.DataFrame({"Kommun": activity["kommun_name"], "Familjecentral": activity["name"]})
        for column in COUNTS:
            shown[ACTIVITY[column]] = activity[column].map(fmt.number)
        shown[ACTIVITY["supervision"]] = activity["supervision"].map(fmt.yes_no)
        shown.loc[~activity["reported"].to_numpy(), ACTIVITY["visits"]] = "ej rapporterat"
        report.table(shown, "Statistik per familjecentral", data=activity)
    else:
        per = activity_totals(activity, ["lan_code", "lan_name"])
        table = pd.concat([activity_table(per, "Län", per["lan_name"]),
                           activity_table(total, "Län", pd.Series(["Riket totalt"]))])
        report.table(table, "Verksamhetsstatistik per län", data=pd.concat([per, total]))


def own_goal_table(own: pd.DataFrame, compare: pd.DataFrame, goals: pd.DataFrame, place: str, year: int,
                   nation: bool) -> pd.DataFrame:
    """The county's (or nation's) own share per goal this year and last, beside the nation."""
    rows = []
    for goal, text in zip(goals["goal"], goals["text"]):
        now = own[(own["goal"] == goal) & (own["year"] == year)]
        before = own[(own["goal"] == goal) & (own["year"] == year - 1)]
        row = {"Mål": f"{goal}. {text}",
               f"{place} {year}": fmt.share(now["share_positive"].iloc[0], now["suppression"].iloc[0]) if len(now) else fmt.MISSING,
               "Svarande": fmt.number(now["n"].iloc[0]) if len(now) else "0",
               f"{place} {year - 1}": (fmt.share(before["share_positive"].iloc[0], before["suppression"].iloc[0])
                                       if len(before) else fmt.MISSING)}
        if not nation:
            riket = compare[(compare["goal"] == goal) & (compare["position"] == 3)]
            row[f"Riket {year}"] = (fmt.share(riket["share_positive"].iloc[0], riket["suppression"].iloc[0])
                                    if len(riket) else fmt.MISSING)
        rows.append(row)
    return pd.DataFrame(rows)


def priorities_section(report: Report, query: Query, lan: str, year: int) -> None:
    """The centres' recorded priorities for the year and how they went (per county for the nation)."""
    report.heading("Familjecentralernas prioriterade mål")
    if not has_relation(query, "centre_priority"):
        report.text("Prioriterade mål kan inte hämtas: databasen saknar tabellen centre_priority. Bygg om databasen "
                    "med den här versionen av FC-kompassen.")
        return
    chosen = query("report_scope_priorities", year=year, lan=lan)
    if chosen.empty:
        report.text(f"Inga prioriterade mål för {year} är registrerade.")
        return
    if lan:
        report.table(pd.DataFrame({"Kommun": chosen["kommun_name"], "Familjecentral": chosen["name"],
                                   "Prioritet": chosen["rank"].map(str), "Område": chosen["area"].fillna(""),
                                   "Mätbart mål": chosen["goal"].fillna(""),
                                   "Hur det gick": chosen["outcome"].fillna("")}),
                     "Prioriterade mål", data=chosen)
        return
    per = chosen.groupby(["lan_code", "lan_name"]).agg(n_centres=("centre_id", "nunique"),
                                                       n_outcome=("outcome", lambda v: v.fillna("").ne("").sum()))
    per = per.reset_index()
    report.table(pd.DataFrame({"Län": per["lan_name"], "Familjecentraler med prioriterade mål": per["n_centres"],
                               "Mål med redovisat utfall": per["n_outcome"]}), "Prioriterade mål per län", data=per)


def build(query: Query, lan_code: str, year: int) -> Report:
    """The compilation for a county (lan_code) or the whole country (lan_code 'SE')."""
    lan = "" if lan_code == NATION else lan_code
    place = "Riket" if not lan else query("scope_lan", level="lan", unit=lan)["lan_name"].iloc[0]
    report = Report(f"Familjecentraler {place} {year}",
                    "Årlig sammanställning och analys av statistik och annan utdata från familjecentralerna",
                    is_demo(query))

    report.heading("Familjecentraler och täckning")
    centres_and_municipalities(report, query, lan, place, year)
    coverage = query("report_coverage_years", year=year, lan=lan)
    table = coverage.pivot_table(index="status", columns="year", values="n_kommuner", fill_value=0).reindex(
        ["FC", "FCLV", "ingen"], fill_value=0)
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

    activity_section(report, query, lan, place, year)

    report.heading("Föräldrarnas bild av målen")
    report.text(instrument.note(query("report_instrument")))
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
        report.table(own_goal_table(own, compare, query("report_goals"), place, year, nation=not lan),
                     "Måluppfyllelse länet" if lan else "Måluppfyllelse riket", data=own)
        goals = query("report_units_goals", year=year, lan=lan)
        report.heading("Per kommun och familjecentral", level=2)
        report.text("Andel positiva per mål; inom parentes förändringen sedan föregående år i procentenheter.")
        report.table(shares_by_unit(goals, year), "Måluppfyllelse per enhet", data=goals)

    report.heading("Självreflektion per område")
    report.text(instrument.REFLECTION_SCALE)
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

    priorities_section(report, query, lan, year)

    report.heading("Inrapportering")
    rows = []
    for y in (year - 1, year):
        part = query("reporting_by_lan", year=y, lan=lan)
        totals = part[["n_active", "n_survey", "n_self_reflection", "n_activity", "n_complete"]].sum()
        arrival = query("report_on_time", year=y, lan=lan).iloc[0]
        rows.append({"År": y, "Aktiva": int(totals["n_active"]), "Föräldraenkät": int(totals["n_survey"]),
                     "Självreflektion": int(totals["n_self_reflection"]), "Verksamhetsstatistik": int(totals["n_activity"]),
                     "Komplett": int(totals["n_complete"]),
                     "Andel komplett": fmt.percent(totals["n_complete"] / totals["n_active"]) if totals["n_active"] else "–",
                     "Berättelsen i tid": int(arrival["n_on_time"]), "Sent": int(arrival["n_late"]),
                     "Datum saknas": int(arrival["n_unknown"])})
    report.text("I tid: verksamhetsberättelsen kom in senast länets sista dag (länsinställningarna); datum saknas när "
                "inget inkomstdatum är registrerat.")
    report.table(pd.DataFrame(rows), "Inrapportering")
    report.to_fill_in("Analys", "Arbetsgruppens analys av resultaten och förändringarna sedan föregående år, och "
                      "förslag till ledningen.", level=1)
    return report
