"""The centre's annual report and plan: the template of the Jämtland guideline (Bilaga 3), section by section."""
from __future__ import annotations

import textwrap
from typing import Callable

import pandas as pd

from fc import fmt, instrument, stats
from fc.report import charts
from fc.report.document import Report

Query = Callable[..., pd.DataFrame]

TITLE = "Verksamhetsberättelse och plan"
LEGS = {"mhv": "mödrahälsovård", "bhv": "barnhälsovård", "open_preschool": "öppen förskola",
        "social_services": "förebyggande socialtjänst"}
KINDS = {"FC": "familjecentral (alla fyra verksamheter)",
         "FCLV": "familjecentralsliknande verksamhet (två eller tre verksamheter, bland dem barnhälsovård och "
                 "öppen förskola)"}
ACTIVITY = {"visits": "Besök", "pregnant": "Gravida", "enrolled_children": "Inskrivna barn (BVC)",
            "families_joint_support": "Familjer med samverkan kring tidiga insatser (två eller fler professioner)",
            "parent_groups": "Föräldragrupper", "supervision": "Handledning"}
# The template's own words (seed 002, Bilaga 3), quoted in full.
DESCRIBE_CENTRE = ("Beskriv kort den specifika familjecentralen, upptagningsområdet, samhällsstruktur, "
                   "besöksstatistik, antal gravida, antal inskrivna barn osv. Beskriv även om ni haft handledning "
                   "samt hur ni utvärderar denna (max 1 sida).")
JOINT_WORK = ("Parterna ska i familjecentralen samverka för tidiga insatser till blivande föräldrar och familjer med "
              "barn i åldrarna 0-6 år. Följande övergripande mål skall gälla för den gemensamma verksamheten.")
MAIN_GOAL = ("Genom samverkan och utifrån familjens livssituation främja en god hälsa för barn och föräldrar. I "
             "samverkan med föräldrar främja en trygg anknytning, gynnsam fysisk, psykisk och social utveckling för "
             "förskolebarn. Parterna skall gemensamt särskilt följa utvecklingen hos barn och deras familjer som "
             "visar tecken på en ogynnsam utveckling.")
MAIN_GOAL_PROMPT = "Beskriv hur ni på er familjecentral arbetat för att nå detta huvudmål."
GOAL_GUIDANCE = {
    1: "Beskriv ert gemensamma arbete hur ni arbetar för att vara en tillgänglig mötesplats. Ta i beaktning "
       "etnicitet, språk, jämställt föräldraskap, jämlikt erbjudande av verksamheten etcetera.",
    2: "Beskriv ert gemensamma arbete hur ni arbetar för att stärka nätverket runt barn och föräldrar. Exempelvis "
       "genom erbjudande om föräldraskapsstöd i grupp m.m.",
    3: "Beskriv ert gemensamma arbete hur ni gör barn och föräldrar delaktiga. Ex. kan vara genom enkäter till barn "
       "och föräldrar.",
    4: "Beskriv ert gemensamma arbete hur ni erbjuder ett lättillgängligt stöd.",
    5: "Beskriv hur och på vilket sätt ni gemensamt arbetar för att vara ett kunskaps- och informationscentrum.",
}
LAST_PRIORITIES = ("Reflektera över och beskriv här de mål som utifrån självreflektion och föräldraenkät valdes ut av "
                   "familjecentralen förra året, hur ni har arbetat med dessa samt hur de har utvärderats. Gärna "
                   "mätbara mål. Hur har målet gjort skillnad för de barn och föräldrar vi möter? (Gärna ett konkret "
                   "exempel.)")
RESULTS = ("Här presenteras de resultat familjecentralen gjort under året. I nuläget föräldraenkät och "
           "självreflektion.")
QUOTES = "Utrymme för några citat från föräldrarna. Markera kvinna/man/annan."
ANALYSIS = "Analysera resultaten från föräldraenkät och självreflektionen ovan."
NEXT_PRIORITIES = ("Utifrån analysen (självreflektionen och föräldraenkäten) väljs två prioriterade mål, beskriv hur "
                   "ni arbetar med dessa under nästkommande år och hur de ska utvärderas. Gärna mätbara mål.")
OWN_REFLECTIONS = "Skriv eventuella övriga tankar som arbetslaget har."


def is_demo(query: Query) -> bool:
    info = query("build_info").set_index("key")["value"]
    return info.get("is_demo") == "true"


def has_relation(query: Query, name: str) -> bool:
    return name in set(query("report_relations")["table_name"])


def share_text(row) -> str:
    return fmt.share(row["share_positive"], row["suppression"]) if row is not None else fmt.MISSING


def goal_table(compare: pd.DataFrame, own: pd.DataFrame, goals: pd.DataFrame, year: int
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The centre this year and last year beside its county and the nation, per goal (text and numbers)."""
    texts = dict(zip(goals["goal"], goals["text"]))
    rows, data = [], []
    for goal, part in compare.groupby("goal"):
        by_position = {p: r for p, r in zip(part["position"], part.to_dict("records"))}
        last = own[(own["goal"] == goal) & (own["year"] == year - 1)]
        last_row = last.iloc[0] if len(last) else None
        unit = by_position.get(1)
        rows.append({"Mål": f"{goal}. {texts.get(goal, part['short_name'].iloc[0])}",
                     f"Familjecentralen {year}": share_text(unit),
                     "Svarande": fmt.number(unit["n"]) if unit else "0",
                     f"Familjecentralen {year - 1}": share_text(last_row),
                     f"Länet {year}": share_text(by_position.get(2)),
                     f"Riket {year}": share_text(by_position.get(3))})
        data.append({"mål": goal, "andel_fc": None if not unit else unit["share_positive"],
                     "svarande_fc": unit["n"] if unit else 0,
                     "andel_fc_fjol": None if last_row is None else last_row["share_positive"],
                     "andel_lan": by_position.get(2, {}).get("share_positive"),
                     "andel_riket": by_position.get(3, {}).get("share_positive")})
    return pd.DataFrame(rows), pd.DataFrame(data)


def question_table(items: pd.DataFrame) -> pd.DataFrame:
    """One row per question with its text; a hidden question's shares say why they are hidden."""
    shown = pd.DataFrame({"Mål": items["goal"].astype(str), "Fråga": items["text"],
                          "Svarande": items["n_answered"].map(fmt.number)})
    for answer in range(1, 6):
        shown[f"Svar {answer}"] = [fmt.share(v, s) for v, s in zip(items[f"share_{answer}"], items["suppression"])]
    return shown


def question_labels(items: pd.DataFrame) -> pd.DataFrame:
    """The answer distribution with each question labelled by its own text (wrapped), not its column name."""
    labels = {i: textwrap.fill(t, 60) for i, t in zip(items["item"], items["text"])}
    return items.assign(item=items["item"].map(labels))


def statement_table(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per statement: area, statement, agreed score, antal svarande and the centre's comment (as text)."""
    return pd.DataFrame({"Område": statements["area"],
                         "Påstående": [f"{t} – {x}" for t, x in zip(statements["title"], statements["text"])],
                         "Poäng (1–6)": statements["score"].map(lambda v: fmt.number(v, 1)),
                         "Antal svarande": statements["n_staff"].map(fmt.number),
                         "Kommentar": statements["comment"].fillna("")})


def respondents_text(n_staff: pd.Series) -> str:
    """'Antal svarande: 6', or the range when the statements had different numbers of staff."""
    known = n_staff.dropna()
    if known.empty:
        return "Antal svarande: uppgift saknas."
    low, high = int(known.min()), int(known.max())
    return f"Antal svarande: {low}." if low == high else f"Antal svarande: {low}–{high} (olika per påstående)."


def priority_rows(query: Query, centre_id: str, year: int) -> pd.DataFrame | None:
    """The centre's recorded priorities for `year` and the next year, or None when the database has none."""
    if not has_relation(query, "centre_priority"):
        return None
    return query("report_priorities", centre=centre_id, year=year)


def priorities(report: Report, chosen: pd.DataFrame | None, year: int, with_outcome: bool) -> bool:
    """The recorded priorities of `year` as a table; False when none are recorded."""
    if chosen is None:
        report.text("Prioriterade mål kan inte hämtas: databasen saknar tabellen centre_priority. Bygg om databasen "
                    "med den här versionen av FC-kompassen.")
        return False
    part = chosen[chosen["year"] == year].sort_values("rank")
    if part.empty:
        return False
    table = pd.DataFrame({"Prioritet": part["rank"].map(str), "Område": part["area"].fillna(""),
                          "Mätbart mål": part["goal"].fillna("")})
    if with_outcome:
        table["Hur det gick"] = part["outcome"].fillna("").replace("", "(inte ifyllt)")
    report.table(table, f"Prioriterade mål {year}", data=part)
    return True


def describe(report: Report, query: Query, profile, centre_id: str, year: int) -> None:
    """Familjecentral: name, municipality, legs and type, and the activity figures of this year and the last."""
    name = profile["name"]
    report.heading(f"Familjecentral {name}")
    legs = [label for key, label in LEGS.items() if profile[key]]
    kind = KINDS.get(profile["centre_type"], "verksamhet som inte uppfyller definitionen av FC eller FCLV")
    opened = f" Öppnad {profile['opened']}." if profile["opened"] else ""
    report.text(f"{name} i {profile['kommun_name']} ({profile['lan_name']}) är en {kind}. Verksamheter: "
                f"{', '.join(legs) or 'inga registrerade'}.{opened}")
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
    report.to_fill_in(None, DESCRIBE_CENTRE)


def joint_work(report: Report, compare: pd.DataFrame, goals: pd.DataFrame, year: int) -> None:
    """The main goal and goals 1–5 in the guideline's words, each with the centre's survey figure and its prompt."""
    report.heading("Familjecentralernas gemensamma verksamhet utifrån måluppfyllelse")
    report.text(JOINT_WORK)
    report.quote(MAIN_GOAL)
    report.to_fill_in(None, MAIN_GOAL_PROMPT)
    report.text("Målen skall uppnås genom att:")
    own = compare[compare["position"] == 1].set_index("goal") if not compare.empty else pd.DataFrame()
    for goal, text in zip(goals["goal"], goals["text"]):
        report.heading(f"Mål {goal}. {text}.", level=2)
        if goal in own.index:
            row = own.loc[goal]
            report.text(f"Föräldraenkäten {year}: {share_text(row)} positiva av {fmt.number(row['n'])} svarande "
                        f"(se Resultat).")
        else:
            report.text(f"Föräldraenkäten {year}: inga svar på målets frågor.")
        report.to_fill_in(None, GOAL_GUIDANCE.get(goal, "Beskriv ert gemensamma arbete för att nå målet."))


def survey_results(report: Report, query: Query, centre_id: str, year: int, compare: pd.DataFrame,
                   goals: pd.DataFrame) -> None:
    """Resultat: the parent survey per goal and per question (one row per question, with its text)."""
    report.heading("Föräldraenkäten", level=2)
    report.text(instrument.note(query("report_instrument")))
    if compare.empty:
        report.text(f"Inga enkätsvar är inrapporterade för {year}.")
        return
    own = query("goal_unit_years", level="centre", unit=centre_id, year=year)
    table, data = goal_table(compare, own, goals, year)
    series = pd.concat([
        own[own["year"] == year - 1].assign(series=f"Familjecentralen {year - 1}"),
        compare.assign(series=compare["position"].map({1: f"Familjecentralen {year}", 2: f"Länet {year}",
                                                       3: f"Riket {year}"})),
    ])
    labels = list(dict.fromkeys(series["series"]))
    report.chart(charts.grouped_shares(series, charts.series_colours(labels, year), "Andel positiva per mål"),
                 "Figur 1. Andel föräldrar som i genomsnitt svarat 4 eller 5 på målets frågor.")
    report.table(table, "Måluppfyllelse", data=data)
    report.heading("Svar per fråga", level=3)
    items = query("report_items", level="centre", unit=centre_id, year=year)
    if items.empty or items["suppressed"].all():
        why = fmt.hidden(items["suppression"].iloc[0]) if len(items) else "inga svar"
        report.text(f"Svaren per fråga visas inte: {why}.")
        return
    distribution = query("goals_items", level="centre", unit=centre_id, year=year)
    report.chart(charts.answers(question_labels(distribution), "Svar per fråga"),
                 "Figur 2. Fördelning av svaren per fråga (1 = stämmer inte alls, 5 = stämmer helt och hållet).")
    report.table(question_table(items), "Svar per fråga", data=items)


def reflection_results(report: Report, query: Query, centre_id: str, year: int) -> list[str]:
    """Resultat: the self-reflection per area and per statement with antal svarande and comments; the weakest areas."""
    report.heading("Självreflektion", level=2)
    report.text(instrument.REFLECTION_SCALE)
    areas = query("reflection_profile", level="centre", unit=centre_id, year=year)
    own_areas = areas[areas["position"] == 1]
    if own_areas[own_areas["year"] == year].empty:
        report.text(f"Ingen självreflektion är inrapporterad för {year}.")
        return []
    series = pd.concat([own_areas.assign(series=own_areas["year"].map({year: f"{year}", year - 1: f"{year - 1}"})),
                        areas[(areas["position"] == 3) & (areas["year"] == year)].assign(series=f"Riket {year}")])
    labels = list(dict.fromkeys(series.sort_values("year", ascending=False)["series"]))
    report.chart(charts.areas(series, charts.series_colours(labels, year), "Självreflektion per område"),
                 "Figur 3. Personalgruppens medelpoäng per område.")
    change = query("reflection_change", level="centre", unit=centre_id, year=year)
    report.table(pd.DataFrame({"Område": change["area"],
                               str(year - 1): change["score_before"].map(lambda v: fmt.number(v, 1)),
                               str(year): change["score_now"].map(lambda v: fmt.number(v, 1)),
                               "Förändring": change["change"].map(lambda v: fmt.change(v / 100, 1, "poäng"))}),
                 "Självreflektion", data=change)
    statements = query("report_statements", centre=centre_id, year=year)
    report.heading("Per påstående", level=3)
    report.text(respondents_text(statements["n_staff"]))
    report.table(statement_table(statements), "Självreflektion per påstående", data=statements)
    return stats.priority_areas(own_areas[own_areas["year"] == year])


def build(query: Query, centre_id: str, year: int) -> Report:
    """The report for one centre and year; every figure comes from the views through `query`."""
    profile = query("centre_profile", centre=centre_id).iloc[0]
    name = profile["name"]
    report = Report(TITLE, f"{name}, {profile['kommun_name']} ({profile['lan_name']}) – verksamhetsåret {year}",
                    is_demo(query))
    report.doc.core_properties.title = f"{TITLE} {year} – {name}"
    goals = query("report_goals")
    compare = query("goals_compare", level="centre", unit=centre_id, year=year)
    chosen = priority_rows(query, centre_id, year)

    describe(report, query, profile, centre_id, year)
    joint_work(report, compare, goals, year)

    report.heading(f"Prioriterade mål ({year})")
    if priorities(report, chosen, year, with_outcome=True):
        report.text("Målen och utfallet ovan är de som familjecentralen registrerat i FC-kompassen.")
    report.to_fill_in(None, LAST_PRIORITIES)

    report.heading("Resultat")
    report.text(RESULTS)
    survey_results(report, query, centre_id, year, compare, goals)
    weakest = reflection_results(report, query, centre_id, year)
    report.to_fill_in("Citat från föräldrarna", QUOTES, level=2,
                      lines=["”…” (kvinna/man/annan)"] * 3)

    report.heading("Analys av resultat utifrån föräldraenkät och självreflektion")
    report.to_fill_in(None, ANALYSIS)

    report.heading(f"Prioriterade mål under år {year + 1}")
    if chosen is not None:
        priorities(report, chosen, year + 1, with_outcome=False)
    if weakest:
        report.text("Förslag (Steg IV), ett underlag för diskussion och inte ett beslut: de två områden med lägst "
                    f"poäng i självreflektionen {year} är {' och '.join(weakest)}.")
        report.sheets["Förslag prioriteringar"] = pd.DataFrame({"område": weakest})
    report.to_fill_in(None, NEXT_PRIORITIES)

    report.heading("Familjecentralens egna reflektioner")
    report.to_fill_in(None, OWN_REFLECTIONS)
    return report
