"""Word and Excel reports, opened with python-docx and openpyxl and compared with figures computed here."""
from __future__ import annotations

import io
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from docx import Document

import expect
from conftest import ROOT
from fc import db, export, fmt
from fc.report import centre, county
from fc.report.document import DEMO_NOTICE

YEAR = 2025


@pytest.fixture(scope="module")
def query(demo_db):
    return db.plain_runner(demo_db)


@pytest.fixture(scope="module")
def scores(demo_source):
    return expect.goal_scores(demo_source)


def open_docx(report):
    return Document(io.BytesIO(report.bytes()))


def text_of(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def table_with(document, header: str):
    return next(t for t in document.tables if header in [c.text for c in t.rows[0].cells])


def rows(table) -> list[dict]:
    headers = [c.text for c in table.rows[0].cells]
    return [dict(zip(headers, (c.text for c in row.cells))) for row in table.rows[1:]]


def test_centre_report_holds_the_centres_goal_figures_charts_and_empty_sections(query, scores):
    counts = scores[(scores["year"] == YEAR) & (scores["goal"] == 1)].groupby("centre_id").size()
    centre_id = counts[counts >= 20].index[0]
    document = open_docx(centre.build(query, centre_id, YEAR))
    assert document.paragraphs[2].text == DEMO_NOTICE
    goals = rows(table_with(document, f"Familjecentralen {YEAR}"))
    for goal, row in enumerate(goals, start=1):
        pool = scores[(scores["centre_id"] == centre_id) & (scores["year"] == YEAR) & (scores["goal"] == goal)]
        n, share = expect.pooled_share(pool)
        assert row[f"Familjecentralen {YEAR}"] == fmt.percent(share)
        assert row["Svarande"] == str(n)
    assert len(document.inline_shapes) == 3
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Analys av resultat utifrån föräldraenkät och självreflektion", "Familjecentralens egna reflektioner",
                    f"Prioriterade mål under år {YEAR + 1}"):
        assert heading in headings
    # One row per question of the bundled example instrument, with its text, and the report says whose it is.
    items = pd.read_csv(ROOT / "data/catalogues/survey_items.csv")
    assert [r["Fråga"] for r in rows(table_with(document, "Fråga"))] == list(items["text"])
    assert f"Enkätens {len(items)} frågor är FC-kompassens exempelinstrument" in text_of(document)


def test_a_suppressed_centre_year_has_no_figure_in_the_report_or_workbook(query, scores):
    counts = scores[scores["goal"] == 1].groupby(["centre_id", "year"]).size()
    centre_id, year = counts[counts < 5].index[0]
    report = centre.build(query, centre_id, int(year))
    document = open_docx(report)
    own = [row[f"Familjecentralen {year}"] for row in rows(table_with(document, f"Familjecentralen {year}"))]
    assert own == [fmt.SUPPRESSED] * 5
    assert "Svaren per fråga visas inte: för få svar." in text_of(document)
    workbook = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(report.sheets)))
    sheet = workbook["Måluppfyllelse"]
    header = [c.value for c in sheet[1]]
    column = header.index("andel_fc") + 1
    assert all(sheet.cell(row=r, column=column).value is None for r in range(2, sheet.max_row + 1))
    assert "Svar per fråga" not in workbook.sheetnames


def test_county_compilation_has_coverage_and_the_action_list(query, demo_source):
    report = county.build(query, "12", YEAR)
    document = open_docx(report)
    active = expect.active(expect.centres(demo_source), YEAR)
    served = set(active[active["type"] != "other"]["kommun_code"])
    skane = expect.kommuner().query("lan_kod == '12'")
    coverage = {row["Kommuner"]: row[str(YEAR)] for row in rows(table_with(document, "Kommuner"))}
    with_fc = set(active[active["type"] == "FC"]["kommun_code"])
    assert coverage["Ingen"] == str((~skane["kommun_kod"].isin(served)).sum())
    assert coverage["Familjecentral (FC)"] == str(skane["kommun_kod"].isin(with_fc).sum())
    uncovered = {row["Kommun"] for row in rows(table_with(document, "Barn 0–5 år"))}
    assert uncovered == set(skane[~skane["kommun_kod"].isin(served)]["kommun"])
    assert len(document.inline_shapes) == 3
    sheets = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(report.sheets))).sheetnames
    assert {"Täckning", "Måluppfyllelse per enhet", "Självreflektion", "Inrapportering"} <= set(sheets)
    own = rows(table_with(document, f"Skåne län {YEAR}"))
    scores = expect.goal_scores(demo_source)
    in_skane = scores["centre_id"].isin(expect.centres(demo_source).query("lan_code == '12'")["centre_id"])
    for goal, row in enumerate(own, start=1):
        n, share = expect.pooled_share(scores[in_skane & (scores["year"] == YEAR) & (scores["goal"] == goal)])
        assert row[f"Skåne län {YEAR}"] == fmt.percent(share) and row["Svarande"] == fmt.number(n)


def test_national_compilation_never_prints_a_suppressed_units_share(query, scores):
    report = county.build(query, "SE", YEAR)
    per_unit = rows(table_with(open_docx(report), "Enhet"))
    counts = scores[(scores["year"] == YEAR) & (scores["goal"] == 1)].groupby("centre_id").size()
    small = set(counts[counts < 5].index)
    choices = query("centre_choices", lan="", kommun="")
    small_units = {(n, k) for c, n, k in choices.itertuples(index=False) if c in small}
    small_rows = [r for r in per_unit if r["Nivå"] == "Familjecentral" and (r["Enhet"], r["Kommun"]) in small_units]
    assert small_rows and all(r["Mål 1"] == fmt.SUPPRESSED for r in small_rows)


def test_command_line_writes_docx_and_xlsx(demo_db, tmp_path):
    out, xlsx = tmp_path / "lan.docx", tmp_path / "lan.xlsx"
    proc = subprocess.run([sys.executable, "-m", "fc.report", "--db", str(demo_db), "county", "--lan", "25",
                           "--year", str(YEAR), "--out", str(out), "--xlsx", str(xlsx)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert Document(str(out)).core_properties.title == f"Familjecentraler Norrbottens län {YEAR}"
    assert openpyxl.load_workbook(xlsx).sheetnames[:3] == ["Fiktiva demodata", "Familjecentraler per typ", "Täckning"]
    proc = subprocess.run([sys.executable, "-m", "fc.report", "--db", str(demo_db), "centre", "--centre", "NOPE",
                           "--year", str(YEAR), "--out", str(tmp_path / "x.docx")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and "NOPE" in proc.stderr
