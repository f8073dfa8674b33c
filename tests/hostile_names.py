"""A source folder whose names are markup: Markdown images and links, Streamlit directives, LaTeX, HTML,
spreadsheet-forbidden characters. Shared by the AppTest checks (test_safety.py) and the browser (e2e)."""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from conftest import CENTRE_HEADER, ROOT, centre_row, survey_header, survey_items, write_csv

YEAR = 2025
TODAY = dt.date(2025, 11, 1)
LAN = "Skåne län"
KOMMUN = "Lund"


# Demo centre ids: the dashboard then shows its demo banner, which the browser tests wait for.
ID = "DEMO-{}".format


def names(port: int) -> dict[str, str]:
    """key -> name (the centre id is ID(key)); images and links point at 127.0.0.1:port, where a test counts
    requests."""
    return {
        "H1": f"![spår](http://127.0.0.1:{port}/track.png)",
        "H2": ":red[röd] **fet** $x^2$ <b>html</b>",
        "H3": "Norr/Söder [1]:*? centrum",
        "H4": f'<img src="http://127.0.0.1:{port}/img.png"> [länk](http://127.0.0.1:{port}/link) :smile: -> '
              f'www.exempel.se <a href="http://127.0.0.1:{port}/a">a</a>',
    }


# A self-reflection area that is markup, and whose `$…$` matplotlib cannot draw as mathtext.
AREA = r"Lärande :red[x] $\fel$ <i>i</i>"
PLAIN_AREA = "Lärande"


def write_source(folder: Path, port: int) -> dict[str, str]:
    """Write the hostile source folder (all four centres in Lund, Skåne län); return the centre names."""
    folder.mkdir(parents=True, exist_ok=True)
    centre_names = names(port)
    ids = [ID(key) for key in [*centre_names, "N1"]]
    rows = [centre_row(ID(key), "1281", opened="2015", name=name, lat="55.70", lon="13.19")
            for key, name in centre_names.items()]
    rows.append(centre_row(ID("N1"), "1280", opened="2015", name="Familjecentralen Malmö", lat="55.60", lon="13.00"))
    write_csv(folder, "centres.csv", CENTRE_HEADER, rows)

    rng = random.Random(3)
    items = survey_items()
    survey = [[f"r{year}{i}", cid, year, rng.choice(["kvinna", "man"]), rng.choice(["svenska", "annat"]),
               *[rng.choice([2, 3, 4, 5, 5]) for _ in items]]
              for cid in ids for year in (YEAR - 1, YEAR) for i in range(8)]
    write_csv(folder, "parent_survey.csv", survey_header(), survey)

    with open(ROOT / "data" / "catalogues" / "statements.csv", encoding="utf-8") as f:
        statements = list(csv.DictReader(f))
    for s in statements:
        if s["area"] == PLAIN_AREA:
            s["area"] = AREA
    write_csv(folder, "statements.csv", ["statement_id", "area", "title", "text"],
              [[s["statement_id"], s["area"], s["title"], s["text"]] for s in statements])
    reflection = [[cid, year, s["statement_id"], 1.5 if s["area"] == AREA else 4 + (i % 3) / 2, 6, ""]
                  for cid in ids for year in (YEAR - 1, YEAR) for i, s in enumerate(statements)]
    write_csv(folder, "self_reflection.csv", ["centre_id", "year", "statement_id", "score", "n_staff", "comment"],
              reflection)
    write_csv(folder, "activity.csv", ["centre_id", "year", "visits", "supervision"],
              [[cid, YEAR, 1000, "ja"] for cid in ids])
    return centre_names


def build_db(folder: Path, db: Path, port: int) -> dict[str, str]:
    from etl.build import build

    centre_names = write_source(folder, port)
    build(folder, db, today=TODAY)
    return centre_names
