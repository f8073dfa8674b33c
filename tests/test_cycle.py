"""The follow-up cycle (issue 11): each county's own coverage rule and deadline, centres' priorities, on time or late."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from conftest import CENTRE_HEADER, ROOT, centre_row, write_csv

TODAY = dt.date(2025, 6, 1)
KOMMUN_LAN = {r["kommun_kod"]: r["lan_kod"]
              for r in csv.DictReader(open(ROOT / "data/reference/kommuner.csv", encoding="utf-8"))}
SETTINGS_HEADER = ["lan_code", "coverage_rule", "report_deadline", "target_text"]
PRIORITY_HEADER = ["centre_id", "year", "rank", "area", "goal", "outcome"]

# Örebro (18) and Skåne (12) municipalities: FC, only FCLV, or FCLV beside an FC.
CENTRES = [
    ("O1", "1880", (1, 1, 1, 1)),   # Örebro: FC
    ("O2", "1881", (0, 1, 1, 0)),   # Kumla: only FCLV
    ("O3", "1882", (0, 1, 1, 1)),   # Askersund: only FCLV
    ("O4", "1880", (0, 1, 1, 0)),   # Örebro: FCLV beside the FC
    ("S1", "1280", (1, 1, 1, 1)),   # Malmö: FC
    ("S2", "1281", (0, 1, 1, 0)),   # Lund: only FCLV
]


def centre_type(legs) -> str:
    mhv, bhv, preschool, social = legs
    if sum(legs) == 4:
        return "FC"
    return "FCLV" if sum(legs) in (2, 3) and bhv and preschool else "other"


def expected_covered(lan: str, rule: str) -> int:
    """Municipalities of a county that meet the rule, worked out from the fixture's centres."""
    types: dict[str, set[str]] = {}
    for _, kommun, legs in CENTRES:
        types.setdefault(kommun, set()).add(centre_type(legs))
    counted = {"fc": {"FC"}, "fc_or_fclv": {"FC", "FCLV"}}[rule]
    return sum(1 for kommun, kinds in types.items() if KOMMUN_LAN[kommun] == lan and kinds & counted)


def write_centres(folder):
    write_csv(folder, "centres.csv", CENTRE_HEADER, [centre_row(c, k, legs, opened="2015") for c, k, legs in CENTRES])
    # One report, so that the follow-up years reach the build's year.
    write_csv(folder, "activity_base.csv", ["centre_id", "year", "visits"], [["S2", TODAY.year, 1]])


@pytest.mark.parametrize("rule", ["fc", "fc_or_fclv"])
def test_a_county_setting_changes_the_coverage_figures(source, built, rule):
    """It counts a municipality with only FCLV as covered only where the county's rule lets FCLV count."""
    write_centres(source)
    write_csv(source, "county_settings.csv", SETTINGS_HEADER, [["18", rule, "", ""], ["12", rule, "", ""]])
    con = built(source, today=TODAY)
    for lan in ("18", "12"):
        n_covered, fc, any_, got_rule = con.execute(
            "SELECT n_covered, n_covered_fc, n_covered_fc_or_fclv, coverage_rule FROM coverage_lan "
            "WHERE year = ? AND lan_code = ?", [TODAY.year, lan]).fetchone()
        assert got_rule == rule
        assert n_covered == expected_covered(lan, rule)
        assert (fc, any_) == (expected_covered(lan, "fc"), expected_covered(lan, "fc_or_fclv"))
        covered = con.execute("SELECT count(*) FILTER (WHERE covered) FROM coverage_kommun WHERE year = ? AND lan_code = ?",
                              [TODAY.year, lan]).fetchone()[0]
        assert covered == n_covered


def test_without_a_settings_file_orebro_counts_only_fc_and_skane_fc_or_fclv(source, built):
    """It applies the bundled defaults: the seeds' rules for Örebro and Skåne, FC or FCLV and 28 February elsewhere."""
    write_centres(source)
    con = built(source, today=TODAY)
    settings = {r[0]: r[1:] for r in con.execute(
        "SELECT lan_code, coverage_rule, report_deadline, target_text FROM county_settings").fetchall()}
    assert len(settings) == 21
    assert settings["18"][0] == "fc" and "minst en familjecentral ska finnas i varje kommun" in settings["18"][2].lower()
    assert settings["12"][0] == "fc_or_fclv"
    assert all(deadline == "02-28" for _, deadline, _ in settings.values())
    assert {rule for lan, (rule, _, _) in settings.items() if lan not in ("18",)} == {"fc_or_fclv"}
    got = dict(con.execute("SELECT lan_code, n_covered FROM coverage_lan WHERE year = ? AND lan_code IN ('12', '18')",
                           [TODAY.year]).fetchall())
    assert got == {"18": expected_covered("18", "fc"), "12": expected_covered("12", "fc_or_fclv")}


def test_a_county_file_keeps_the_bundled_wording_only_while_the_rule_is_the_bundled_one(source, built):
    """It words a changed rule generically, and takes a county's own wording as written."""
    write_centres(source)
    write_csv(source, "county_settings.csv", SETTINGS_HEADER,
              [["18", "fc_or_fclv", "", ""], ["1", "", "03-01", "Vårt eget mål"]])
    con = built(source, today=TODAY)
    rows = dict((r[0], r[1:]) for r in con.execute(
        "SELECT lan_code, coverage_rule, report_deadline, target_text FROM county_settings "
        "WHERE lan_code IN ('01', '18')").fetchall())
    assert rows["18"] == ("fc_or_fclv", "02-28", "Minst en familjecentral eller familjecentralsliknande verksamhet i varje kommun")
    assert rows["01"] == ("fc_or_fclv", "03-01", "Vårt eget mål")


def test_the_bundled_settings_file_loads_without_rejects_as_a_source_file(source, built):
    """It is a valid county_settings file: a county can copy it into its folder and edit it."""
    write_centres(source)
    (source / "county_settings.csv").write_bytes((ROOT / "data/settings/county_settings.csv").read_bytes())
    con = built(source, today=TODAY)
    assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM county_setting").fetchone()[0] == 21


BAD_SETTINGS = [
    (["99", "fc", "", ""], "unknown_lan", "okänd länskod '99'"),
    (["18", "bara fc", "", ""], "unknown_rule", "okänd täckningsregel 'bara fc'"),
    (["18", "fc", "02-30", ""], "invalid_value", "'02-30' i kolumnen report_deadline är ingen dag"),
    (["18", "fc", "28 feb", ""], "invalid_value", "'28 feb' i kolumnen report_deadline är ingen dag"),
    (["12", "fc", "", ""], "duplicate_key", "dubblett: samma lan_code som rad 2 i county_settings.csv"),
]


@pytest.mark.parametrize("bad, rule, reason", BAD_SETTINGS, ids=[b[1] + "-" + b[0][2] for b in BAD_SETTINGS])
def test_bad_settings_rows_are_reported_with_file_line_and_reason(source, built, bad, rule, reason):
    """It rejects the row on line 3 with its reason and keeps the good row on line 2."""
    write_centres(source)
    write_csv(source, "county_settings.csv", SETTINGS_HEADER, [["12", "fc", "1/3", ""], bad])
    con = built(source, today=TODAY)
    rejects = con.execute("SELECT source_file, line_number, rule, reason FROM rejects").fetchall()
    assert len(rejects) == 1
    file, line, got_rule, got_reason = rejects[0]
    assert (file, line, got_rule) == ("county_settings.csv", 3, rule)
    assert got_reason.startswith(reason)
    assert con.execute("SELECT coverage_rule, report_deadline FROM county_settings WHERE lan_code = '12'").fetchone() \
        == ("fc", "03-01")
    summary = con.execute("SELECT rows_read, rows_loaded, rows_rejected FROM load_summary "
                          "WHERE source_file = 'county_settings.csv'").fetchone()
    assert summary == (2, 1, 1)


def test_priorities_round_trip_from_file_to_table(source, built):
    """It stores each row with the area as the catalogue spells it and a goal number as 'Mål N'."""
    write_centres(source)
    rows = [
        ["O1", 2024, 1, "tidigt stöd - personal", "Alla i personalen går utbildningen", "Klart i maj"],
        ["O1", 2024, 2, "3", "Föräldrar planerar en aktivitet i månaden", ""],
        ["O1", 2025, 1, "Mål 1", "Öppet en kväll i veckan", ""],
        ["S1", 2025, 2, "  Samverkan ", "Gemensam planeringsdag", "Genomförd"],
    ]
    write_csv(source, "priorities_2025.csv", PRIORITY_HEADER, rows)
    con = built(source, today=TODAY)
    got = con.execute("SELECT centre_id, year, rank, area, goal, outcome FROM centre_priority ORDER BY ALL").fetchall()
    want = [
        ("O1", 2024, 1, "Tidigt stöd – personal", rows[0][4], rows[0][5]),
        ("O1", 2024, 2, "Mål 3", rows[1][4], None),
        ("O1", 2025, 1, "Mål 1", rows[2][4], None),
        ("S1", 2025, 2, "Samverkan", rows[3][4], rows[3][5]),
    ]
    assert got == want
    assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0


BAD_PRIORITIES = [
    (["NOPE", 2025, 2, "Lärande", "x", ""], "unknown_centre", "okänt centre_id 'NOPE'"),
    (["O1", 2025, 3, "Lärande", "x", ""], "out_of_range", "prioriteringen '3' i kolumnen rank ska vara 1 eller 2"),
    (["O1", 2025, "första", "Lärande", "x", ""], "out_of_range", "prioriteringen 'första'"),
    (["O1", 2025, 1, "Lärande", "x", ""], "duplicate_key", "dubblett: samma centre_id+year+rank som rad 2"),
    (["O1", 2025, 2, "Ekonomi", "x", ""], "unknown_area", "okänt område 'Ekonomi'"),
    (["O1", 2025, 2, "6", "x", ""], "unknown_area", "okänt område '6'"),
    (["O1", 1999, 2, "Lärande", "x", ""], "year_out_of_range", "året '1999'"),
    (["O1", TODAY.year + 2, 2, "Lärande", "x", ""], "year_out_of_range", f"året '{TODAY.year + 2}'"),
    (["O1", 2025, 2, "Lärande", "", ""], "missing_value", "värde saknas i kolumnen goal"),
]


@pytest.mark.parametrize("bad, rule, reason", BAD_PRIORITIES, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_PRIORITIES)])
def test_bad_priority_rows_are_reported_with_file_line_and_reason(source, built, bad, rule, reason):
    """It rejects the row on line 3 with its reason, loads the good row on line 2, and drops nothing silently."""
    write_centres(source)
    write_csv(source, "priorities.csv", PRIORITY_HEADER, [["O1", 2025, 1, "Lärande", "Språkcafé varje vecka", ""], bad])
    con = built(source, today=TODAY)
    rejects = con.execute("SELECT source_file, line_number, rule, reason, raw_line FROM rejects").fetchall()
    assert len(rejects) == 1
    file, line, got_rule, got_reason, raw = rejects[0]
    assert (file, line, got_rule) == ("priorities.csv", 3, rule)
    assert got_reason.startswith(reason), got_reason
    assert raw.startswith(str(bad[0]))
    assert con.execute("SELECT centre_id, year, rank FROM centre_priority").fetchall() == [("O1", 2025, 1)]


@pytest.mark.parametrize("deadline", ["03-15", "--01-31", "28/2", "02-29"])
def test_on_time_is_computed_against_the_countys_own_deadline(source, built, deadline):
    """It marks a report on time when it arrived on or before the deadline in the year after, late after it,
    and unknown without a date."""
    write_centres(source)
    write_csv(source, "county_settings.csv", SETTINGS_HEADER, [["18", "", deadline, ""]])
    received = {"O1": "2025-01-31", "O2": "2025-02-28", "O3": "2025-03-01", "O4": "", "S1": "2025-03-01"}
    write_csv(source, "activity.csv", ["centre_id", "year", "visits", "report_received"],
              [[c, 2024, 10, d] for c, d in received.items()])
    con = built(source, today=TODAY)
    got = {c: (on_time, str(due)) for c, on_time, due in con.execute(
        "SELECT centre_id, on_time, report_deadline FROM reporting_status WHERE year = 2024").fetchall()}
    # The deadline in 2025 (not a leap year), worked out here from the setting.
    text = deadline.lstrip("-")
    month, day = (int(text.split("/")[1]), int(text.split("/")[0])) if "/" in text else map(int, text.split("-"))
    due_orebro = dt.date(2025, month, min(day, 28 if month == 2 else day))
    for centre, date in received.items():
        due = due_orebro if KOMMUN_LAN[dict((c, k) for c, k, _ in CENTRES)[centre]] == "18" else dt.date(2025, 2, 28)
        want = None if not date else dt.date.fromisoformat(date) <= due
        assert got[centre] == (want, due.isoformat()), centre


def test_a_report_date_that_is_not_a_date_is_rejected(source, built):
    """It rejects a date in another format, or one before the year the report is about, naming the column."""
    write_centres(source)
    write_csv(source, "activity.csv", ["centre_id", "year", "report_received"],
              [["O1", 2024, "2025-02-01"], ["O2", 2024, "1/2/2025"], ["O3", 2024, "2023-12-01"]])
    con = built(source, today=TODAY)
    rejects = con.execute("SELECT line_number, rule, reason FROM rejects ORDER BY 1").fetchall()
    assert [(line, rule) for line, rule, _ in rejects] == [(3, "invalid_value"), (4, "out_of_range")]
    assert all("report_received" in reason for _, _, reason in rejects)


# --- The Familjecentral page: priorities from a file, and from the coordinator's form --------------------------

ITEMS = list(csv.DictReader(open(ROOT / "data/catalogues/survey_items.csv", encoding="utf-8")))
STATEMENTS = list(csv.DictReader(open(ROOT / "data/catalogues/statements.csv", encoding="utf-8")))


@pytest.fixture
def page_source(tmp_path, monkeypatch):
    """A real (non-demo) source folder with one centre's survey, self-reflection and priorities, built and served."""
    from conftest import survey_header
    from etl.build import build

    source = tmp_path / "source"
    source.mkdir()
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180", opened="2015"), centre_row("C2", "0180")])
    # Ten parents in 2024: six answer 5 to every question, four answer 2, so goal 2 is 6 of 10 positive.
    rows = [[f"r{i}", "C1", 2024, "kvinna", "svenska", *([5 if i < 6 else 2] * len(ITEMS))] for i in range(10)]
    write_csv(source, "parent_survey.csv", survey_header(), rows)
    reflection = [["C1", year, s["statement_id"], 1 + (n * 7 + year) % 6] for year in (2023, 2024)
                  for n, s in enumerate(STATEMENTS)]
    write_csv(source, "self_reflection.csv", ["centre_id", "year", "statement_id", "score"], reflection)
    write_csv(source, "priorities.csv", PRIORITY_HEADER, [
        ["C1", 2024, 1, "Lärande", "Språkcafé varje vecka", "Genomfört från mars"],
        ["C1", 2024, 2, "2", "Fler föräldrar lär känna varandra", ""],
        ["C1", 2025, 1, "Samverkan", "Gemensam planeringsdag", ""],
    ])
    db = tmp_path / "db" / "fc.duckdb"
    build(source, db)
    monkeypatch.setenv("FC_DB", str(db))
    monkeypatch.setenv("FC_SOURCE", str(source))
    return source, db, reflection


def open_centre(year: int, secrets: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets.update(secrets or {})
    at.run()
    label = at.selectbox(key="fc").format_func("C1")
    at.query_params["ar"], at.query_params["fc"] = str(year), label
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets.update(secrets or {})
    at.query_params["ar"], at.query_params["fc"] = str(year), label
    at.run()
    at.switch_page("pages/familjecentral.py").run()
    assert not at.exception, at.exception
    return at


def area_score(reflection, year: int, area: str) -> float:
    ids = {s["statement_id"] for s in STATEMENTS if s["area"] == area}
    scores = [score for c, y, sid, score in reflection if y == year and sid in ids]
    return sum(scores) / len(scores)


def table_with(at, column: str, title_year: int | None = None):
    return [d.value for d in at.dataframe if column in d.value.columns]


def test_priorities_from_a_file_show_beside_the_years_results_on_the_page(page_source):
    """It shows the priorities for the year with how they went, the area's result this year and last, and next year's."""
    from fc import fmt

    _, _, reflection = page_source
    at = open_centre(2024)
    this_year, next_year = table_with(at, "Mätbart mål")
    assert list(this_year["Område"]) == ["Lärande", "Mål 2: Socialt nätverk"]
    assert list(this_year["Mätbart mål"]) == ["Språkcafé varje vecka", "Fler föräldrar lär känna varandra"]
    assert list(this_year["Hur det gick"]) == ["Genomfört från mars", "–"]
    assert list(this_year["Resultat 2024"]) == [f"{fmt.number(area_score(reflection, 2024, 'Lärande'), 1)} av 6",
                                                f"{fmt.percent(6 / 10)} positiva"]
    assert list(this_year["Resultat 2023"]) == [f"{fmt.number(area_score(reflection, 2023, 'Lärande'), 1)} av 6", "–"]
    assert list(next_year["Område"]) == ["Samverkan"] and "Resultat 2025" not in next_year.columns


def test_a_coordinator_records_priorities_in_the_form_and_the_rebuilt_database_has_them(page_source):
    """It writes the centre's priorities file, rebuilds through the import's path and never touches the old database."""
    import duckdb
    import hashlib

    source, db, _ = page_source
    before = db.resolve()
    digest = hashlib.sha256(before.read_bytes()).hexdigest()
    at = open_centre(2024, {"admin_password": "hemligt"})
    at.text_input(key="import_password").set_value("hemligt").run()
    at.number_input(key="priority_year").set_value(2025).run()
    # The form opens with the year's priorities from the file: rank 1 is Samverkan.
    assert at.selectbox(key="priority_area_1_2025").value == "Samverkan"
    at.selectbox(key="priority_area_1_2025").set_value("Jämställdhet")
    at.text_input(key="priority_goal_1_2025").set_value("Pappagrupp med minst sex träffar")
    at.selectbox(key="priority_area_2_2025").set_value("Mål 3")
    at.text_input(key="priority_goal_2_2025").set_value("Föräldrar planerar en aktivitet i månaden")
    at.text_input(key="priority_outcome_2_2025").set_value("Start i mars")
    at.button(key="priority_save").click().run()
    assert not at.exception, at.exception
    assert any("sparade" in s.value for s in at.success), [e.value for e in at.error]
    assert db.resolve() != before
    assert hashlib.sha256(before.read_bytes()).hexdigest() == digest  # the published file was never written
    from fc import db as dashboard_db

    # The dashboard in this process holds the new generation open: connect with its configuration.
    con = duckdb.connect(str(db.resolve()), read_only=True, config=dashboard_db.CONFIG)
    got = con.execute("SELECT year, rank, area, goal, outcome FROM centre_priority WHERE centre_id = 'C1' ORDER BY ALL").fetchall()
    rejects = con.execute("SELECT source_file, line_number, rule FROM rejects").fetchall()
    con.close()
    assert got == [(2024, 1, "Lärande", "Språkcafé varje vecka", "Genomfört från mars"),
                   (2024, 2, "Mål 2", "Fler föräldrar lär känna varandra", None),
                   (2025, 1, "Jämställdhet", "Pappagrupp med minst sex träffar", None),
                   (2025, 2, "Mål 3", "Föräldrar planerar en aktivitet i månaden", "Start i mars")]
    # The bulk file's row for the same centre, year and rank is the reported duplicate, not dropped silently.
    assert rejects == [("priorities.csv", 4, "duplicate_key")]
    [stored] = [p.name for p in source.iterdir() if p.name.startswith("priorities-form-")]
    assert stored.endswith(".csv")
    # The page shows next year's choices from the rebuilt database.
    next_year = table_with(at, "Mätbart mål")[-1]
    assert list(next_year["Område"]) == ["Jämställdhet", "Mål 3: Delaktighet"]


def test_the_form_refuses_two_priorities_in_one_area_and_saves_nothing(page_source):
    """It names the problem and leaves the source folder and the database as they were."""
    source, db, _ = page_source
    before, files = db.resolve(), sorted(p.name for p in source.iterdir())
    at = open_centre(2024, {"admin_password": "hemligt"})
    at.text_input(key="import_password").set_value("hemligt").run()
    for rank in (1, 2):
        at.selectbox(key=f"priority_area_{rank}_2025").set_value("Lärande")
        at.text_input(key=f"priority_goal_{rank}_2025").set_value("Mål")
    at.button(key="priority_save").click().run()
    assert any("olika områden" in e.value for e in at.error)
    assert db.resolve() == before and sorted(p.name for p in source.iterdir()) == files


def test_without_login_the_form_asks_for_it_and_open_demo_data_saves_nothing(page_source):
    """It shows no form to a visitor who has not logged in."""
    at = open_centre(2024, {"admin_password": "hemligt"})
    assert len([b for b in at.button if b.key == "priority_save"]) == 0
    assert at.text_input(key="import_password") is not None
