"""The parent survey as survey tools export it: question texts as headers, labels as answers, a timestamp and the
centre as a chosen answer, converted to the contract's rows; unmappable rows are rejected, never dropped."""
from __future__ import annotations

import csv
import datetime as dt

import duckdb
import openpyxl
import pytest

from conftest import CENTRE_HEADER, centre_row, csv_text, survey_header, write_csv
from etl import survey_export
from etl.build import BuildFailed, build
from test_import import deployment  # noqa: F401  (a real-data deployment for the page test)

TODAY = dt.date(2025, 6, 1)
LABELS = {5: "Stämmer helt och hållet", 4: "Stämmer ganska bra", 3: "Stämmer delvis", 2: "Stämmer ganska dåligt",
          1: "Stämmer inte alls", 0: "Vet ej"}


def catalogue():
    with open(survey_export.CATALOGUES / "survey_items.csv", encoding="utf-8") as handle:
        return [(r["item"], r["text"]) for r in csv.DictReader(handle)]


def export_header(items):
    """Question texts as a survey tool writes them: as is, in other case and punctuation, or in a grid."""
    out = []
    for n, (_, text) in enumerate(items):
        if n % 3 == 1:
            out.append(text.upper().rstrip(".") + " ?")
        elif n % 3 == 2:
            out.append(f"Hur väl stämmer följande? [{text}]")
        else:
            out.append(text)
    return ["Tidstämpel", "Vilken familjecentral besöker du?", "Kön", "Språk som mest talas hemma", *out,
            "Övriga synpunkter"]


def answers(i, n):
    return [(i + j) % 6 for j in range(n)]


def respondents(n):
    # (timestamp, centre as chosen, gender, language, scores)
    return [(f"2024-0{1 + i % 9}-1{i % 10} 10:{i:02d}:00" if i % 2 else f"1{i % 9}.3.2024 09:15",
             "Familjecentralen Ängen" if i % 2 else "c2", ["Kvinna", "Man", ""][i % 3], "Svenska",
             answers(i, n)) for i in range(12)]


def registry(folder):
    write_csv(folder, "centres.csv", CENTRE_HEADER,
              [centre_row("C1", "0180", name="Familjecentralen Ängen"), centre_row("c2", "1480")])


def write_export(folder, name="parent_survey_export.csv", extra=(), drop_item=None):
    items = catalogue()
    header = export_header(items)
    rows = [[ts, centre, gender, language, *[LABELS[s] for s in scores], "Bra ställe"]
            for ts, centre, gender, language, scores in respondents(len(items))]
    rows += [list(r) for r in extra]
    if drop_item is not None:
        header = header[:4 + drop_item] + header[5 + drop_item:]
        rows = [r[:4 + drop_item] + r[5 + drop_item:] for r in rows]
    if name.endswith(".xlsx"):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(folder / name)
    else:
        (folder / name).write_text(csv_text(header, rows, sep=";"), encoding="utf-8")


def contract_rows(name="parent_survey_export.csv"):
    n = len(catalogue())
    return [[f"{name}:{i + 2}", "C1" if i % 2 else "c2", 2024, ["kvinna", "man", ""][i % 3], "svenska",
             *scores] for i, (_, _, _, _, scores) in enumerate(respondents(n))]


def built(folder, db):
    build(folder, db, today=TODAY)
    return duckdb.connect(str(db), read_only=True)


QUERIES = {
    "survey": "SELECT * EXCLUDE (respondent_no) FROM survey_response ORDER BY centre_id, response_id",
    "goals": "SELECT * FROM goal_fulfilment ORDER BY ALL",
}


@pytest.mark.parametrize("name", ["parent_survey_export.csv", "parent_survey_export.xlsx"])
def test_an_export_loads_like_the_contract_rows(tmp_path, name):
    export_dir, contract_dir = tmp_path / "export", tmp_path / "contract"
    for folder in (export_dir, contract_dir):
        folder.mkdir()
        registry(folder)
    write_export(export_dir, name)
    staged_name = name + (":Sheet" if name.endswith(".xlsx") else "")
    (contract_dir / "parent_survey.csv").write_text(csv_text(survey_header(), contract_rows(staged_name)), "utf-8")
    with built(export_dir, tmp_path / "a.duckdb") as a, built(contract_dir, tmp_path / "b.duckdb") as b:
        assert a.execute("SELECT count(*) FROM rejects").fetchone() == (0,)
        for sql in QUERIES.values():
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall()
        assert a.execute("SELECT count(*) FROM survey_response").fetchone() == (12,)
        assert a.execute("SELECT ignored_columns FROM load_summary WHERE kind = 'parent_survey'").fetchone() == (
            "övriga synpunkter",)


def test_rows_that_cannot_be_mapped_are_rejected_with_a_reason(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    registry(folder)
    n = len(catalogue())
    good = [LABELS[4]] * n
    write_export(folder, extra=[
        ["2024-05-01 10:00", "Familjecentralen Okänd", "Kvinna", "Svenska", *good, ""],      # line 14
        ["2024-05-01 10:00", "c2", "Kvinna", "Svenska", "Kanske", *good[1:], ""],              # line 15
        ["", "c2", "Kvinna", "Svenska", *good, ""],                                            # line 16
        ["igår", "c2", "Kvinna", "Svenska", *good, ""],                                        # line 17
    ])
    with built(folder, tmp_path / "fc.duckdb") as con:
        rejects = con.execute("SELECT line_number, rule, reason, raw_line FROM rejects ORDER BY 1").fetchall()
        assert con.execute("SELECT count(*) FROM survey_response").fetchone() == (12,)
    assert [(line, rule) for line, rule, _, _ in rejects] == [
        (14, "unknown_centre"), (15, "not_a_number"), (16, "missing_value"), (17, "not_a_number")]
    assert "m1_1" in rejects[1][2] and "Kanske" not in rejects[1][2]
    assert rejects[0][3].startswith("2024-05-01 10:00;Familjecentralen Okänd;")  # the export's own line


def test_an_unmatched_question_refuses_the_file_until_a_saved_mapping_names_it(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    registry(folder)
    items = catalogue()
    write_export(folder, drop_item=0)
    # The first question under a header no rule finds.
    path = folder / "parent_survey_export.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    header = text[0].split(";")
    header.insert(4, "Fråga A")
    body = [";".join([*r.split(";")[:4], LABELS[4], *r.split(";")[4:]]) for r in text[1:]]
    path.write_text("\n".join([";".join(header), *body]) + "\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(folder, tmp_path / "fc.duckdb", today=TODAY)
    (name, reason), = failed.value.refusals
    assert name == "parent_survey_export.csv" and f"frågan {items[0][0]} ({items[0][1]})" in reason
    survey_export.write_mapping(folder / survey_export.MAPPING_FILE, {"Fråga A": items[0][0]})
    with built(folder, tmp_path / "fc.duckdb") as con:
        assert con.execute("SELECT count(*), min(m1_1), max(m1_1) FROM survey_response").fetchone() == (12, 4, 4)
        assert con.execute("SELECT count(*) FROM rejects").fetchone() == (0,)


def test_matching_exact_then_normalised_then_roles():
    items = catalogue()
    headers = ["Tidstämpel", "Familjecentral", items[0][1], items[1][1].lower() + "!!", f"[{items[2][1]}]",
               f"3. {items[3][1]}", "Något annat", "Kön"]
    matches = survey_export.match_columns(headers, items, {"något annat": survey_export.IGNORE})
    assert [(m.target, m.how) for m in matches] == [
        ("timestamp", "roll"), ("centre_id", "roll"), (items[0][0], "exakt"), (items[1][0], "normaliserad"),
        (items[2][0], "exakt"), (items[3][0], "exakt"), (None, "sparad"), ("gender", "roll")]
    assert survey_export.read_labels()["stämmer helt och hållet"] == 5
    assert survey_export.read_labels()["vet ej"] == 0


def test_importera_shows_the_mapping_and_saves_a_linked_column_for_next_year(tmp_path):
    from fc import importer

    source, db = tmp_path / "source", tmp_path / "db" / "fc.duckdb"
    source.mkdir()
    registry(source)
    build(source, db, today=TODAY)
    items = catalogue()
    write_export(tmp_path)
    text = (tmp_path / "parent_survey_export.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(";")
    header[4] = "Fråga A"  # the first question under a header no rule finds
    content = "\n".join([";".join(header), *text[1:]]).encode("utf-8")

    upload, = importer.receive([("enkat_2024.csv".replace("enkat", "parent_survey"), content)], source)
    matches = importer.export_columns(upload, source)
    assert [(m.column, m.target) for m in matches[:5]] == [
        ("tidstämpel", "timestamp"), ("vilken familjecentral besöker du?", "centre_id"), ("kön", "gender"),
        ("språk som mest talas hemma", "language"), ("fråga a", None)]
    check, = importer.check([upload], source, today=TODAY)
    assert items[0][0] in check.refused
    upload.mapping["fråga a"] = items[0][0]
    check, = importer.check([upload], source, today=TODAY)
    assert (check.refused, check.rows_loaded, len(check.rejects)) == (None, 12, 0)
    importer.accept([upload], source, db)
    assert survey_export.read_mapping(source) == {"fråga a": items[0][0]}
    # Next year the saved mapping links the column by itself.
    again, = importer.receive([("parent_survey_2025.csv", content)], source)
    assert [(m.target, m.how) for m in importer.export_columns(again, source)][4] == (items[0][0], "sparad")


def test_importera_page_lets_an_admin_link_an_unmatched_column(deployment):
    from test_import import open_import_page

    items = catalogue()
    header = ["Tidstämpel", "Familjecentral", "Fråga A", *[t for _, t in items[1:]]]
    rows = [["2025-03-01 10:00", "C1", LABELS[5], *[LABELS[4]] * (len(items) - 1)]] * 3
    content = csv_text(header, rows, sep=";").encode("utf-8")
    at = open_import_page({"admin_password": "hemligt"})
    at.text_input(key="import_password").set_value("hemligt").run()
    at.get("file_uploader")[0].set_value([("parent_survey_enkat.csv", content, "text/csv")]).run()
    assert not at.exception, at.exception
    assert any("enkätexporten saknar frågan" in e.value for e in at.error)
    box, = [s for s in at.selectbox if s.key and s.key.startswith("export_map_")]
    box.set_value(items[0][0]).run()
    assert not at.exception, at.exception
    assert any("3 rader läses in, 0 rader avvisas." in m.value for m in at.markdown)
