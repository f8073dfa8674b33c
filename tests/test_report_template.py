"""The centre report is the guideline's template, the compilation sums the source files, and a county's own
survey (a replaced survey_items.csv) flows through the build, the pages and the reports."""
from __future__ import annotations

import csv
import io
import json
import random

import pandas as pd
import pytest
from docx import Document

from conftest import CENTRE_HEADER, ROOT, centre_row, open_page, write_csv
from etl.build import build
from fc import db, fmt
from fc.report import centre, county
from fc.report.document import PLACEHOLDER

YEAR = 2025
# A county's own instrument: other column names, other texts and another number of questions than the bundled 18.
ITEMS = [("hitta", 1, "Vi hittar lätt hit, även med barnvagn."),
         ("oppet", 1, "Familjecentralen har öppet när vi kan komma."),
         ("vanner", 2, "Jag har fått nya vänner bland föräldrarna här."),
         ("paverka", 3, "Vi får vara med och bestämma vad som händer."),
         ("hjalp", 4, "Jag vet vem jag kan fråga om jag oroar mig för mitt barn."),
         ("info_a", 5, "Jag får veta vad som händer i närområdet."),
         ("info_b", 5, "Broschyrerna finns på mitt språk.")]
CENTRES = [centre_row("A", "1880", name="Familjecentralen Ängen"),
           centre_row("B", "1880", legs=(0, 1, 1, 0), name="Lekstugan"),
           centre_row("C", "1881", name="Kumla familjecentral"),
           centre_row("D", "1882", legs=(1, 0, 0, 1), name="Askersunds mottagning"),
           centre_row("F", "1881", closed="2025", name="Gamla centralen"),
           centre_row("E", "1214", name="Svalövs familjecentral")]
# Groups big enough everywhere (also per gender), so that disclosure control hides nothing here.
RESPONDENTS = {("A", YEAR): 30, ("A", YEAR - 1): 20, ("C", YEAR): 24, ("E", YEAR): 12}
OWN_COMMENT = "Vi har **startat** <b>pappagrupp</b> [läs mer](http://example.org) $x$"
OTHER_COMMENT = "Kumlas egen kommentar som inte hör till Ängen"
ACTIVITY_HEADER = ["centre_id", "year", "visits", "pregnant", "enrolled_children", "families_joint_support",
                   "parent_groups", "supervision"]
PRIORITIES = [["A", YEAR, 1, "Lärande", "Språkcafé varje vecka", "Startade i mars, 12 träffar"],
              ["A", YEAR, 2, "Mål 3", "Föräldrar planerar en aktivitet i månaden", ""],
              ["A", YEAR + 1, 1, "Samverkan", "Gemensam planeringsdag varje termin", ""],
              ["C", YEAR, 1, "Jämställdhet", "En pappagrupp per termin", "Två grupper"]]
TEMPLATE = ["Verksamhetsberättelse och plan", "Familjecentral Familjecentralen Ängen",
            "Familjecentralernas gemensamma verksamhet utifrån måluppfyllelse", f"Prioriterade mål ({YEAR})",
            "Resultat", "Analys av resultat utifrån föräldraenkät och självreflektion",
            f"Prioriterade mål under år {YEAR + 1}", "Familjecentralens egna reflektioner"]
# The template's prompts for goals 1-5 (seed 002, Bilaga 3), in full.
GUIDANCE = [
    "Beskriv ert gemensamma arbete hur ni arbetar för att vara en tillgänglig mötesplats. Ta i beaktning etnicitet, "
    "språk, jämställt föräldraskap, jämlikt erbjudande av verksamheten etcetera.",
    "Beskriv ert gemensamma arbete hur ni arbetar för att stärka nätverket runt barn och föräldrar. Exempelvis genom "
    "erbjudande om föräldraskapsstöd i grupp m.m.",
    "Beskriv ert gemensamma arbete hur ni gör barn och föräldrar delaktiga. Ex. kan vara genom enkäter till barn och "
    "föräldrar.",
    "Beskriv ert gemensamma arbete hur ni erbjuder ett lättillgängligt stöd.",
    "Beskriv hur och på vilket sätt ni gemensamt arbetar för att vara ett kunskaps- och informationscentrum.",
]


def statements() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data/catalogues/statements.csv")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own_instrument")
    rng = random.Random(11)
    write_csv(folder, "survey_items.csv", ["item", "goal", "text"], [list(i) for i in ITEMS])
    write_csv(folder, "centres.csv", CENTRE_HEADER, CENTRES)
    survey = []
    for (cid, year), n in RESPONDENTS.items():
        for r in range(n):
            answers = [rng.choice([1, 2, 3, 4, 5, 5, 0]) for _ in ITEMS]
            survey.append([f"{cid}{year}-{r}", cid, year, ["kvinna", "man"][r % 2], "svenska", *answers])
    write_csv(folder, "parent_survey.csv", ["response_id", "centre_id", "year", "gender", "language",
                                            *[i for i, _, _ in ITEMS]], survey)
    reflection = []
    for cid, comment in (("A", OWN_COMMENT), ("C", OTHER_COMMENT)):
        for k, sid in enumerate(statements()["statement_id"]):
            reflection.append([cid, YEAR, sid, rng.choice([2, 3, 4, 5, 6]), 4 if k == 7 else 6,
                               comment if k == 0 else ""])
    write_csv(folder, "self_reflection.csv", ["centre_id", "year", "statement_id", "score", "n_staff", "comment"],
              reflection)
    activity = [[cid, year, *[rng.randint(0, 900) for _ in range(5)], rng.choice(["ja", "nej"])]
                for cid, year in (("A", YEAR), ("B", YEAR), ("C", YEAR), ("D", YEAR), ("E", YEAR), ("A", YEAR - 1),
                                  ("F", YEAR - 1))]
    activity[1][6] = ""  # B did not report its parent groups
    received = {("A", YEAR): f"{YEAR + 1}-02-20", ("B", YEAR): f"{YEAR + 1}-03-05"}  # Örebro's deadline is 28/2
    activity = [row + [received.get((row[0], row[1]), "")] for row in activity]
    write_csv(folder, "activity.csv", ACTIVITY_HEADER + ["report_received"], activity)
    write_csv(folder, "priorities.csv", ["centre_id", "year", "rank", "area", "goal", "outcome"], PRIORITIES)
    return folder


@pytest.fixture(scope="module")
def database(source, tmp_path_factory):
    path = tmp_path_factory.mktemp("own_instrument_db") / "fc.duckdb"
    build(source, path)
    return path


@pytest.fixture(scope="module")
def query(database):
    return db.plain_runner(database)


@pytest.fixture(scope="module")
def report_a(query):
    return Document(io.BytesIO(centre.build(query, "A", YEAR).bytes()))


def read(source, name) -> pd.DataFrame:
    with open(source / name, encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def table_with(document, header: str):
    return next(t for t in document.tables if header in [c.text for c in t.rows[0].cells])


def rows(table) -> list[dict]:
    headers = [c.text for c in table.rows[0].cells]
    return [dict(zip(headers, (c.text for c in row.cells))) for row in table.rows[1:]]


def all_text(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_centre_report_has_the_templates_headings_in_its_order(report_a):
    top = [p.text for p in report_a.paragraphs if p.style.name in ("Title", "Heading 1")]
    assert top == TEMPLATE
    assert report_a.core_properties.title == f"Verksamhetsberättelse och plan {YEAR} – Familjecentralen Ängen"
    # Sections the team writes are marked, and the quotes are marked kvinna/man/annan as the template asks.
    texts = [p.text for p in report_a.paragraphs]
    assert texts.count(PLACEHOLDER) >= 8
    assert texts.count("”…” (kvinna/man/annan)") == 3


def test_goals_appear_under_their_full_wording_with_the_full_guidance(report_a):
    goals = pd.read_csv(ROOT / "data/catalogues/goals.csv")
    headings = [p.text for p in report_a.paragraphs if p.style.name == "Heading 2"]
    texts = [p.text for p in report_a.paragraphs]
    for goal, text, guidance in zip(goals["goal"], goals["text"], GUIDANCE):
        heading = f"Mål {goal}. {text}."
        assert heading in headings
        assert guidance in texts
    assert "Beskriv hur ni på er familjecentral arbetat för att nå detta huvudmål." in texts
    goal_rows = rows(table_with(report_a, f"Familjecentralen {YEAR}"))
    assert [r["Mål"] for r in goal_rows] == [f"{g}. {t}" for g, t in zip(goals["goal"], goals["text"])]


def test_one_row_per_question_with_its_own_text_and_shares(report_a, source):
    table = rows(table_with(report_a, "Fråga"))
    assert [r["Fråga"] for r in table] == [t for _, _, t in ITEMS]
    survey = read(source, "parent_survey.csv")
    survey = survey[(survey["centre_id"] == "A") & (survey["year"] == str(YEAR))]
    for (item, _, _), row in zip(ITEMS, table):
        answers = survey[item].astype(int)
        valid = answers[answers.between(1, 5)]
        assert row["Svarande"] == fmt.number(len(valid))
        for answer in range(1, 6):
            assert row[f"Svar {answer}"] == fmt.percent((valid == answer).mean())


def test_self_reflection_per_statement_with_antal_svarande_and_only_the_centres_own_comment(report_a, source):
    table = rows(table_with(report_a, "Kommentar"))
    catalogue = statements()
    reflection = read(source, "self_reflection.csv").query("centre_id == 'A'")
    assert len(table) == len(catalogue)
    assert [r["Antal svarande"] for r in table] == list(reflection["n_staff"])
    assert [r["Poäng (1–6)"] for r in table] == [fmt.number(float(s), 1) for s in reflection["score"]]
    assert table[0]["Kommentar"] == OWN_COMMENT  # literally, markup and all
    text = all_text(report_a)
    assert OTHER_COMMENT not in text
    n = reflection["n_staff"].astype(int)
    assert f"Antal svarande: {n.min()}–{n.max()} (olika per påstående)." in text


def test_the_instrument_is_named_for_what_it_is(report_a, query):
    text = all_text(report_a)
    assert f"Enkätens {len(ITEMS)} frågor är länets egna" in text
    assert "FC-kompassens val" in text and "vår tolkning" in text
    compilation = Document(io.BytesIO(county.build(query, "18", YEAR).bytes()))
    assert f"Enkätens {len(ITEMS)} frågor är länets egna" in all_text(compilation)


def activity_expected(source, lan: str | None) -> pd.DataFrame:
    """Activity rows of YEAR with the centre's municipality, from the source CSVs."""
    activity = read(source, "activity.csv")
    registry = read(source, "centres.csv")[["centre_id", "kommun_code"]]
    rows_ = activity[activity["year"] == str(YEAR)].merge(registry, on="centre_id")
    rows_["lan"] = rows_["kommun_code"].str[:2]
    return rows_ if lan is None else rows_[rows_["lan"] == lan]


def test_the_compilation_sums_activity_per_municipality_and_county(query, source):
    document = Document(io.BytesIO(county.build(query, "18", YEAR).bytes()))
    expected = activity_expected(source, "18")
    shown = {r["Kommun"]: r for r in rows(table_with(document, "Rapporterat"))}
    names = {"1880": "Örebro", "1881": "Kumla", "1882": "Askersund"}
    for label, part in [(names[k], p) for k, p in expected.groupby("kommun_code")] + [("Örebro län totalt", expected)]:
        for column, header in (("visits", "Besök"), ("pregnant", "Gravida"), ("parent_groups", "Föräldragrupper"),
                               ("families_joint_support", centre.ACTIVITY["families_joint_support"])):
            values = pd.to_numeric(part[column].replace("", None))
            assert shown[label][header] == fmt.number(values.sum()), (label, column)
        supervised = part["supervision"].eq("ja").sum()
        assert shown[label]["Handledning"] == f"{supervised} av {len(part)}"
    per_centre = rows(table_with(document, "Familjecentral"))
    assert {r["Familjecentral"] for r in per_centre} == {"Familjecentralen Ängen", "Lekstugan", "Kumla familjecentral",
                                                       "Askersunds mottagning"}
    reporting = {r["År"]: r for r in rows(table_with(document, "Berättelsen i tid"))}[str(YEAR)]
    assert (reporting["Berättelsen i tid"], reporting["Sent"], reporting["Datum saknas"]) == ("1", "1", "2")
    nation = Document(io.BytesIO(county.build(query, "SE", YEAR).bytes()))
    per_lan = {r["Län"]: r for r in rows(table_with(nation, "Rapporterat"))}
    everything = activity_expected(source, None)
    assert per_lan["Riket totalt"]["Besök"] == fmt.number(pd.to_numeric(everything["visits"]).sum())
    assert per_lan["Skåne län"]["Besök"] == fmt.number(pd.to_numeric(activity_expected(source, "12")["visits"]).sum())


def test_the_compilation_counts_centres_per_type_and_municipalities(query, source):
    document = Document(io.BytesIO(county.build(query, "18", YEAR).bytes()))
    registry = read(source, "centres.csv")
    registry = registry[registry["kommun_code"].str.startswith("18") & (registry["closed"] == "")]
    legs = registry[["mhv", "bhv", "open_preschool", "social_services"]].astype(int)
    fc = registry[legs.sum(axis=1) == 4]
    fclv = registry[(legs.sum(axis=1).between(2, 3)) & (legs["bhv"] == 1) & (legs["open_preschool"] == 1)]
    types = {r["Typ"]: r["Antal"] for r in rows(table_with(document, "Typ"))}
    assert types["Familjecentral (FC)"] == str(len(fc))
    assert types["Familjecentralsliknande verksamhet (FCLV)"] == str(len(fclv))
    assert types["Uppfyller ingen av definitionerna"] == str(len(registry) - len(fc) - len(fclv))
    n_kommuner = int((pd.read_csv(ROOT / "data/reference/kommuner.csv", dtype=str)["lan_kod"] == "18").sum())
    text = all_text(document)
    assert f"{fc['kommun_code'].nunique()} av {n_kommuner} kommuner har en familjecentral" in text
    either = pd.concat([fc, fclv])["kommun_code"].nunique()
    nation = Document(io.BytesIO(county.build(query, "SE", YEAR).bytes()))
    orebro = {r["Län"]: r for r in rows(table_with(nation, "Enligt länets mål"))}["Örebro län"]
    assert (orebro["Länets mål räknar"], orebro["Enligt länets mål"]) == ("FC", f"{fc['kommun_code'].nunique()} av {n_kommuner}")
    assert orebro["Kommuner med FC eller FCLV"] == f"{either} av {n_kommuner}"
    assert f"{either} av {n_kommuner} har en familjecentral eller familjecentralsliknande verksamhet" in text
    # Örebro's own target counts only family centres (the bundled county settings).
    settings = pd.read_csv(ROOT / "data/settings/county_settings.csv", dtype=str).set_index("lan_code").loc["18"]
    assert settings["coverage_rule"] == "fc"
    assert (f"Länets mål: {settings['target_text'].rstrip('.')}. {fc['kommun_code'].nunique()} av {n_kommuner} "
            "kommuner har en familjecentral.") in text


def test_the_county_instrument_and_the_comments_reach_the_pages(database, monkeypatch):
    monkeypatch.setenv("FC_DB", str(database))
    label = open_page("oversikt").selectbox(key="fc").format_func("A")
    at = open_page("maluppfyllelse", part="Per fråga", fc=label, ar=str(YEAR))
    assert any(f"Enkätens {len(ITEMS)} frågor är länets egna" in c.value for c in at.caption)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    answers = next(s for s in specs if s["layout"].get("xaxis", {}).get("title", {}).get("text") == "Andel av dem som svarat")
    shown = [label.replace("<br>", " ") for label in answers["data"][0]["y"]]  # long labels are wrapped
    assert shown == [f"{text} (mål {goal})" for _, goal, text in reversed(ITEMS)]
    at = open_page("sjalvreflektion", fc=label, ar=str(YEAR))
    shown = next(d.value for d in at.dataframe if "Kommentar" in d.value.columns)
    assert shown["Kommentar"].iloc[0] == OWN_COMMENT
    assert OTHER_COMMENT not in set(shown["Kommentar"])
    assert list(shown["Antal svarande"]) == [fmt.number(4 if k == 7 else 6) for k in range(len(shown))]


def test_priorities_from_the_file_appear_last_year_before_the_results_and_next_year_in_the_plan(report_a, query):
    blocks = [(b.style.name, b.text) if hasattr(b, "style") and b.style is not None and not hasattr(b, "rows")
              else ("table", [c.text for c in b.rows[0].cells]) for b in report_a.iter_inner_content()]
    where = {text: i for i, (style, text) in enumerate(blocks) if style == "Heading 1"}
    tables = [(i, header) for i, (style, header) in enumerate(blocks) if style == "table" and "Mätbart mål" in header]
    assert len(tables) == 2
    (this_year, header), (next_year, _) = tables
    assert where[f"Prioriterade mål ({YEAR})"] < this_year < where["Resultat"]
    assert "Hur det gick" in header
    assert where[f"Prioriterade mål under år {YEAR + 1}"] < next_year < where["Familjecentralens egna reflektioner"]
    shown = rows(report_a.tables[[i for i, b in enumerate(blocks) if b[0] == "table"].index(this_year)])
    assert [(r["Område"], r["Mätbart mål"], r["Hur det gick"]) for r in shown] == [
        (p[3], p[4], p[5] or "(inte ifyllt)") for p in PRIORITIES if p[0] == "A" and p[1] == YEAR]
    later = rows(report_a.tables[[i for i, b in enumerate(blocks) if b[0] == "table"].index(next_year)])
    assert [(r["Område"], r["Mätbart mål"]) for r in later] == [(p[3], p[4]) for p in PRIORITIES if p[1] == YEAR + 1]
    compilation = Document(io.BytesIO(county.build(query, "18", YEAR).bytes()))
    listed = rows(table_with(compilation, "Hur det gick"))
    names = {"A": "Familjecentralen Ängen", "C": "Kumla familjecentral"}
    assert sorted((r["Familjecentral"], r["Mätbart mål"], r["Hur det gick"]) for r in listed) == sorted(
        (names[p[0]], p[4], p[5]) for p in PRIORITIES if p[1] == YEAR)
