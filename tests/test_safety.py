"""A shared dashboard shows data only as text, exports safely and survives bad databases.

Names that are markup (a Markdown image pointing at a tracker, Streamlit directives, LaTeX, HTML) are
built into a real database and the pages run with AppTest; downloads are opened with openpyxl; FC_DB is
pointed at garbage, text, a directory, nothing and a damaged generation."""
from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

import hostile_names
from conftest import ROOT
from fc import db, export, safe
from fc.report import centre as centre_report
from fc.report import county as county_report

WJ = safe.WORD_JOINER
PORT = 8699
YEAR = hostile_names.YEAR


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    names = hostile_names.build_db(root / "source", root / "fc.duckdb", PORT)
    return root / "fc.duckdb", names


@pytest.fixture
def hostile_db(hostile, monkeypatch):
    monkeypatch.setenv("FC_DB", str(hostile[0]))
    return hostile


def label(name: str) -> str:
    """The centre's label in the sidebar and in a shared link (see fc/queries/filter_units.sql)."""
    return f"{name} – {hostile_names.KOMMUN}"


def title(name: str) -> str:
    """The centre's name in headings (see fc/queries/filter_units.sql)."""
    return f"{name}, {hostile_names.KOMMUN}"


def open_page(page: str, name: str, part: str | None = None) -> AppTest:
    """Open app.py on a link that selects the centre `name` (as a shared link would), then the page (its `part`)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"ar": str(YEAR), "lan": hostile_names.LAN, "kommun": hostile_names.KOMMUN,
                            "fc": label(name)} | ({"del": part} if part else {}))
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    assert at.session_state["scope"].unit_name == title(name), "the centre was not selected"
    return at


def nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def markdown_texts(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown: bodies, labels, tooltips, radio options."""
    texts = []
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or type(node).__name__ in ("Selectbox", "Dataframe", "PlotlyChart", "Text", "Code"):
            continue  # selectbox options, tables, charts and st.text are not Markdown
        for field in ("body", "label", "help"):
            value = getattr(proto, field, None)
            if isinstance(value, str) and value:
                texts.append(value)
        if type(node).__name__ == "Radio":
            texts.extend(proto.options)
    return texts


def figures(at: AppTest) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


# --- the helpers themselves, against hand-written expectations --------------------------------------------

def test_md_escapes_every_markdown_construct_streamlit_interprets():
    assert safe.md("![spår](http://127.0.0.1:8699/track.png)") == (
        r"\!\[spår\]\(http\:" + WJ + r"\/\/127\.0\.0\.1\:8699\/track\.png\)")
    assert safe.md(":red[röd] **fet** $x^2$ <b>html</b>") == (
        r"\:red\[röd\] \*\*fet\*\* \$x\^2\$ \<b\>html\<\/b\>")
    # Shortcodes, typography and autolinks are replaced in parsed text, after backslash escapes are gone.
    assert safe.md(":smile: a -> b www.x.se a@b.se") == (
        r"\:" + WJ + r"smile\: a \-" + WJ + r"\> b www" + WJ + r"\.x\.se a" + WJ + r"\@b\.se")
    assert safe.md("Norr/Söder [1]:*?\n# rubrik") == r"Norr\/Söder \[1\]\:\*\? \# rubrik"
    assert safe.md(None) == ""


def test_plot_and_mpl_neutralise_html_and_mathtext():
    assert safe.plot('<a href="x">&</a>') == '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    assert safe.mpl(r"$\fel$ kr") == r"\$\fel\$ kr"


# --- pages ------------------------------------------------------------------------------------------------

def assert_shown_as_text(at: AppTest, raw: str) -> None:
    texts = markdown_texts(at)
    assert not [t for t in texts if raw in t], "a name reached Markdown unescaped"
    assert any(safe.md(raw) in t for t in texts), "the name is not on the page"


def test_familjecentral_titles_every_hostile_centre_literally(hostile_db):
    _, names = hostile_db
    at = open_page("familjecentral", names["H1"])
    # What the browser gets: every punctuation character escaped, so the title reads as the name itself.
    assert at.title[0].value.startswith("Familjecentral – " + r"\!\[spår\]\(http\:" + WJ
                                        + rf"\/\/127\.0\.0\.1\:{PORT}\/track\.png\)\,")
    for name in names.values():
        at = open_page("familjecentral", name)
        assert at.title[0].value == f"Familjecentral – {safe.md(title(name))} {YEAR}"
        assert_shown_as_text(at, name)
        assert any(e.label.startswith("Visa siffror: Måluppfyllelse " + safe.md(name)) for e in at.expander)
        for spec in figures(at):
            assert "<b>html</b>" not in spec and "<img" not in spec
    at = open_page("familjecentral", names["H2"])
    locator = json.loads(figures(at)[0])
    # The chosen centre is its own named layer of the map, its name escaped for plotly's HTML-ish labels.
    assert ":red[röd] **fet** $x^2$ &lt;b&gt;html&lt;/b&gt;" in [trace.get("name") for trace in locator["data"]]


@pytest.mark.parametrize("page,centre,part", [
    ("oversikt", "H1", None), ("maluppfyllelse", "H2", None), ("maluppfyllelse", "H2", "Familjecentraler"),
    ("maluppfyllelse", "H2", "Utveckling"), ("sjalvreflektion", "H4", None), ("sjalvreflektion", "H4", "Områden"),
    ("rapporter", "H3", None), ("maluppfyllelse", "H4", None)])
def test_pages_show_a_hostile_centre_as_text(hostile_db, page, centre, part):
    _, names = hostile_db
    at = open_page(page, names[centre], part)
    assert_shown_as_text(at, title(names[centre]))
    assert figures(at) or page == "rapporter"
    for spec in figures(at):
        for raw in ("<b>html</b>", "<img", "<i>i</i>"):
            assert raw not in spec
    if page == "maluppfyllelse" and part is None:
        legend = [trace["name"] for trace in json.loads(figures(at)[0])["data"]]
        assert safe.plot(names[centre]) in legend


def test_sjalvreflektion_shows_a_markup_area_as_text(hostile_db):
    at = open_page("sjalvreflektion", hostile_db[1]["H1"], part="Områden")
    proposal = next(i.value for i in at.info if i.value.startswith("**Förslag"))
    assert f"**{safe.md(hostile_names.AREA)}**" in proposal
    assert hostile_names.AREA not in proposal
    profile = json.loads(figures(at)[0])
    assert safe.plot(hostile_names.AREA) in profile["data"][0]["y"]


# --- downloads --------------------------------------------------------------------------------------------

def test_excel_download_with_forbidden_sheet_characters_opens_with_every_sheet(hostile_db):
    _, names = hostile_db
    frame = pd.DataFrame({"namn": list(names.values()), "n": range(len(names))})
    sheets = {f"Fakta {name}": frame for name in names.values()}
    sheets["Fakta " + names["H3"] + " "] = frame  # cut to 31 characters it repeats an earlier name
    book = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(sheets, demo=True)))
    assert len(book.sheetnames) == len(sheets) + 1
    assert book.sheetnames[0] == export.DEMO_SHEET
    assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)
    for sheet in book.sheetnames[1:]:
        assert len(sheet) <= 31 and not set(sheet) & set("[]:*?/\\")
        assert [c.value for c in book[sheet]["A"]][1:] == list(names.values())


def test_reports_of_a_hostile_centre_and_county_build_and_open(hostile_db):
    path, names = hostile_db
    query = db.plain_runner(path)
    report = centre_report.build(query, hostile_names.ID("H3"), YEAR)  # its areas chart holds `$\fel$`, which mathtext cannot draw
    text = "\n".join(p.text for p in Document(io.BytesIO(report.bytes())).paragraphs)
    assert names["H3"] in text
    book = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(report.sheets)))
    assert len(book.sheetnames) == len(report.sheets)
    county = county_report.build(query, "12", YEAR)
    assert Document(io.BytesIO(county.bytes())).paragraphs


def test_categorical_text_and_headers_are_neutralised_in_csv_and_excel():
    con = duckdb.connect()
    con.execute("CREATE TYPE kind AS ENUM ('=cmd|'' /C calc''!A0', 'vanlig', '+1', '@SUM(A1)')")
    frame = con.execute("""SELECT k::kind AS kind, 1.5 AS share, '-2'::VARCHAR AS text, 7 AS "=header"
                           FROM (VALUES ('=cmd|'' /C calc''!A0'), ('vanlig'), ('+1'), ('@SUM(A1)')) t(k)""").df()
    assert isinstance(frame["kind"].dtype, pd.CategoricalDtype)
    expected = ["'=cmd|' /C calc'!A0", "vanlig", "'+1", "'@SUM(A1)"]

    csv = pd.read_csv(io.BytesIO(export.csv_bytes(frame)), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(csv.columns) == ["kind", "share", "text", "'=header"]
    assert list(csv["kind"]) == expected and set(csv["text"]) == {"'-2"} and set(csv["share"]) == {"1,5"}

    sheet = openpyxl.load_workbook(io.BytesIO(export.excel_bytes({"data": frame}))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["kind", "share", "text", "'=header"]
    assert [r[0] for r in rows[1:]] == expected and {r[1] for r in rows[1:]} == {1.5}


# --- a missing or damaged database ------------------------------------------------------------------------

def everything(at: AppTest) -> str:
    return "\n".join(str(getattr(n, "proto", "")) for n in nodes(at._tree))


def break_database(kind: str, path: Path, source: Path) -> None:
    if kind == "garbage":
        path.write_bytes(os.urandom(200_000))
    elif kind == "text":
        path.write_text("centre_id;name\nA1;Familjecentralen\n" * 200, encoding="utf-8")
    elif kind == "directory":
        path.mkdir()
    elif kind == "damaged generation":
        hostile_names.build_db(source, path, PORT)
        generation = Path(os.path.realpath(path))
        os.truncate(generation, generation.stat().st_size // 2)


@pytest.mark.parametrize("kind", ["garbage", "text", "directory", "missing", "damaged generation"])
def test_a_bad_database_shows_what_to_do_and_recovers_when_a_good_one_is_published(tmp_path, monkeypatch, kind):
    path = tmp_path / "data" / "fc.duckdb"
    path.parent.mkdir()
    break_database(kind, path, tmp_path / "source")
    monkeypatch.setenv("FC_DB", str(path))
    for page in ("oversikt", "familjecentral", "maluppfyllelse"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        if page != "oversikt":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
        assert [e.value for e in at.error] and at.error[0].value.startswith("**Databasen kan inte läsas just nu.**")
        shown = everything(at)
        assert str(tmp_path) not in shown and "Traceback" not in shown and "duckdb" not in shown.lower()

    # Publish a good database at the same path (as `python -m etl build --db` does); the next run works.
    if kind == "directory":
        path.rmdir()
    hostile_names.build_db(tmp_path / "source", path, PORT)
    at.run()
    assert not at.exception, at.exception
    assert not at.error
    at.switch_page("pages/oversikt.py").run()
    assert at.title[0].value == f"Översikt – Riket {YEAR}"


# --- one run, one generation ------------------------------------------------------------------------------

def run_across_a_publish(db_file: str, other: str) -> None:
    """Counts centres, lets a build publish another generation mid-run, then counts again."""
    import os
    from pathlib import Path

    import streamlit as st

    from etl.build import publish
    from fc import db

    db.pin()
    before = len(db.query("centre_choices", lan="", kommun=""))
    if os.path.realpath(db_file) != other:
        publish(Path(db_file), Path(other))
    after = len(db.query("centre_choices", lan="", kommun=""))
    st.text(f"{before} {after}")


def test_one_run_reads_one_generation_even_when_a_build_publishes_mid_run(tmp_path, monkeypatch):
    path = tmp_path / "fc.duckdb"
    hostile_names.build_db(tmp_path / "small", path, PORT)  # five centres
    small = os.path.realpath(path)
    source = tmp_path / "large"
    shutil.copytree(tmp_path / "small", source)
    with open(source / "centres.csv", "a", encoding="utf-8") as f:
        f.write(f"{hostile_names.ID('N2')},Familjecentralen Väst,1280,1,1,1,1,2015,,55.6,13.0\n")
    from etl.build import build
    build(source, path, today=hostile_names.TODAY)  # six centres
    large = os.path.realpath(path)
    os.replace(path, tmp_path / "old-link")
    os.symlink(small, path)  # the page starts on the five-centre generation

    monkeypatch.setenv("FC_DB", str(path))
    at = AppTest.from_function(run_across_a_publish, args=(str(path), large), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.text[0].value == "5 5"  # the whole run read the generation it started on
    at.run()
    assert at.text[0].value == "6 6"  # the next run reads the new one
