"""Import: forged names, bounded input, checks with the build's code, atomic accept, demo preview only."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import CENTRE_HEADER, ROOT, centre_row, csv_text, write_csv
from etl.build import build
from etl.sources import kind_of
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


def snapshot(root: Path) -> dict[str, str]:
    """Every path below `root` (links as their target, files by content digest): byte-identical or not."""
    out = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            out[key] = "-> " + os.readlink(path)
        elif path.is_file():
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[key] = "dir"
    return out


def state(source: Path, db: Path) -> tuple:
    """The source folder and the database in use, byte for byte."""
    return snapshot(source), os.readlink(db), hashlib.sha256(db.resolve().read_bytes()).hexdigest()


def activity(rows) -> bytes:
    return csv_text(ACTIVITY, rows).encode()


def test_check_reports_rows_to_load_rejects_and_refusals_without_touching_anything(deployment, tmp_path):
    source, db = deployment
    before = snapshot(tmp_path)
    uploads = importer.receive([
        ("activity_2025.csv", activity([["C1", 2025, 10], ["NOPE", 2025, 5], ["C2", 2025, -1]])),
        ("parent_survey_2025.csv", b"response_id,centre_id\nr1,C1\n"),
        ("budget.csv", b"a,b\n1,2\n"),
    ], source)
    results = {r.name: r for r in importer.check(uploads, source, today=dt.date(2025, 12, 1))}
    checked = results["activity_2025.csv"]
    assert (checked.kind, checked.refused, checked.rows_read, checked.rows_loaded) == ("activity", None, 3, 1)
    assert list(checked.rejects["rad"]) == [3, 4]
    assert "year" in results["parent_survey_2025.csv"].refused
    assert "filnamnet" in results["budget.csv"].refused
    assert snapshot(tmp_path) == before


FORGED = {
    "relative": "../../x/centres_a.csv",
    "deep relative": "../../../../tmp/x/centres_evil.csv",
    "windows": "..\\..\\centres_win.csv",
    "nul": "centres_\x00evil.csv",
    "control": "centres_\n\r\x1b[31m\u202eevil.csv",
    "long": "centres_" + "a" * 292 + ".csv",
}


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED.keys())
def test_a_forged_name_is_shown_cleaned_and_the_file_is_stored_under_a_generated_name(deployment, tmp_path, forged):
    source, db = deployment
    outside = snapshot(tmp_path)
    [upload] = importer.receive([(forged, b"centre_id,name,kommun_code,mhv,bhv,open_preschool,social_services\n"
                                          b"C9,Ny,2580,1,1,1,1\n")], source)
    assert "/" not in upload.name and "\\" not in upload.name and "\x00" not in upload.name
    assert all(c.isprintable() for c in upload.name) and len(upload.name) <= importer.MAX_NAME
    assert upload.kind == "centres" and upload.refused is None
    assert upload.stored.startswith("centres_upload_") and kind_of(Path(upload.stored)).name == "centres"
    [checked] = importer.check([upload], source)
    assert (checked.refused, checked.rows_loaded) == (None, 1)
    assert snapshot(tmp_path) == outside  # the preview wrote nothing anywhere under the deployment
    importer.accept([upload], source, db)
    added = set(snapshot(tmp_path)) - set(outside)
    assert added == {f"source/{upload.stored}"} | {p for p in added if p.startswith("db/")}
    assert sorted(p.name for p in source.iterdir()) == sorted(["activity.csv", "centres.csv", upload.stored])


def test_an_absolute_name_of_an_existing_file_never_touches_that_file(deployment, tmp_path):
    source, db = deployment
    victim = tmp_path / "elsewhere" / "centres.csv"
    victim.parent.mkdir()
    victim.write_bytes(b"do not touch")
    [upload] = importer.receive([(str(victim), (source / "centres.csv").read_bytes())], source)
    assert upload.name == "centres.csv" and upload.replaces == "centres.csv"  # replaces the source's own file
    importer.accept([upload], source, db)
    assert victim.read_bytes() == b"do not touch" and list(victim.parent.iterdir()) == [victim]
    assert [p.parent.name for p in (source / "arkiv").iterdir()] == ["arkiv"]


def test_huge_files_are_refused_before_parsing(deployment):
    source, _ = deployment
    wide = ",".join(f"c{i}" for i in range(10**6)).encode() + b"\n1\n"
    wide_short = b"centre_id,year," + b",".join(b"x" for _ in range(importer.MAX_COLUMNS)) + b"\n"
    oversize = b"centre_id,year\n" + b"C1,2025\n" * (importer.MAX_BYTES // 8)
    long_line = b"centre_id,year\nC1," + b"9" * (importer.MAX_LINE_BYTES + 1) + b"\n"
    hidden_header = b"\n" * 300_000 + wide_short
    started = time.monotonic()
    uploads = importer.receive([("activity_wide.csv", wide), ("activity_cols.csv", wide_short),
                                ("activity_big.csv", oversize), ("activity_long.csv", long_line),
                                ("activity_blank.csv", hidden_header)], source)
    results = importer.check(uploads, source)
    assert time.monotonic() - started < 10
    refused = [r.refused for r in results]
    assert "rad 1" in refused[0] and "byte" in refused[0]
    assert "kolumner" in refused[1] and str(importer.MAX_COLUMNS) in refused[1]
    assert "MB" in refused[2]
    assert "rad 2" in refused[3]
    assert "kolumner" in refused[4]
    assert all(r.rows_read == 0 for r in results)


def test_too_many_files_and_too_much_in_total_are_refused(deployment):
    source, _ = deployment
    files = [(f"activity_{i}.csv", activity([["C1", 2025, i]])) for i in range(importer.MAX_FILES + 1)]
    uploads = importer.receive(files, source)
    assert [u.refused is None for u in uploads] == [True] * importer.MAX_FILES + [False]
    assert len({u.stored for u in uploads[:-1]}) == importer.MAX_FILES


def test_accept_replaces_the_chosen_file_and_keeps_the_earlier_version(deployment):
    source, db = deployment
    old = (source / "activity.csv").read_bytes()
    new = activity([["C1", 2024, 999]])
    [upload] = importer.receive([("activity.csv", new)], source)
    assert upload.replaces == "activity.csv" and upload.stored != "activity.csv"
    done = importer.accept([upload], source, db)
    assert (source / upload.stored).read_bytes() == new and not (source / "activity.csv").exists()
    [kept] = (source / "arkiv").iterdir()
    assert kept.read_bytes() == old and done.archived == [kept.name]
    loaded = {f["source_file"]: f["rows_loaded"] for f in done.result.files}
    assert loaded[upload.stored] == 1 and "activity.csv" not in loaded


def test_a_failing_build_leaves_source_and_database_byte_identical(deployment):
    source, db = deployment
    # Checked as fine, then the source changes before accepting: the build refuses the mix.
    [upload] = importer.receive([("activity.csv", activity([["C1", 2025, 5]]))], source)
    write_csv(source, "centres.csv", ["centre_id", "name"], [["C1", "x"]])
    before = state(source, db)
    with pytest.raises(importer.BuildFailed):
        importer.accept([upload], source, db)
    assert state(source, db) == before


def test_a_failure_after_the_build_published_rolls_back_files_and_database(deployment):
    source, db = deployment
    [upload] = importer.receive([("activity.csv", activity([["C1", 2024, 5]]))], source)
    assert upload.replaces == "activity.csv"
    before = state(source, db)

    def occupy_target(share, text):
        # Another writer takes the upload's name while the build runs: moving it in must fail.
        if share >= 0.95:
            (source / upload.stored).mkdir()

    with pytest.raises(importer.ImportFailed):
        importer.accept([upload], source, db, progress=occupy_target)
    (source / upload.stored).rmdir()
    assert state(source, db) == before


ACCEPT_IN_A_SMALL_DISK = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from fc import importer
    source, db, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    uploads = importer.receive([("activity.csv", Path(sys.argv[4]).read_bytes())], source)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        importer.accept(uploads, source, db)
    except importer.ImportFailed as failed:
        print(failed)
        sys.exit(2)
""")


@pytest.mark.parametrize("limit", [50_000, 1_500_000], ids=["upload does not fit", "database does not fit"])
def test_a_full_disk_during_accept_leaves_source_and_database_byte_identical(deployment, tmp_path, limit):
    source, db = deployment
    assert db.resolve().stat().st_size > 1_500_000  # the build must run into the limit
    content = tmp_path / "upload.csv"
    content.write_bytes(activity([["C1", 2024, 7]] + [["C9", 2024, i] for i in range(10_000)]))
    assert content.stat().st_size > 50_000
    before = state(source, db)
    proc = subprocess.run([sys.executable, "-c", ACCEPT_IN_A_SMALL_DISK.format(root=str(ROOT)), str(source), str(db),
                           str(limit), str(content)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "Inget har ändrats" in proc.stdout and "Traceback" not in proc.stdout
    assert str(source) not in proc.stdout and str(db) not in proc.stdout
    assert state(source, db) == before
    assert [p for p in db.parent.glob(".fc.duckdb.gen/*") if ".part" in p.name] == []


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
    content = activity([["C1", 2025, 10], ["C9", 2025, 5]])
    at.get("file_uploader")[0].set_value([("activity_2025.csv", content, "text/csv")]).run()
    assert not at.exception, at.exception
    assert any("1 rad läses in, 1 rad avvisas." in m.value for m in at.markdown)
    at.button(key="import_accept").click().run()
    assert not at.exception, at.exception
    assert "Databasen är ombyggd" in at.success[0].value
    assert db.resolve() != generation
    [stored] = [p for p in source.iterdir() if p.name.startswith("activity_upload_")]
    assert stored.read_bytes() == content


def test_names_are_shown_as_text_never_as_markdown(deployment):
    at = open_import_page({"admin_password": "hemligt"})
    at.text_input(key="import_password").set_value("hemligt").run()
    names = ["centres_**fet**.csv", "activity_![a](http:__e_x.png).csv"]
    at.get("file_uploader")[0].set_value([(n, b"x\n", "text/csv") for n in names]).run()
    assert not at.exception, at.exception
    shown = [t.value for t in at.text]
    assert "centres_**fet**.csv – familjecentralsregister" in shown
    assert "activity_![a](http:__e_x.png).csv – verksamhetsstatistik" in shown
    assert not any("fet" in m.value or "http" in m.value for m in at.markdown)


def test_an_unexpected_error_shows_a_short_swedish_message(deployment, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "source.txt"
    not_a_folder.write_text("x")
    monkeypatch.setenv("FC_SOURCE", str(not_a_folder))
    at = open_import_page({"admin_password": "hemligt"})
    at.text_input(key="import_password").set_value("hemligt").run()
    at.get("file_uploader")[0].set_value([("activity_2025.csv", activity([["C1", 2025, 1]]), "text/csv")]).run()
    assert not at.exception
    assert at.error[0].value.startswith("Något gick fel på sidan Importera")
    assert str(tmp_path) not in at.error[0].value


def test_open_demo_previews_uploads_but_never_accepts(demo_source, demo_db, tmp_path, monkeypatch):
    source, db = tmp_path / "demo", tmp_path / "db" / "fc.duckdb"
    shutil.copytree(demo_source, source)
    build(source, db)
    monkeypatch.setenv("FC_DB", str(db))
    monkeypatch.setenv("FC_SOURCE", str(source))
    before = state(source, db)
    forged = (source / "centres_demo.csv").read_text(encoding="utf-8")
    forged = forged.replace("DEMO-", "SE-").replace(" (fiktiv)", "")
    at = open_import_page({})
    assert "Demoläge" in at.info[0].value and "admin_password" in at.info[0].value
    at.get("file_uploader")[0].set_value([("centres_demo.csv", forged.encode(), "text/csv")]).run()
    assert not at.exception, at.exception
    assert any("rader läses in" in m.value for m in at.markdown)  # the preview runs
    assert len(at.button) == 0 or all(b.key != "import_accept" for b in at.button)
    assert any("inga filer godkännas" in i.value for i in at.info)
    assert state(source, db) == before
