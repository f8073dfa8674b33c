"""Physical line numbers stay right on a file large enough for DuckDB to scan it in many row groups."""
from __future__ import annotations

import datetime as dt
import random

from conftest import CENTRE_HEADER, centre_row, survey_header, survey_items, write_csv


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
