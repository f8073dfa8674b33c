"""Upload attacks in a real browser: a forged multipart file name, and the open demo's preview-only import.

Each server runs on its own copy of the demo source folder and database (FC_SOURCE, FC_DB), so the
repository's data/ is never touched.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

import pytest

from etl.build import build
from harness import browser, serve, wait_idle  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.e2e


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def deployment(demo_source: Path, folder: Path) -> tuple[Path, Path]:
    source, db = folder / "source", folder / "db" / "fc.duckdb"
    shutil.copytree(demo_source, source)
    build(source, db)
    return source, db


@pytest.fixture(scope="module")
def open_demo(demo_source, tmp_path_factory):
    """The demo as it runs by default: no secrets, so importing is a preview only."""
    source, db = deployment(demo_source, tmp_path_factory.mktemp("open_demo"))
    for url in serve(source, db):
        yield url, source, db


@pytest.fixture(scope="module")
def admin(demo_source, tmp_path_factory):
    """The demo with an admin password: importing may accept and rebuild."""
    folder = tmp_path_factory.mktemp("admin")
    source, db = deployment(demo_source, folder)
    secrets = folder / "secrets.toml"
    secrets.write_text('admin_password = "hemligt-e2e"\n', encoding="utf-8")
    for url in serve(source, db, "--secrets.files", str(secrets)):
        yield url, source, db


def one_new_centre(source: Path) -> bytes:
    header, first = (source / "centres_demo.csv").read_text(encoding="utf-8").splitlines()[:2]
    cells = first.split(header[len("centre_id")])
    cells[0] = "DEMO-9999-99"
    return f"{header}\n{header[len('centre_id')].join(cells)}\n".encode()


def upload_with_forged_name(page, content: bytes, forged: str) -> list[bool]:
    """Choose a file in the browser, and rewrite its name in the multipart request the browser sends."""
    rewritten = []

    def forge(route, request):
        body = request.post_data_buffer or b""
        changed = body.replace(b'filename="centres_evil.csv"', f'filename="{forged}"'.encode(), 1)
        rewritten.append(changed != body)
        route.continue_(post_data=changed)

    page.route("**/_stcore/upload_file/**", forge)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "centres_evil.csv", "mimeType": "text/csv", "buffer": content}])
    page.wait_for_selector('[data-testid="stText"]:has-text("familjecentralsregister")', timeout=60_000)
    wait_idle(page)
    return rewritten


def shown_names(page) -> list[str]:
    return [t.strip() for t in page.locator('[data-testid="stText"]').all_inner_texts()]


def test_open_demo_shows_a_forged_name_cleaned_and_offers_no_accept(open_demo, browser):  # noqa: F811
    url, source, db = open_demo
    before, generation = snapshot(source), os.readlink(db)
    outside = Path("/tmp") / f"fc-e2e-{uuid.uuid4().hex}"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/importera")
    wait_idle(page)
    assert "Demoläge" in page.inner_text("body")
    rewritten = upload_with_forged_name(page, one_new_centre(source), f"../../../..{outside}/centres_**evil**.csv")
    assert rewritten and all(rewritten)
    assert "centres_**evil**.csv – familjecentralsregister" in shown_names(page)
    assert "../" not in page.inner_text('[data-testid="stMain"]')
    assert "1 rad läses in" in page.inner_text("body")  # the preview ran on the uploaded file
    assert page.get_by_role("button", name="Godkänn och läs in").count() == 0
    assert "inga filer godkännas" in page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
    assert not outside.exists()
    assert snapshot(source) == before and os.readlink(db) == generation


def test_a_forged_name_is_stored_under_a_generated_name_inside_the_source_folder(admin, browser):  # noqa: F811
    url, source, db = admin
    generation = os.readlink(db)
    outside = Path("/tmp") / f"fc-e2e-{uuid.uuid4().hex}"
    content = one_new_centre(source)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/importera")
    wait_idle(page)
    password = page.get_by_label("Administratörslösenord")
    password.fill("hemligt-e2e")
    password.press("Enter")
    page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
    rewritten = upload_with_forged_name(page, content, f"../../../..{outside}/centres_evil.csv")
    assert rewritten and all(rewritten)
    assert "centres_evil.csv – familjecentralsregister" in shown_names(page)
    page.get_by_role("button", name="Godkänn och läs in").click()
    page.wait_for_selector("text=Databasen är ombyggd", timeout=120_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
    assert not outside.exists()
    [stored] = [p for p in source.iterdir() if p.name.startswith("centres_upload_")]
    assert stored.read_bytes() == content
    assert os.readlink(db) != generation
