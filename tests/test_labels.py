"""Published tables in Swedish: every shown column has a label, downloads round like the charts and hide what is hidden."""
from __future__ import annotations

import io
import re
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from fc import db, export, fmt, labels

QUERIES = Path(db.QUERIES)
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.fixture(scope="module")
def run(demo_db):
    return db.plain_runner(demo_db)


@pytest.fixture(scope="module")
def con(demo_db):
    with duckdb.connect(str(Path(demo_db).resolve()), read_only=True, config=db.CONFIG) as con:
        yield con


def parameter_sets(con) -> list[dict]:
    """Every level of the dashboard for one real centre, its municipality and county, in the latest survey year."""
    centre, kommun, lan = con.execute("SELECT centre_id, kommun_code, lan_code FROM centres ORDER BY centre_id").fetchone()
    year = con.execute("SELECT max(year) FROM goal_fulfilment").fetchone()[0]
    units = {"centre": centre, "kommun": kommun, "lan": lan, "riket": "SE"}
    return [{"year": year, "lan": lan, "kommun": kommun, "centre": centre, "goal": 1, "level": level, "unit": unit,
             "file": ""}
            for level, unit in units.items()]


def test_every_column_a_query_returns_has_a_swedish_label(run, con):
    """It runs every query of the dashboard on the demo database and finds each column in the catalogue."""
    seen = set()
    for params in parameter_sets(con):
        for path in sorted(QUERIES.glob("*.sql")):
            names = set(re.findall(r"\$([a-z_]+)", path.read_text(encoding="utf-8")))
            seen |= set(run(path.stem, **{k: params[k] for k in names}).columns)
    assert len(seen) > 50
    missing = sorted(c for c in seen if c not in labels.catalogue())
    assert not missing, missing
    for entry in labels.catalogue().values():
        assert not SNAKE.match(entry.label) and entry.label[0].isupper(), entry
        assert entry.definition, entry


def mixed_unit(con) -> tuple[str, str]:
    """A centre with shown and hidden goals over the years (both kinds of hiding if the demo has them)."""
    return con.execute("""
        SELECT unit_code, level FROM goal_fulfilment WHERE segment = 'alla' AND level = 'centre'
        GROUP BY ALL HAVING bool_or(suppressed) AND bool_or(NOT suppressed) ORDER BY count(*) DESC, unit_code LIMIT 1
    """).fetchone()


def test_a_published_table_rounds_like_the_chart_and_hides_what_is_hidden(run, con):
    """It shows shares as '40 %', in CSV as 40 under a '(%)' header, in Excel as 0.4 with a percent format."""
    unit, level = mixed_unit(con)
    trend = run("goals_trend", level=level, unit=unit)
    table = labels.present(trend)
    shown = labels.text(table)
    csv = pd.read_csv(io.BytesIO(export.table_csv(table)), sep=";", decimal=",", encoding="utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(export.table_excel(table, "Måluppfyllelse", "FC-kompassen", "2019–2025",
                                                                  demo=True)))
    sheet = book["Måluppfyllelse"]
    headers = [c.value for c in sheet[1]]
    for frame_headers in (list(shown.columns), list(csv.columns), headers):
        assert not any(SNAKE.match(h) for h in frame_headers), frame_headers
    share_col, reason_col = headers.index("Andel positiva") + 1, headers.index("Visas inte (skäl)") + 1
    assert "Andel positiva (%)" in csv.columns
    for i, row in enumerate(trend.itertuples()):
        if row.suppressed:
            assert shown["Andel positiva"][i] == fmt.hidden(row.suppression) == csv["Visas inte (skäl)"][i]
            assert pd.isna(csv["Andel positiva (%)"][i]) and pd.isna(csv["Antal positiva"][i])
            assert sheet.cell(i + 2, share_col).value is None
            assert sheet.cell(i + 2, reason_col).value == fmt.hidden(row.suppression)
        else:
            share = row.n_positive / row.n  # computed here, not read from the share column
            assert shown["Andel positiva"][i] == fmt.percent(share)
            assert csv["Andel positiva (%)"][i] == round(100 * share)
            cell = sheet.cell(i + 2, share_col)
            assert cell.value == pytest.approx(round(share, 2)) and cell.number_format == "0%"
            assert csv["Antal svarande"][i] == row.n and shown["Antal svarande"][i] == fmt.number(row.n)
    assert {"True", "False"}.isdisjoint(set(shown.to_numpy().ravel().astype(str)))
    info = [[c for c in r if c is not None] for r in book[export.DEFINITIONS_SHEET].iter_rows(values_only=True)]
    assert book.sheetnames == [export.DEMO_SHEET, "Måluppfyllelse", export.DEFINITIONS_SHEET]
    assert ["Dolda siffror", fmt.HIDDEN_NOTE] in info and ["År", "2019–2025"] in info
    defined = {r[0]: r[1] for r in info[info.index(["Kolumn", "Definition", "Enhet"]) + 1:]}
    assert set(defined) == set(headers) and all(defined.values())


def test_booleans_are_ja_or_nej_in_every_form(run, con):
    """It writes Ja/Nej for True/False in the page, the CSV and the workbook."""
    year = con.execute("SELECT max(year) FROM goal_fulfilment").fetchone()[0]
    reports = run("reporting_year", year=year, lan="", kommun="", centre="")
    expected = reports["has_self_reflection"].map({True: "Ja", False: "Nej"}).tolist()
    assert set(expected) == {"Ja", "Nej"}
    table = labels.present(reports)
    csv = pd.read_csv(io.BytesIO(export.table_csv(table)), sep=";", encoding="utf-8-sig", dtype=str)
    sheet = openpyxl.load_workbook(io.BytesIO(export.table_excel(table, "Inrapportering", "x", str(year))))["Inrapportering"]
    column = [c.value for c in sheet[1]].index("Självreflektion inlämnad") + 1
    assert labels.text(table)["Självreflektion inlämnad"].tolist() == expected
    assert csv["Självreflektion inlämnad"].tolist() == expected
    assert [sheet.cell(r, column).value for r in range(2, len(reports) + 2)] == expected


def test_a_leaked_figure_in_a_hidden_row_never_reaches_a_download():
    """It blanks a secret figure of a suppressed row even if a query were to carry one."""
    frame = pd.DataFrame({"n": [3, 12], "n_positive": [2, 9], "share_positive": [2 / 3, 0.75],
                          "suppressed": [True, False], "suppression": ["primary", None]})
    table = labels.present(frame)
    csv = pd.read_csv(io.BytesIO(export.table_csv(table)), sep=";", decimal=",", encoding="utf-8-sig")
    assert pd.isna(csv["Andel positiva (%)"][0]) and pd.isna(csv["Antal positiva"][0])
    assert csv["Andel positiva (%)"][1] == 75 and csv["Antal svarande"][0] == 3
    assert labels.text(table)["Andel positiva"].tolist() == [fmt.SUPPRESSED, "75\u00a0%"]


@pytest.mark.parametrize("n, text", [(0, "0 rader"), (1, "1 rad"), (2, "2 rader"), (105843, "105\u00a0843 rader"),
                                     (-1, "-1 rad")])
def test_counts_agree_with_their_noun_and_group_thousands(n, text):
    assert fmt.count(n, "rad", "rader") == text


def test_yes_no_and_thousands():
    assert (fmt.yes_no(True), fmt.yes_no(False), fmt.yes_no(None)) == ("Ja", "Nej", fmt.MISSING)
    assert fmt.number(1234567.25, 1) == "1\u00a0234\u00a0567,2"
