"""Shared fixtures: write a small source folder as users export it, run the real build, query the views."""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.build import build  # noqa: E402

ITEMS_CSV = ROOT / "data" / "catalogues" / "survey_items.csv"


def survey_items() -> list[tuple[str, int]]:
    with open(ITEMS_CSV, encoding="utf-8") as f:
        return [(r["item"], int(r["goal"])) for r in csv.DictReader(f)]


def csv_text(header: list[str], rows: list[list], sep: str = ",", decimal: str = ".") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else str(v).replace(".", decimal) if isinstance(v, float) else v for v in row])
    return out.getvalue()


def write_csv(folder: Path, name: str, header: list[str], rows: list[list], sep: str = ",",
              encoding: str = "utf-8", decimal: str = ".") -> Path:
    path = folder / name
    path.write_bytes(csv_text(header, rows, sep, decimal).encode(encoding))
    return path


CENTRE_HEADER = ["centre_id", "name", "kommun_code", "mhv", "bhv", "open_preschool", "social_services",
                 "opened", "closed", "lat", "lon"]


def centre_row(cid, kommun, legs=(1, 1, 1, 1), opened="", closed="", name=None, lat="", lon=""):
    return [cid, name or f"Familjecentralen {cid}", kommun, *legs, opened, closed, lat, lon]


def survey_header() -> list[str]:
    return ["response_id", "centre_id", "year", "gender", "language", *[i for i, _ in survey_items()]]


@pytest.fixture
def source(tmp_path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    return folder


@pytest.fixture
def built(tmp_path):
    """Build `source` into a database and return a read-only connection to it."""
    connections = []

    def run(folder: Path, today: dt.date | None = None) -> duckdb.DuckDBPyConnection:
        db = tmp_path / "out" / "fc.duckdb"
        build(folder, db, today=today)
        con = duckdb.connect(str(db), read_only=True)
        connections.append(con)
        return con

    yield run
    for con in connections:
        con.close()


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory) -> Path:
    """The generated demo dataset (CSV files), for tests that compute expectations from raw rows."""
    from etl import demo

    folder = tmp_path_factory.mktemp("demo_source")
    demo.generate(folder, scale="demo")
    return folder


@pytest.fixture(scope="session")
def demo_db(demo_source, tmp_path_factory) -> Path:
    """A database built by the real build from the demo dataset."""
    db = tmp_path_factory.mktemp("demo_db") / "fc.duckdb"
    build(demo_source, db)
    return db


@pytest.fixture
def app_db(demo_db, monkeypatch) -> Path:
    """Point the dashboard (FC_DB) at the demo test database."""
    monkeypatch.setenv("FC_DB", str(demo_db))
    return demo_db


def open_page(page: str, timeout: int = 60, part: str | None = None, **params):
    """Open app.py with the filters in the URL (as a shared link would), then switch to the page.

    `part`: the page part (tab, `?del=`) to open; only the open part is built."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params.update(params | ({"del": part} if part else {}))
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def every_part(page: str, timeout: int = 60, **params) -> dict:
    """The page opened on each of its parts (tabs): {label: AppTest}."""
    first = open_page(page, timeout, **params)
    labels = [tab.label for tab in first.tabs]
    return {label: first if i == 0 else open_page(page, timeout, part=label, **params)
            for i, label in enumerate(labels)} if labels else {"": first}


def open_figures(at, key: str):
    """Open a chart's "Visa siffror" (its table is built only when opened)."""
    at.session_state[f"{key}_figures"] = True
    at.run()
    assert not at.exception, at.exception
    return at
