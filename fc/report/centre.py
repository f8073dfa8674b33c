"""The centre's annual report (verksamhetsberättelse, Jämtland guideline Bilaga 3) as a Word document."""
from __future__ import annotations

from typing import Callable

import pandas as pd

from fc import fmt, stats
from fc.report import charts
from fc.report.document import Report

Query = Callable[..., pd.DataFrame]

LEGS = {"mhv": "mödrahälsovård", "bhv": "barnhälsovård", "open_preschool": "öppen förskola",
        "social_services": "förebyggande socialtjänst"}
ACTIVITY = {"visits": "Besök", "pregnant": "Gravida", "enrolled_children": "Inskrivna barn (BVC)",
            "families_joint_support": "Familjer med samverkan kring tidiga insatser (två eller fler professioner)",
            "parent_groups": "Föräldragrupper", "supervision": "Handledning"}
GOAL_GUIDANCE = {
    1: "Beskriv ert gemensamma arbete hur ni arbetar för att vara en tillgänglig mötesplats. Ta i beaktning "
       "etnicitet, språk, jämställt föräldraskap, jämlikt erbjudande av verksamheten etcetera.",
    2: "Beskriv ert gemensamma arbete hur ni arbetar för att stärka nätverket runt barn och föräldrar.",
    3: "Beskriv ert gemensamma arbete hur ni gör barn och föräldrar delaktiga.",
    4: "Beskriv ert gemensamma arbete hur ni erbjuder ett lättillgängligt stöd.",
    5: "Beskriv hur och på vilket sätt ni gemensamt arbetar för att vara ett kunskaps- och informationscentrum.",
}


def is_demo(query: Query) -> bool:
    info = query("build_info").set_index("key")["value"]
    return info.get("is_demo") == "true"


def share_text(row) -> str:
    return fmt.share(row["share_positive"], row["suppression"]) if row is not None else fmt.MISSING


def goal_table(compare: pd.DataFrame, own: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The centre this year and last year beside its county and the nation, per goal (text and numbers)."""
    rows, data = [], []
    for goal, part in compare.groupby("goal"):
        by_position = {p: r for p, r in zip(part["position"], part.to_dict("records"))}
        last = own[(own["goal"] == goal) & (own["year"] == year - 1)]
        last_row = last.iloc[0] if len(last) else None
        unit = by_position.get(1)
        rows.append({"Mål": f"{goal}. {part['short_name'].iloc[0]}",
                     f"Familjecentralen {year}": share_text(unit),
                     "Svarande": unit["n"] if unit else 0,
                     f"Familjecentralen {year - 1}": share_text(last_row),
                     f"Länet {year}": share_text(by_position.get(2)),
                     f"Riket {year}": share_text(by_position.get(3))})
        data.append({"mål": goal, "andel_fc": None if not unit else unit["share_positive"], "svarande_fc": unit["n"] if unit else 0,
                     "andel_fc_fjol": None if last_row is None else last_row["share_positive"],
                     "andel_lan": by_position.get(2, {}).get("share_positive"),
                     "andel_riket": by_position.get(3, {}).get("share_positive")})
    return pd.DataFrame(rows), pd.DataFrame(data)


def build(query: Query, centre_id: str, year: int) -> Report:
    """The report for one centre and year; every figure comes from the views through `query`."""
    profile = query("centre_profile", centre=centre_id).iloc[0]
    name = profile["name"]
    report = Report(f"Verksamhetsberättelse {year}", f"{name}, {profile['kommun_name']} ({profile['lan_name']})",
                    is_demo(query))

    report.heading(f"Familjecentral {name}")
    legs = [label for key, label in LEGS.items() if profile[key]]
    kind = {"FC": "familjecentral", "FCLV": "familjecentralsliknande verksamhet"}.get(profile["centre_type"],
                                                                                       "verksamhet")
    opened = f", öppnad {profile['opened']}" if profile["opened"] else ""
    report.text(f"{name} i {profile['kommun_name']} är en {kind} med {', '.join(legs)}{opened}.")
    activity = query("centre_activity", centre=centre_id)
    activity = activity[activity["year"].isin([year - 1, year])].sort_values("year")
    if activity.empty:
        report.text(f"Ingen verksamhetsstatistik är inrapporterad för {year - 1}–{year}.")
    else:
        shown = pd.DataFrame({"Uppgift": list(ACTIVITY.values())})
        for _, row in activity.iterrows():
            shown[str(int(row["year"]))] = [fmt.yes_no(row[k]) if k == "supervision" else fmt.number(row[k])
                                            for k in ACTIVITY]
        report.table(shown, "Verksamhetsstatistik", data=activity)
    report.to_fill_in("Beskrivning", "Beskriv kort den specifika familjecentralen, upptagningsområdet, samhällsstruktur, "
                      "besöksstatistik, antal gravida, antal inskrivna barn osv. Beskriv även om ni haft handledning "
                      "samt hur ni utvärderar denna (max 1 sida).")

    report.heading("Familjecentralernas gemensamma verksamhet utifrån måluppfyllelse")
    compare = query("goals_compare", level="centre", unit=centre_id, year=year)
    own = query("goal_unit_years", level="centre", unit=centre_id, year=year)
    report.heading("Resultat: föräldraenkäten", level=2)
    if compare.empty:
        report.text(f"Inga enkätsvar är inrapporterade för {year}.")
    else:
        table, data = goal_table(compare, own, year)
        series = pd.concat([
            own[own["year"] == year - 1].assign(series=f"Familjecentralen {year - 1}"),
            compare.assign(series=compare["position"].map({1: f"Familjecentralen {year}", 2: f"Länet {year}",
                                                           3: f"Riket {year}"})),
        ])
        colours = [charts.SERIES_COLOURS[3], *charts.SERIES_COLOURS[:3]]
        labels = list(dict.fromkeys(series["series"]))
        report.chart(charts.grouped_shares(series, list(zip(labels, colours)), "Andel positiva per mål"),
                     "Figur 1. Andel föräldrar som i genomsnitt svarat 4 eller 5 på målets frågor.")
        report.table(table, "Måluppfyllelse", data=data)
        items = query("goals_items", level="centre", unit=centre_id, year=year)
        if items.empty or items["suppressed"].all():
            why = fmt.hidden(items["suppression"].iloc[0]) if len(items) else "inga svar"
            report.text(f"Svaren per fråga visas inte: {why}.")
        else:
            report.chart(charts.answers(items, "Svar per fråga"), "Figur 2. Fördelning av svaren per fråga.")
            per_item = items.pivot_table(index=["position", "text"], columns="answer", values="share",
                                         aggfunc="first", dropna=False).reset_index()
            shown = pd.DataFrame({"Fråga": per_item["text"]})
            suppressed = items.groupby("position")["suppression"].first().reindex(per_item["position"]).to_numpy()
            for answer in range(1, 6):
                shown[f"Svar {answer}"] = [fmt.share(v, s) for v, s in zip(per_item[answer], suppressed)]
            report.table(shown, "Svar per fråga", data=items)
    goal_names = dict(zip(compare["goal"], compare["short_name"])) if not compare.empty else {}
    for goal, guidance in GOAL_GUIDANCE.items():
        report.to_fill_in(f"Mål {goal}: {goal_names.get(goal, '')}".rstrip(": "), guidance, level=3)

    report.heading("Resultat: självreflektion", level=2)
    areas = query("reflection_profile", level="centre", unit=centre_id, year=year)
    own_areas = areas[areas["position"] == 1]
    if own_areas[own_areas["year"] == year].empty:
        report.text(f"Ingen självreflektion är inrapporterad för {year}.")
        weakest = []
    else:
        series = pd.concat([own_areas.assign(series=own_areas["year"].map({year: f"{year}", year - 1: f"{year - 1}"})),
                            areas[(areas["position"] == 3) & (areas["year"] == year)].assign(series=f"Riket {year}")])
        labels = list(dict.fromkeys(series.sort_values("year", ascending=False)["series"]))
        report.chart(charts.areas(series, list(zip(labels, charts.SERIES_COLOURS)), "Självreflektion per område"),
                     "Figur 3. Personalgruppens medelpoäng per område.")
        change = query("reflection_change", level="centre", unit=centre_id, year=year)
        report.table(pd.DataFrame({"Område": change["area"],
                                   str(year - 1): change["score_before"].map(lambda v: fmt.number(v, 1)),
                                   str(year): change["score_now"].map(lambda v: fmt.number(v, 1)),
                                   "Förändring": change["change"].map(lambda v: fmt.change(v / 100, 1, "poäng"))}),
                     "Självreflektion", data=change)
        weakest = stats.priority_areas(own_areas[own_areas["year"] == year])

    report.to_fill_in(f"Prioriterade mål {year}", "Reflektera över och beskriv här de mål som utifrån självreflektion "
                      "och föräldraenkät valdes ut av familjecentralen förra året, hur ni har arbetat med dessa samt "
                      "hur de har utvärderats.", level=1)
    report.to_fill_in("Analys av resultat utifrån föräldraenkät och självreflektion",
                      "Analysera resultaten från föräldraenkät och självreflektionen ovan.", level=1)
    report.heading(f"Prioriterade mål under år {year + 1}")
    if weakest:
        report.text("Förslag (Steg IV), ett underlag för diskussion och inte ett beslut: de två områden med lägst "
                    f"poäng i självreflektionen {year} är {' och '.join(weakest)}.")
        report.sheets["Förslag prioriteringar"] = pd.DataFrame({"område": weakest})
    report.to_fill_in("Valda prioriterade mål", "Utifrån analysen (självreflektionen och föräldraenkäten) väljs två "
                      "prioriterade mål, beskriv hur ni arbetar med dessa under nästkommande år och hur de ska "
                      "utvärderas. Gärna mätbara mål.")
    report.to_fill_in("Familjecentralens egna reflektioner", "Skriv eventuella övriga tankar som arbetslaget har.",
                      level=1)
    return report
