"""Ladda ner mall: generated Excel templates load, once filled in, with no rejects and the same figures as CSV."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import duckdb
import openpyxl

from conftest import CENTRE_HEADER, centre_row, csv_text, survey_header, survey_items
from etl.build import build
from fc import templates
from test_import import deployment, open_import_page  # noqa: F401  (a real-data deployment, the page opened)

TODAY = dt.date(2024, 6, 1)
CENTRES = [centre_row("C1", "0180", opened=2015, lat=59.3251, lon=18.0711), centre_row("C2", "1480", legs=("nej", "ja", "ja", "ja"), opened=dt.date(2020, 8, 20))]
TABLES = {
    "centre": "SELECT * EXCLUDE (source_file) FROM centre ORDER BY centre_id",
    "survey": "SELECT * FROM survey_response ORDER BY response_id",
    "self": "SELECT * FROM self_reflection ORDER BY ALL",
    "activity": "SELECT * FROM activity ORDER BY ALL",
    "goals": "SELECT * FROM goal_fulfilment ORDER BY ALL",
    "areas": "SELECT * FROM self_reflection_area ORDER BY ALL",
}


def rows():
    n = len(survey_items())
    return {
        "centres": [[*r[:7], *r[7:], "ja", None, "nej"] for r in CENTRES],
        "parent_survey": [[f"r{i}", "C1" if i % 2 else "C2", 2023, ["kvinna", "man", None][i % 3], "svenska",
                           *[(i + j) % 6 for j in range(n)]] for i in range(14)],
        "self_reflection": [["C1", 2023, f"s{k:02d}", 1 + (k % 11) / 2, 6, "Bra; men" if k == 3 else None]
                            for k in range(1, 31)],
        "activity": [["C1", 2023, 1250, 3, 400, 12, 5, "ja"], ["C2", 2023, 800, 0, 120, 4, 1, "nej"]],
    }


def csv_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def fill(book_bytes: bytes, data_rows, first_column: int = 1):
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    sheet = book[templates.DATA_SHEET]
    for r, row in enumerate(data_rows, start=2):
        for c, value in enumerate(row, start=first_column):
            sheet.cell(r, c).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(folder, db):
    build(folder, db, today=TODAY)
    with duckdb.connect(str(db), read_only=True) as con:
        return ({name: con.execute(sql).fetchall() for name, sql in TABLES.items()},
                con.execute("SELECT count(*) FROM rejects").fetchone()[0],
                con.execute("SELECT source_file, rows_loaded, ignored_columns FROM load_summary ORDER BY ALL").fetchall())


def test_filled_templates_load_with_no_rejects_and_the_same_figures_as_csv(tmp_path):
    csv_dir, xlsx_dir = tmp_path / "csv", tmp_path / "xlsx"
    csv_dir.mkdir()
    xlsx_dir.mkdir()
    for kind, data in rows().items():
        header = templates.columns(kind)
        assert header == {"centres": CENTRE_HEADER + ["coordinator", "steering_group", "agreement"],
                          "parent_survey": survey_header()}.get(kind, header)
        # Optional columns the rows leave out (activity's report_received) stay empty, as in the filled workbook.
        (csv_dir / f"{kind}.csv").write_text(csv_text(header, [[csv_value(v) for v in r] + [None] * (len(header) - len(r))
                                                               for r in data]), "utf-8")
        name = templates.file_name(kind)
        assert name == f"{kind}_mall.xlsx"
        (xlsx_dir / name).write_bytes(fill(templates.template(kind, centres=[("C1", "Ett"), ("C2", "Två")],
                                                              today=TODAY), data))
    from_csv, csv_rejects, _ = load(csv_dir, tmp_path / "a.duckdb")
    from_xlsx, xlsx_rejects, summary = load(xlsx_dir, tmp_path / "b.duckdb")
    assert (csv_rejects, xlsx_rejects) == (0, 0)
    assert from_xlsx == from_csv
    assert len(from_xlsx["self"]) == 30 and len(from_xlsx["survey"]) == 14
    assert {f for f, _, _ in summary} - {"survey_items.csv", "statements.csv"} == {f"{k}_mall.xlsx:Data" for k in rows()}


def test_prefilled_self_reflection_and_activity_forms(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "centres.csv").write_text(csv_text(CENTRE_HEADER, [[csv_value(v) for v in r] for r in CENTRES]), "utf-8")
    form = templates.self_reflection_form("C1", 2023, centres=[("C1", "Ett")], today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(form))
    prefilled = [[c.value for c in r] for r in book[templates.DATA_SHEET].iter_rows(min_row=2)]
    assert len(prefilled) == 30 and prefilled[0][:3] == ["C1", 2023, "s01"] and prefilled[0][-1].startswith("Vi ger")
    scores = [[4.5 if k % 2 else 3] for k in range(30)]
    (folder / "self_reflection_C1_2023.xlsx").write_bytes(fill(form, scores, first_column=4))
    activity = templates.activity_form([("C1", "Ett"), ("C2", "Två")], 2023, today=TODAY)
    (folder / "activity_2023.xlsx").write_bytes(fill(activity, [[100, 1, 2, 3, 4, "ja"], [50, 0, 0, 0, 1, "nej"]],
                                                     first_column=3))
    db = tmp_path / "fc.duckdb"
    build(folder, db, today=TODAY)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejects").fetchone() == (0,)
        assert con.execute("SELECT count(*), sum(score) FROM self_reflection WHERE centre_id = 'C1'").fetchone() == (
            30, 15 * 4.5 + 15 * 3)
        assert con.execute("SELECT centre_id, visits, supervision FROM activity ORDER BY 1").fetchall() == [
            ("C1", 100, True), ("C2", 50, False)]
        ignored = dict(con.execute("SELECT kind, ignored_columns FROM load_summary").fetchall())
    assert ignored["self_reflection"] == "område, påstående" and ignored["activity"] == "familjecentral"


def test_templates_hold_drop_downs_instructions_and_no_formulas():
    book = openpyxl.load_workbook(io.BytesIO(templates.template("centres", today=TODAY)))
    assert book.sheetnames == ["Data", "Listor", "Instruktioner"] and book["Listor"].sheet_state == "hidden"
    rules = {str(v.sqref): v for v in book["Data"].data_validations.dataValidation}
    assert rules["C2:C5000"].formula1 == "Listor!$A$2:$A$291"
    assert [c.value for c in book["Listor"]["A"][1:3]] == ["0114", "0115"] and book["Listor"].max_row == 291
    assert rules["D2:D5000"].formula1 == '"ja,nej"'
    assert "Fyll i en rad per familjecentral" in book["Instruktioner"]["A3"].value
    survey = openpyxl.load_workbook(io.BytesIO(templates.template("parent_survey", today=TODAY)))
    answers = [v for v in survey["Data"].data_validations.dataValidation if v.type == "whole" and v.formula2 == "5"]
    assert len(answers) == len(survey_items())
    score, = [v for v in openpyxl.load_workbook(io.BytesIO(templates.template("self_reflection", today=TODAY)))[
        "Data"].data_validations.dataValidation if v.type == "decimal"]
    assert (score.formula1, score.formula2) == ("1", "6")
    # A centre id from the registry that looks like a formula is written as text.
    form = templates.activity_form([("=HYPERLINK(\"http://x\")", "=1+1")], 2025, today=TODAY)
    with zipfile.ZipFile(io.BytesIO(form)) as archive:
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))


def test_importera_offers_templates_to_everyone(deployment):
    at = open_import_page({})  # real data, no access configured: uploads are refused, templates are not
    assert "kräver inloggning" in at.error[0].value
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 6
