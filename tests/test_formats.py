"""Excel exports (semicolon, Windows-1252, decimal comma, BOM, tab, CRLF) load the same figures as plain UTF-8."""
from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pytest

from conftest import CENTRE_HEADER, centre_row, csv_text, survey_header, survey_items
from etl.build import BuildFailed, build

TODAY = dt.date(2024, 6, 1)

CENTRES = [centre_row("C1", "0180", name="Familjecentralen Ängen – Söder", lat=59.3251, lon=18.0711),
           centre_row("C2", "1480", legs=("nej", "ja", "JA", "x"), opened="2020-08-20", name="Café “Ö” €")]
SELF = [["C1", 2023, "s01", 4.5, 7, "Bra, men kan bli bättre"], ["C2", 2023, "s01", 2.25, 4, ""]]
ACTIVITY = [["C1", 2023, 1250, 3, 400, 12, 5, "ja"], ["C2", 2023, 800, 0, 120, 4, 1, "Nej"]]
ACT_HEADER = ["centre_id", "year", "visits", "pregnant", "enrolled_children", "families_joint_support",
              "parent_groups", "supervision"]


def survey_rows():
    n = len(survey_items())
    return [[f"r{i}", "C1" if i % 2 else "C2", 2023, "kvinna", "annat", *[(i + j) % 6 for j in range(n)]] for i in range(12)]


VARIANTS = {
    "utf8-comma": dict(sep=",", encoding="utf-8", decimal=".", newline="\n"),
    "excel-semicolon-cp1252-decimal-comma": dict(sep=";", encoding="cp1252", decimal=",", newline="\r\n"),
    "excel-bom-semicolon-decimal-comma": dict(sep=";", encoding="utf-8-sig", decimal=",", newline="\r\n"),
    "tab-separated-utf8": dict(sep="\t", encoding="utf-8", decimal=".", newline="\n"),
}

TABLES = {
    "centre": "SELECT * EXCLUDE (source_file, line_number) FROM centre ORDER BY centre_id",
    "survey": "SELECT * FROM survey_response ORDER BY response_id",
    "self": "SELECT * FROM self_reflection ORDER BY centre_id",
    "activity": "SELECT * FROM activity ORDER BY centre_id",
    "goals": "SELECT * FROM goal_fulfilment",
}


def write_variant(folder, sep, encoding, decimal, newline):
    folder.mkdir()
    files = {
        "Centres.CSV": (CENTRE_HEADER, CENTRES),
        "parent_survey.csv": ([h.upper() if i < 2 else f" {h} " for i, h in enumerate(survey_header())], survey_rows()),
        "self_reflection.csv": (["centre_id", "year", "statement_id", "score", "n_staff", "comment"], SELF),
        "activity.csv": (ACT_HEADER, ACTIVITY),
    }
    for name, (header, rows) in files.items():
        text = csv_text(header, rows, sep=sep, decimal=decimal).replace("\n", newline)
        (folder / name).write_bytes(text.encode(encoding))


def load_tables(folder, db):
    build(folder, db, today=TODAY)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejects").fetchone() == (0,)
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}


def test_excel_variants_load_the_same_figures_as_plain_utf8(tmp_path):
    results = {}
    for name, options in VARIANTS.items():
        write_variant(tmp_path / name, **options)
        results[name] = load_tables(tmp_path / name, tmp_path / f"{name}.duckdb")
    plain = results.pop("utf8-comma")
    assert plain["centre"][0][1] == "Familjecentralen Ängen – Söder"
    assert plain["self"][0][3] == 4.5 and plain["activity"][0][2] == 1250
    for name, tables in results.items():
        assert tables == plain, name


def test_cp1252_file_is_really_not_utf8(tmp_path):
    write_variant(tmp_path / "v", **VARIANTS["excel-semicolon-cp1252-decimal-comma"])
    with pytest.raises(UnicodeDecodeError):
        (tmp_path / "v" / "Centres.CSV").read_bytes().decode("utf-8")


def test_building_twice_from_the_same_folder_gives_identical_tables(tmp_path):
    write_variant(tmp_path / "src", **VARIANTS["utf8-comma"])
    first = load_tables(tmp_path / "src", tmp_path / "a.duckdb")
    second = load_tables(tmp_path / "src", tmp_path / "a.duckdb")
    assert first == second


def digest(path):
    return hashlib.sha256(path.resolve().read_bytes()).hexdigest()


def test_a_build_that_fails_half_way_leaves_the_previous_database_byte_identical(tmp_path):
    write_variant(tmp_path / "src", **VARIANTS["utf8-comma"])
    db = tmp_path / "fc.duckdb"
    build(tmp_path / "src", db, today=TODAY)
    before_target, before_digest = db.resolve(), digest(db)
    # Catalogues and centres load first; the survey file is refused only after them.
    (tmp_path / "src" / "parent_survey.csv").write_text("response_id,centre_id\nr1,C1\n", encoding="utf-8")
    with pytest.raises(BuildFailed, match="year"):
        build(tmp_path / "src", db, today=TODAY)
    assert db.resolve() == before_target
    assert digest(db) == before_digest
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM survey_response").fetchone() == (len(survey_rows()),)
    leftovers = [p.name for p in (tmp_path / ".fc.duckdb.gen").iterdir() if p.suffix != ".duckdb"]
    assert leftovers == []
