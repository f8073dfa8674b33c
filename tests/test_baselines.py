"""The benchmark's baselines (bench/baseline_*.py) do the build's survey work: the same rejected lines, the same table.

bench/bench_build.py reports the build's time as a ratio to these baselines, so each one is checked here
against the real build on a small source folder with faults of every rule the survey has.
"""
from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from conftest import CENTRE_HEADER, centre_row, survey_header, survey_items, write_csv
from bench import baseline_common, baseline_duckdb, baseline_pandas, baseline_polars

TODAY = dt.date(2026, 6, 1)
BASELINES = {"duckdb": baseline_duckdb, "pandas": baseline_pandas, "polars": baseline_polars}


@pytest.fixture(scope="module")
def faulty_source(tmp_path_factory):
    """Eight centres in five municipalities and three counties, two years, a few hundred answers, 12 % faulted."""
    folder = tmp_path_factory.mktemp("clean")
    kommuner = ["0114", "0180", "0180", "0380", "1280", "1280", "1281", "1281"]
    centres = [f"C{i}" for i in range(len(kommuner))]
    write_csv(folder, "centres.csv", CENTRE_HEADER, [centre_row(c, k) for c, k in zip(centres, kommuner)])
    rng = random.Random(7)
    items = survey_items()
    rows = []
    for year in (2024, 2025):
        for centre in centres:
            for r in range(rng.choice([3, 9, 20, 45])):
                rows.append([f"r{r}", centre, year, rng.choice(["kvinna", "kvinna", "man", "annat", ""]),
                             rng.choice(["svenska", "svenska", "annat", ""]),
                             *[rng.choice(["1", "2", "3", "4", "5", "5", "4", "", "0"]) for _ in items]])
    write_csv(folder, "parent_survey.csv", survey_header(), rows)
    faulty = tmp_path_factory.mktemp("faulty")
    assert baseline_common.inject_faults(folder, faulty, share=0.12, seed=3) > 20
    return faulty


@pytest.fixture(scope="module")
def build_db(faulty_source, tmp_path_factory):
    from etl.build import build

    db = tmp_path_factory.mktemp("build") / "fc.duckdb"
    build(faulty_source, db, today=TODAY)
    return db


@pytest.mark.parametrize("name", BASELINES)
def test_baseline_publishes_the_builds_table_and_rejects_its_lines(name, faulty_source, build_db, tmp_path):
    out = tmp_path / f"{name}.duckdb"
    BASELINES[name].run(faulty_source, out, today=TODAY)
    assert baseline_common.compare(build_db, out) == []
    with duckdb.connect(str(build_db), read_only=True) as con:
        rules = {r for (r,) in con.execute("SELECT DISTINCT rule FROM rejects WHERE kind = 'parent_survey'").fetchall()}
        hidden = con.execute("SELECT count(DISTINCT suppression) FROM goal_fulfilment").fetchone()[0]
    # The comparison means something only if the data exercised the rules and both kinds of suppression.
    assert {"missing_value", "not_a_number", "out_of_range", "unknown_centre", "invalid_value",
            "year_out_of_range", "duplicate_key"} <= rules
    assert hidden == 2


def test_compare_catches_a_changed_figure_and_a_missed_reject(build_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    with duckdb.connect(str(copy)) as con:
        con.execute(f"ATTACH '{build_db}' AS b (READ_ONLY)")
        con.execute("CREATE TABLE goal_fulfilment AS SELECT * FROM b.goal_fulfilment")
        con.execute("CREATE TABLE rejects AS SELECT source_file, line_number FROM b.rejects "
                    "WHERE kind = 'parent_survey'")
    assert baseline_common.compare(build_db, copy) == []
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE goal_fulfilment SET mean_score = mean_score + 1e-9 WHERE rowid = "
                    "(SELECT min(rowid) FROM goal_fulfilment WHERE mean_score IS NOT NULL)")
        con.execute("DELETE FROM rejects WHERE rowid = (SELECT min(rowid) FROM rejects)")
    problems = baseline_common.compare(build_db, copy)
    assert any(p.startswith("mean_score differs in 1 cells") for p in problems)
    assert any(p.startswith("rejected lines differ: 1 only in the build") for p in problems)


def test_scaled_copies_keep_every_response(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    write_csv(folder, "parent_survey.csv", ["response_id", "centre_id"], [["r1", "A"], ["r2", "B"]])
    baseline_common.scale(folder, tmp_path / "x3", 3)
    lines = (tmp_path / "x3" / "parent_survey.csv").read_text().splitlines()
    assert lines == ["response_id,centre_id", "r1,A", "r2,B", "x1-r1,A", "x1-r2,B", "x2-r1,A", "x2-r2,B"]
