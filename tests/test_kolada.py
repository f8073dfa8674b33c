"""`python -m etl kolada`: recorded Kolada API v3 answers (tests/data/kolada/*.json) served on 127.0.0.1.

The fixtures are the bundled open-preschool file's 2021–2022 values as Kolada answers them (N24012 in three
pages, N24013 in two, a national '0000' row that is not a municipality, empty source cells absent). A scenario
folder overrides single pages: `missing_kommun` (Nordanstig, 2584, gone from N24013), `short_page` (a page
holding fewer values than its count); `missing_page` makes the server fail N24012's second page.
"""
from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from conftest import ROOT
from etl import kolada
from etl.__main__ import main

FIXTURES = ROOT / "tests" / "data" / "kolada"
NAME = "oppen_forskola_familjecentral_kommun.csv"


class Kolada(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        scenario, version, _data, _kpi, kpi, _year, _years = url.path.strip("/").split("/")
        page = int(urllib.parse.parse_qs(url.query).get("page", ["1"])[0])
        self.requests.append(f"{kpi} {_years} p{page}")
        path = FIXTURES / scenario / f"{kpi}_p{page}.json"
        path = path if path.exists() else FIXTURES / f"{kpi}_p{page}.json"
        if (scenario == "missing_page" and kpi == "N24012" and page == 2) or not path.exists():
            self.send_error(404)
            return
        base = f"http://127.0.0.1:{self.server.server_port}/{scenario}/{version}"
        body = path.read_text(encoding="utf-8").replace("{base}", base).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Kolada)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def out(tmp_path):
    """An output folder holding yesterday's file, which a refused refresh must leave as it was."""
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / NAME).write_text("kommun_kod,ar,oppna_forskolor_totalt,oppna_forskolor_i_familjecentral\n0114,2020,1,1\n")
    return folder


def snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def bundled(years) -> pd.DataFrame:
    frame = pd.read_csv(ROOT / "data" / "reference" / NAME, dtype={"kommun_kod": str})
    return frame[frame["ar"].isin(years)].reset_index(drop=True)


def test_pages_are_followed_and_the_file_equals_the_bundled_layout(server, out, monkeypatch, capsys):
    monkeypatch.setenv(kolada.BASE_ENV, f"{server}/complete/v3")
    Kolada.requests.clear()
    assert main(["kolada", "--kpi", "N24013,N24012", "--out", str(out), "--years", "2021-2022"]) == 0
    assert sorted(Kolada.requests) == ["N24012 2021,2022 p1", "N24012 2021,2022 p2", "N24012 2021,2022 p3",
                                       "N24013 2021,2022 p1", "N24013 2021,2022 p2"]
    written = pd.read_csv(out / NAME, dtype={"kommun_kod": str})
    pd.testing.assert_frame_equal(written, bundled([2021, 2022]), check_dtype=False)
    assert len(written) == 2 * 290 and written["oppna_forskolor_i_familjecentral"].isna().sum() == 290 - 175
    provenance = json.loads((out / f"{NAME}.kolada.json").read_text(encoding="utf-8"))
    assert provenance["källa"].startswith("Källa: Kolada")
    assert provenance["hämtad"] and provenance["år"] == [2021, 2022] and provenance["rader"] == 580
    assert len(provenance["urls"]) == 5 and all(u.startswith(server) for u in provenance["urls"])
    assert "Källa: Kolada" in capsys.readouterr().out
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("scenario, reason", [
    ("missing_page", "404"),
    ("missing_kommun", "1 kommuner saknas"),
    ("short_page", "ofullständigt (450 värden av 467)"),
])
def test_a_partial_answer_is_refused_and_nothing_is_written(server, out, scenario, reason, capsys):
    before = snapshot(out)
    code = main(["kolada", "--kpi", "N24013,N24012", "--out", str(out), "--years", "2021,2022",
                 "--base-url", f"{server}/{scenario}/v3"])
    assert code == 1
    err = capsys.readouterr().err
    assert reason in err and "Inga filer har ändrats" in err
    assert snapshot(out) == before


def test_offline_says_so_in_swedish_and_changes_nothing(out, capsys):
    with socket.socket() as s:  # a port on this machine that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = snapshot(out)
    code = main(["kolada", "--kpi", "N24013,N24012", "--out", str(out), "--base-url", f"http://127.0.0.1:{port}/v3"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Kolada kunde inte nås" in err and "offline" in err and "Inga filer har ändrats" in err
    assert snapshot(out) == before


def test_years_go_25_a_request_and_a_file_brings_all_its_kpis():
    chunks = kolada.year_chunks(list(range(2000, 2031)))
    assert [len(c) for c in chunks] == [25, 6] and chunks[1][0] == 2025
    assert kolada.parse_years("2007-2009,2015") == [2007, 2008, 2009, 2015]
    assert kolada.files_for(["N01952"]) == ["barn_0_5_kommun.csv"]
    assert set(kolada.FILES["barn_0_5_kommun.csv"].values()) == {"N01952", "N01926", "N01951"}
