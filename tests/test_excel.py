"""Excel workbooks (.xlsx) load exactly like the CSV files with the same rows: same tables, same rejects."""
from __future__ import annotations

import datetime as dt

import duckdb
import openpyxl
import pytest

from conftest import CENTRE_HEADER, centre_row, csv_text, survey_header, survey_items
from etl import read
from etl.build import BuildFailed, build
from fc import importer

TODAY = dt.date(2024, 6, 1)
SELF_HEADER = ["centre_id", "year", "statement_id", "score", "n_staff", "comment"]
ACT_HEADER = ["centre_id", "year", "visits", "pregnant", "enrolled_children", "families_joint_support",
              "parent_groups", "supervision"]


def centres():
    return [
        centre_row("C1", "0180", name="Familjecentralen Ängen; Söder", lat=59.3251, lon=18.0711, opened=2015),
        centre_row("C2", 1480, legs=("nej", "ja", "JA", "x"), opened=dt.date(2020, 8, 20), name='Café "Ö"'),
        centre_row("C3", "9999"),                                   # unknown kommun_code
        None,                                                       # an empty row
        centre_row("C1", "0180"),                                   # duplicate key
        centre_row("C4", "0180", opened=dt.date(2019, 1, 2), closed=2030),  # closed after next year
        centre_row("C5", "0180", legs=("ja", "kanske", 1, 1)),      # not a boolean
    ]


def survey():
    n = len(survey_items())
    rows = [["r%d" % i, "C1" if i % 2 else "C2", 2023, "kvinna", "annat", *[(i + j) % 6 for j in range(n)]]
            for i in range(12)]
    rows.append(["r99", "C9", 2023, "man", "svenska", *[3] * n])     # unknown centre
    rows.append(["r98", "C1", 2023, "man", "svenska", 7, *[3] * (n - 1)])  # answer out of range
    return rows


def self_reflection():
    return [["C1", 2023, "s01", 4.5, 7, "Bra, men\nkan bli bättre"], ["C2", 2023, "s01", 2.25, 4, None],
            ["C2", 2023, "s02", 6.5, 4, None], ["C1", 1999, "s02", 3, None, None]]


def activity():
    return [["C1", 2023, 1250, 3, 400, 12, 5, "ja"], ["C2", 2023, 800, 0, 120, 4, 1, False],
            ["C2", 2022, 10.5, 0, 0, 0, 0, None], ["C1", 2023, 1, 1, 1, 1, 1, True]]


FILES = {
    "centres": (CENTRE_HEADER, centres),
    "parent_survey": (survey_header(), survey),
    "self_reflection": (SELF_HEADER, self_reflection),
    "activity": (ACT_HEADER, activity),
}

TABLES = {
    "centre": "SELECT * EXCLUDE (source_file) FROM centre ORDER BY centre_id",
    "survey": "SELECT * FROM survey_response ORDER BY response_id",
    "self": "SELECT * FROM self_reflection ORDER BY centre_id, year, statement_id",
    "activity": "SELECT * FROM activity ORDER BY centre_id, year",
    "goals": "SELECT * FROM goal_fulfilment ORDER BY ALL",
    "rejects": "SELECT regexp_replace(source_file, '\\.(csv|xlsx:Blad1)$', ''), line_number, kind, rule, "
               "regexp_replace(reason, '\\.(csv|xlsx:Blad1)$', '') FROM rejects ORDER BY ALL",
}


def as_csv_value(value):
    """What a user who saved the same sheet as CSV would have in the file."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.replace("\n", " ")  # the workbook's line break inside a cell reads as a space
    return value


def write_sheet(path, header, rows, title="Blad1", before=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for extra_title, extra_rows in before:  # sheets in front of the data (instructions)
        extra = workbook.create_sheet(extra_title, 0)
        for row in extra_rows:
            extra.append(row)
    sheet.append(header)
    for row in rows:
        sheet.append([] if row is None else row)
    workbook.save(path)
    return path


def write_both(tmp_path):
    csv_dir, xlsx_dir = tmp_path / "csv", tmp_path / "xlsx"
    csv_dir.mkdir()
    xlsx_dir.mkdir()
    for kind, (header, rows) in FILES.items():
        data = rows()
        text = csv_text(header, [[as_csv_value(v) for v in row] if row else [""] * len(header) for row in data])
        (csv_dir / f"{kind}.csv").write_text(text, encoding="utf-8")
        write_sheet(xlsx_dir / f"{kind}.xlsx", header, data)
    return csv_dir, xlsx_dir


def tables(folder, db):
    build(folder, db, today=TODAY)
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}, con.execute(
            "SELECT source_file, line_number, reason, raw_line FROM rejects ORDER BY ALL").fetchall()


def test_workbooks_load_exactly_like_the_same_rows_as_csv(tmp_path):
    csv_dir, xlsx_dir = write_both(tmp_path)
    from_csv, csv_rejects = tables(csv_dir, tmp_path / "a.duckdb")
    from_xlsx, xlsx_rejects = tables(xlsx_dir, tmp_path / "b.duckdb")
    for name in TABLES:
        assert from_xlsx[name] == from_csv[name], name
    assert len(from_csv["centre"]) == 2 and len(from_csv["rejects"]) == 10
    # Rejects name the sheet and keep the sheet's row number (header = row 1, so data row 4 is line 4).
    by_line = {(f, n): (reason, raw) for f, n, reason, raw in xlsx_rejects}
    reason, raw = by_line[("centres.xlsx:Blad1", 4)]
    assert "9999" in reason and raw.startswith("C3;Familjecentralen C3;9999;")
    assert ("centres.xlsx:Blad1", 6) in by_line  # the duplicate, after the empty row 5
    assert "rad 2 i centres.xlsx:Blad1" in by_line[("centres.xlsx:Blad1", 6)][0]
    with duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True) as con:
        summary = con.execute("SELECT source_file, encoding, rows_read, blank_rows FROM load_summary "
                              "WHERE kind = 'centres'").fetchall()
    assert summary == [("centres.xlsx:Blad1", "xlsx", 6, 1)]


def test_values_as_excel_stores_them(tmp_path):
    path = write_sheet(tmp_path / "centres.xlsx", ["a", "b", "c", "d", "e"], [
        [2015, dt.date(2015, 8, 20), dt.datetime(2016, 1, 2, 10, 30), 4.5, 0.1 + 0.2],
        [True, "x;y", 'say "hi"', "rad1\nrad2", None],
    ])
    sheet, data = read.excel_sheet(path)
    assert sheet.name == "centres.xlsx:Blad1" and sheet.workbook == path
    assert data.decode().split("\n") == [
        "a;b;c;d;e", "2015;2015-08-20;2016-01-02 10:30:00;4.5;0.3",
        'true;"x;y";"say ""hi""";rad1 rad2;', ""]


def test_instruction_sheets_are_skipped_and_rows_keep_sheet_numbers(tmp_path, built):
    folder = tmp_path / "src"
    folder.mkdir()
    # The data sheet's header is on row 3 after a title and an empty row: lines follow the sheet's rows.
    write_sheet(folder / "centres_2024.xlsx", CENTRE_HEADER, [centre_row("C1", "0180"), centre_row("C2", "9999")],
                title="Register", before=[("Instruktioner", [["Fyll i en rad per familjecentral."]])])
    workbook = openpyxl.load_workbook(folder / "centres_2024.xlsx")
    workbook["Register"].insert_rows(1, 2)
    workbook["Register"]["A1"] = None
    workbook.save(folder / "centres_2024.xlsx")
    con = built(folder, TODAY)
    assert con.execute("SELECT centre_id, source_file, line_number FROM centre").fetchall() == [
        ("C1", "centres_2024.xlsx:Register", 4)]
    assert con.execute("SELECT source_file, line_number FROM rejects").fetchall() == [
        ("centres_2024.xlsx:Register", 5)]


@pytest.mark.parametrize("case", ["two-data-sheets", "missing-column", "not-a-workbook", "empty"])
def test_workbooks_refused_as_a_whole_name_file_and_sheet(tmp_path, case):
    folder = tmp_path / "src"
    folder.mkdir()
    path = folder / "centres.xlsx"
    if case == "two-data-sheets":
        write_sheet(path, CENTRE_HEADER, [centre_row("C1", "0180")], before=[("Norr", [CENTRE_HEADER])])
        expected = "flera blad med data (Norr, Blad1)"
    elif case == "missing-column":
        write_sheet(path, CENTRE_HEADER[:3], [["C1", "x", "0180"]])
        expected = "bladet Blad1: kolumnerna mhv, bhv, open_preschool, social_services saknas"
    elif case == "not-a-workbook":
        path.write_text("centre_id;name\n", encoding="utf-8")
        expected = "ingen Excel-arbetsbok"
    else:
        write_sheet(path, [], [])
        expected = "arbetsboken är tom"
    with pytest.raises(BuildFailed) as failed:
        build(folder, tmp_path / "fc.duckdb", today=TODAY)
    (name, reason), = failed.value.refusals
    assert name == "centres.xlsx" and expected in reason


def test_importer_accepts_workbooks_with_the_same_checks(tmp_path):
    csv_dir, xlsx_dir = write_both(tmp_path)
    source = tmp_path / "source"
    source.mkdir()
    files = [(f"{kind}.xlsx", (xlsx_dir / f"{kind}.xlsx").read_bytes()) for kind in FILES]
    uploads = importer.receive(files, source, stamp="20240601T120000")
    assert [u.stored for u in uploads] == [f"{k}_upload_20240601T120000_{n}.xlsx" for n, k in enumerate(FILES, 1)]
    checks = importer.check(uploads, source, today=TODAY)
    assert [c.refused for c in checks] == [None] * 4
    centres_check = checks[0]
    assert (centres_check.rows_read, centres_check.rows_loaded) == (6, 2)
    assert list(centres_check.rejects["rad"]) == [4, 6, 7, 8]
    assert set(centres_check.rejects["blad"]) == {"Blad1"}


def test_importer_bounds_workbooks_before_converting(tmp_path, monkeypatch):
    wide = write_sheet(tmp_path / "centres.xlsx", [f"c{i}" for i in range(importer.MAX_COLUMNS + 1)], [])
    assert "kolumner" in importer.bounds(wide.read_bytes(), excel=True)
    long = write_sheet(tmp_path / "centres2.xlsx", CENTRE_HEADER, [["x" * 30_000] * 4])
    assert "byte lång" in importer.bounds(long.read_bytes(), excel=True)
    assert "ingen Excel-arbetsbok" in importer.bounds(b"not a zip", excel=True)
    monkeypatch.setattr(importer, "MAX_EXCEL_UNPACKED", 1000)
    assert "uppackad" in importer.bounds(long.read_bytes(), excel=True)
    ok = write_sheet(tmp_path / "centres3.xlsx", CENTRE_HEADER, [centre_row("C1", "0180")])
    monkeypatch.setattr(importer, "MAX_EXCEL_UNPACKED", 10**9)
    assert importer.bounds(ok.read_bytes(), excel=True) is None
