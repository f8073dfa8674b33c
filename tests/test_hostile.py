"""Hostile and broken input: every file gives a clear refusal or rows that are loaded or rejected, never a crash."""
from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.build import BuildFailed, build
from hostile_corpus import CEN, cases, centre_row

TODAY = dt.date(2025, 6, 1)
CASES = cases()


def registry(folder):
    (folder / "centres.csv").write_text(CEN + centre_row("C1", "Familjecentralen Ett")
                                        + centre_row("C2", "Familjecentralen Två", kommun="1480"), encoding="utf-8")


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("name, content, expected", CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_refused_clearly_or_fully_accounted_for(tmp_path, name, content, expected):
    source = tmp_path / "source"
    source.mkdir()
    registry(source)
    (source / name).write_bytes(content)
    db = tmp_path / "db" / "fc.duckdb"
    if expected[0] == "refuse":
        with pytest.raises(BuildFailed) as failed:
            build(source, db, today=TODAY)
        [(file_name, reason)] = failed.value.refusals
        assert file_name == name and expected[1] in reason and reason
        assert not db.exists()
        return
    build(source, db, today=TODAY)
    with duckdb.connect(str(db), read_only=True) as con:
        read, loaded, rejected = con.execute(
            "SELECT rows_read, rows_loaded, rows_rejected FROM load_summary WHERE source_file = ?", [name]).fetchall()[0]
        reasons = con.execute("SELECT count(*) FROM rejects WHERE source_file = ? AND reason <> ''", [name]).fetchall()[0][0]
    assert (read, loaded) == expected[1:]
    assert loaded + rejected == read and reasons == rejected


CELLS = st.sampled_from(["C1", "C2", " C1 ", "NOPE", "2023", "2024", "1999", "2023.0", "5", "0", "-1", "1,5", "1 250",
                         "abc", "", " ", "=1+1", '"citat"', "a,b", "a;b", "rad\nbrytning", "ö€", "NaN", "ja", "x"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=25),
       delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_every_generated_row_is_loaded_or_rejected(tmp_path_factory, rows, delimiter, encoding, newline):
    source = tmp_path_factory.mktemp("prop")
    registry(source)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["centre_id", "year", "visits"])
    writer.writerows(rows)
    (source / "activity.csv").write_bytes(out.getvalue().encode(encoding))
    build(source, source / "db" / "fc.duckdb", today=TODAY)
    with duckdb.connect(str(source / "db" / "fc.duckdb"), read_only=True) as con:
        read, loaded, rejected = con.execute(
            "SELECT rows_read, rows_loaded, rows_rejected FROM load_summary WHERE kind = 'activity'").fetchall()[0]
        (in_table,) = con.execute("SELECT count(*) FROM activity").fetchall()[0]
    data_rows = sum(1 for row in rows if any(cell.strip(" ") for cell in row))
    assert read == data_rows
    assert loaded + rejected == read and in_table == loaded
