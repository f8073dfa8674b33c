"""Physical line numbers: right on a file large enough for DuckDB to scan it in many row groups, and where records start."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CENTRE_HEADER, centre_row, survey_header, survey_items, write_csv
from etl import read


def test_every_row_keeps_its_physical_line_across_row_groups(source, built):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180")])
    rng = random.Random(3)
    n_items = len(survey_items())
    lines = [",".join(survey_header())]
    bad_lines = set()
    for _ in range(250_000):
        line = len(lines) + 1
        roll = rng.random()
        if roll < 0.01:
            lines.append("")  # blank: skipped, but it still counts as a line
            continue
        answers = [str(rng.randint(0, 5)) for _ in range(n_items)]
        if roll < 0.012:
            answers[0] = "9"
            bad_lines.add(line)
        elif roll < 0.014:
            answers.append("extra")
            bad_lines.add(line)
        lines.append(",".join([f"L{line}", "C1", "2023", "kvinna", "svenska", *answers]))
    (source / "parent_survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = built(source, today=dt.date(2024, 6, 1))
    mismatched = con.execute(
        "SELECT count(*) FROM survey_response WHERE response_id <> 'L' || (respondent_no & 4294967295)"
    ).fetchall()[0][0]
    assert mismatched == 0
    rejects = con.execute("SELECT line_number, raw_line FROM rejects ORDER BY 1").fetchall()
    assert [line for line, _ in rejects] == sorted(bad_lines)
    assert all(raw == lines[line - 1] for line, raw in rejects)
    loaded = con.execute("SELECT count(*) FROM survey_response").fetchall()[0][0]
    assert loaded + len(bad_lines) == sum(1 for line in lines[1:] if line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["\n", "\r\n"]),
                          st.lists(st.text(alphabet='a,"\n ', max_size=6), min_size=1, max_size=4)),
                max_size=12))
def test_record_starts_match_how_the_text_was_written(records):
    # Each record follows 0–2 blank lines and ends in LF or, as Excel writes, CRLF; fields may hold
    # quotes, commas and line breaks.
    text, expected, blank = io.StringIO(), [], 0
    line = 1
    for blanks, newline, fields in records:
        text.write(newline * blanks)
        line += blanks
        blank += blanks
        expected.append(line)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=newline).writerow(fields)
        written = buffer.getvalue()
        if written == newline:
            written = '""' + newline  # a record of one empty field is a line of its own, not a blank one
        text.write(written)
        line += written.count("\n")
    starts, n_blank, open_quote = read.Lines(text.getvalue().encode("utf-8")).record_starts()
    assert list(starts) == expected
    assert n_blank == blank
    assert not open_quote
