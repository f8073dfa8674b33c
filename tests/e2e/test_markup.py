"""In a real browser, centre names that are markup stay text: an image or link in a name is never fetched
or followed, and the name reads literally. A tiny HTTP server on 127.0.0.1 counts every request the
names could make."""
from __future__ import annotations

import http.server
import threading
import urllib.parse

import pytest

import hostile_names
from fc import safe
from harness import browser, serve, wait_idle  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.e2e
# A 1×1 transparent PNG, so a fetched image would load rather than fail.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


# Elements (HTML or SVG, as plotly draws links) whose href or src points at the counter.
POINTING_AT = """address => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /href|src/.test(a.name) && a.value.includes(address)).map(a => e.tagName + ' ' + a.value))"""


class Counter(http.server.ThreadingHTTPServer):
    """Counts the requests it gets, whatever their path."""

    def __init__(self):
        self.paths: list[str] = []
        counter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                counter.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)

            do_POST = do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def counter():
    server = Counter()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def hostile_server(counter, tmp_path_factory):
    folder = tmp_path_factory.mktemp("markup")
    names = hostile_names.build_db(folder / "source", folder / "db" / "fc.duckdb", counter.server_address[1])
    for url in serve(folder / "source", folder / "db" / "fc.duckdb"):
        yield url, names


def link(name: str) -> str:
    """A shared link that selects the centre (its label in the sidebar is 'name – kommun')."""
    return "?" + urllib.parse.urlencode({"lan": hostile_names.LAN, "kommun": hostile_names.KOMMUN,
                                         "fc": f"{name} – {hostile_names.KOMMUN}"})


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]').replace(safe.WORD_JOINER, "")


@pytest.mark.parametrize("path", ["", "familjecentral", "maluppfyllelse", "tackning"])
def test_markup_in_centre_names_is_never_fetched_and_reads_literally(hostile_server, browser, counter, path):
    url, names = hostile_server
    port = counter.server_address[1]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for key, name in names.items():
        page.goto(f"{url}/{path}{link(name)}")
        wait_idle(page)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_timeout(500)  # time for any image a name smuggled in to be requested
        assert counter.paths == [], f"{key}: the browser fetched {counter.paths}"
        assert page.evaluate(POINTING_AT, f"127.0.0.1:{port}") == [], "a name became a link or an image"
        assert page.locator('[data-testid="stMain"] .katex, .stMarkdownColoredText').count() == 0
        # The sidebar shows the chosen centre's label as plain text.
        chosen = page.get_by_role("combobox", name="Familjecentral").first.input_value()
        assert chosen == f"{name} – {hostile_names.KOMMUN}"
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text().replace(safe.WORD_JOINER, "")
        # Headings name the centre as "name, kommun" and the year (fc/heading.py); Täckning names its county.
        unit = f"{name}, {hostile_names.KOMMUN} {hostile_names.YEAR}"
        if path == "familjecentral":
            assert heading == f"Familjecentral – {unit}"
        elif path == "maluppfyllelse":
            assert heading == f"Måluppfyllelse – {unit}"
        elif path == "":
            assert heading == f"Översikt – {unit}"
            assert f"Föräldrarnas bild av målen – {unit}" in main_text(page)
        else:
            assert heading == f"Täckning – {hostile_names.LAN} {hostile_names.YEAR}"
    assert counter.paths == []
    assert errors == []
    page.close()
