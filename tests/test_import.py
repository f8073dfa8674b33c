"""Import: files are checked with the build's code, earlier versions are kept, and open sessions move to the new data."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from conftest import CENTRE_HEADER, ROOT, centre_row, csv_text, write_csv
from etl.build import build
from fc import importer

ACTIVITY = ["centre_id", "year", "visits"]


@pytest.fixture
def deployment(tmp_path, monkeypatch):
    """A real (non-demo) source folder and its database, with the dashboard pointed at both."""
    source = tmp_path / "source"
    source.mkdir()
    write_csv(source, "centres.csv", CENTRE_HEADER,
              [centre_row("C1", "0180"), centre_row("C2", "0180", legs=(0, 1, 1, 0)), centre_row("C3", "1480")])
    write_csv(source, "activity.csv", ACTIVITY, [["C1", 2024, 100]])
    db = tmp_path / "db" / "fc.duckdb"
    build(source, db)
    monkeypatch.setenv("FC_DB", str(db))
    monkeypatch.setenv("FC_SOURCE", str(source))
    return source, db


def test_check_reports_rows_to_load_rejects_and_refusals_without_touching_anything(deployment):
    source, db = deployment
    before = (source / "activity.csv").read_bytes(), db.resolve()
    uploads = {
        "activity_2025.csv": csv_text(ACTIVITY, [["C1", 2025, 10], ["NOPE", 2025, 5], ["C2", 2025, -1]]).encode(),
        "parent_survey_2025.csv": b"response_id,centre_id\nr1,C1\n",
        "budget.csv": b"a,b\n1,2\n",
    }
    results = {r.name: r for r in importer.check(uploads, source, today=dt.date(2025, 12, 1))}
    activity = results["activity_2025.csv"]
    assert (activity.kind, activity.refused, activity.rows_read, activity.rows_loaded) == ("activity", None, 3, 1)
    assert list(activity.rejects["rad"]) == [3, 4]
    assert "year" in results["parent_survey_2025.csv"].refused
    assert "filnamnet" in results["budget.csv"].refused
    assert ((source / "activity.csv").read_bytes(), db.resolve()) == before
    assert sorted(p.name for p in source.iterdir()) == ["activity.csv", "centres.csv"]


def test_accept_keeps_the_earlier_file_of_the_same_name(deployment):
    source, _ = deployment
    old = (source / "activity.csv").read_bytes()
    new = csv_text(ACTIVITY, [["C1", 2024, 999]]).encode()
    archived = importer.accept({"activity.csv": new}, source)
    assert (source / "activity.csv").read_bytes() == new
    assert len(archived) == 1 and archived[0].parent.name == "arkiv" and archived[0].read_bytes() == old


def open_import_page(secrets: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets.update(secrets)
    at.run()
    at.switch_page("pages/importera.py").run()
    assert not at.exception, at.exception
    return at


def test_real_data_without_configured_access_refuses_uploads(deployment):
    at = open_import_page({})
    assert "kräver inloggning" in at.error[0].value
    assert len(at.get("file_uploader")) == 0


def test_upload_with_admin_password_then_accept_rebuilds_the_database(deployment):
    source, db = deployment
    generation = db.resolve()
    at = open_import_page({"admin_password": "hemligt"})
    assert len(at.get("file_uploader")) == 0
    at.text_input(key="import_password").set_value("fel").run()
    assert at.error[0].value == "Fel lösenord."
    at.text_input(key="import_password").set_value("hemligt").run()
    content = csv_text(ACTIVITY, [["C1", 2025, 10], ["C9", 2025, 5]]).encode()
    at.get("file_uploader")[0].set_value([("activity_2025.csv", content, "text/csv")]).run()
    assert not at.exception, at.exception
    assert any("1 rader läses in, 1 rader avvisas." in m.value for m in at.markdown)
    at.button(key="import_accept").click().run()
    assert not at.exception, at.exception
    assert "Databasen är ombyggd" in at.success[0].value
    assert db.resolve() != generation
    assert (source / "activity_2025.csv").read_bytes() == content


def test_an_open_session_moves_to_the_new_database_on_its_next_run(deployment):
    source, db = deployment
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ar"] = str(dt.date.today().year)
    at.run()
    fc_before = next(m.value for m in at.metric if m.label.startswith("Familjecentraler"))
    write_csv(source, "centres.csv", CENTRE_HEADER,
              [centre_row("C1", "0180"), centre_row("C2", "0180"), centre_row("C3", "1480"), centre_row("C4", "2580")])
    old_generation = db.resolve()
    build(source, db)
    at.run()
    fc_after = next(m.value for m in at.metric if m.label.startswith("Familjecentraler"))
    assert (fc_before, fc_after) == ("2", "4")
    assert old_generation.exists()  # still readable by sessions that have it open
