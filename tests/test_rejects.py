"""Bad input (contract section 4): one case per reject reason, refused files, nothing dropped silently."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from conftest import CENTRE_HEADER, ROOT, centre_row, survey_header, survey_items, write_csv
from etl.build import BuildFailed, build

NBSP = "\u00a0"

TODAY = dt.date(2024, 6, 1)


def good_answers():
    return [4] * len(survey_items())


def survey(cid="C1", year=2023, rid="r1", gender="kvinna", language="svenska", answers=None):
    return [rid, cid, year, gender, language, *(answers or good_answers())]


# (case id, file name, header, bad row, expected rule); each bad row sits on line 3 after one good row.
CASES = [
    ("unknown centre", "parent_survey.csv", survey_header(), survey(cid="NOPE"), "unknown_centre"),
    ("unknown kommun", "centres_extra.csv", CENTRE_HEADER, centre_row("C9", "9999"), "unknown_kommun"),
    ("duplicate response", "parent_survey.csv", survey_header(), survey(rid="r0"), "duplicate_key"),
    ("answer out of range", "parent_survey.csv", survey_header(), survey(answers=[6] + good_answers()[1:]), "out_of_range"),
    ("answer not a number", "parent_survey.csv", survey_header(), survey(answers=["bra"] + good_answers()[1:]), "not_a_number"),
    ("score out of range", "self_reflection.csv", ["centre_id", "year", "statement_id", "score"], ["C1", 2023, "s01", 7], "out_of_range"),
    ("score not a number", "self_reflection.csv", ["centre_id", "year", "statement_id", "score"], ["C1", 2023, "s01", "hög"], "not_a_number"),
    ("duplicate statement", "self_reflection.csv", ["centre_id", "year", "statement_id", "score"], ["C1", 2023, "s02", 5], "duplicate_key"),
    ("unknown statement", "self_reflection.csv", ["centre_id", "year", "statement_id", "score"], ["C1", 2023, "s99", 3], "unknown_statement"),
    ("missing year", "activity.csv", ["centre_id", "year", "visits"], ["C1", "", 10], "missing_value"),
    ("year too early", "activity.csv", ["centre_id", "year", "visits"], ["C1", 1999, 10], "year_out_of_range"),
    ("year after next", "activity.csv", ["centre_id", "year", "visits"], ["C1", TODAY.year + 2, 10], "year_out_of_range"),
    ("negative count", "activity.csv", ["centre_id", "year", "visits"], ["C1", 2022, -3], "out_of_range"),
    ("duplicate activity", "activity.csv", ["centre_id", "year", "visits"], ["C1", 2023, 5], "duplicate_key"),
    ("bad gender", "parent_survey.csv", survey_header(), survey(gender="vet inte"), "invalid_value"),
    ("opened not a date", "centres_extra.csv", CENTRE_HEADER, centre_row("C7", "0180", opened="1/8/2015"), "invalid_value"),
    ("bad boolean", "centres_extra.csv", CENTRE_HEADER, centre_row("C8", "0180", legs=("kanske", 1, 1, 1)), "invalid_value"),
    ("duplicate centre", "centres_extra.csv", CENTRE_HEADER, centre_row("C1", "0180"), "duplicate_key"),
    ("too many fields", "activity.csv", ["centre_id", "year", "visits"], ["C1", 2022, 5, "extra"], "malformed_row"),
]

GOOD_FIRST_ROW = {
    "parent_survey.csv": survey(rid="r0"),
    "self_reflection.csv": ["C1", 2023, "s02", 4],
    "activity.csv": ["C1", 2023, 100],
    "centres_extra.csv": centre_row("C2", "0180"),
}


@pytest.mark.parametrize("case, name, header, bad, rule", CASES, ids=[c[0] for c in CASES])
def test_each_bad_row_is_rejected_with_file_line_reason_and_raw_line(source, built, case, name, header, bad, rule):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180")])
    write_csv(source, name, header, [GOOD_FIRST_ROW[name], bad])
    con = built(source, today=TODAY)
    rejects = con.execute("SELECT source_file, line_number, rule, reason, raw_line FROM rejects").fetchall()
    assert len(rejects) == 1, rejects
    source_file, line, got_rule, reason, raw = rejects[0]
    assert (source_file, line, got_rule) == (name, 3, rule)
    assert reason and raw == (source / name).read_text(encoding="utf-8").splitlines()[2]
    summary = con.execute("SELECT rows_read, rows_loaded, rows_rejected FROM load_summary WHERE source_file = ?",
                          [name]).fetchone()
    assert summary == (2, 1, 1)


def test_every_data_row_is_loaded_or_rejected(source, built):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180"), centre_row("C2", "0000")])
    rows = [survey(rid=f"r{i}") for i in range(10)] + [survey(cid="C2"), survey(rid="r3"), survey(year="tjugo")]
    write_csv(source, "parent_survey.csv", survey_header(), rows)
    con = built(source, today=TODAY)
    (loaded,) = con.execute("SELECT count(*) FROM survey_response").fetchone()
    (rejected,) = con.execute("SELECT count(*) FROM rejects WHERE kind = 'parent_survey'").fetchone()
    assert loaded + rejected == len(rows)
    assert loaded == 10


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(source, built):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180")])
    text = "centre_id,year,visits\n\nC1,2022,10\n\n\nC1,2023,-1\n,,\n"
    (source / "activity.csv").write_text(text, encoding="utf-8")
    con = built(source, today=TODAY)
    assert con.execute("SELECT line_number, rule FROM rejects").fetchall() == [(6, "out_of_range")]
    assert con.execute("SELECT count(*) FROM activity").fetchone() == (1,)


@pytest.mark.parametrize("content, words", [
    ("centre_id,name,kommun_code,mhv,bhv,open_preschool\nC1,X,0180,1,1,1\n", ["centres.csv", "social_services"]),
    ("", ["centres.csv", "tom"]),
    ("centre_id,centre_id,name\n", ["centres.csv", "centre_id", "mer än en gång"]),
])
def test_a_file_without_required_columns_is_refused_naming_file_and_column(source, tmp_path, content, words):
    (source / "centres.csv").write_text(content, encoding="utf-8")
    with pytest.raises(BuildFailed) as exc:
        build(source, tmp_path / "fc.duckdb", today=TODAY)
    message = str(exc.value)
    assert all(w in message for w in words), message
    assert not (tmp_path / "fc.duckdb").exists()


def test_cli_names_file_and_column_and_exits_non_zero(source, tmp_path):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180")])
    (source / "activity_2023.csv").write_text("centre_id;visits\nC1;4\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "etl", "build", "--source", str(source), "--db", str(tmp_path / "x.duckdb")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "activity_2023.csv" in proc.stderr and "year" in proc.stderr


def test_cli_prints_file_line_and_reason_of_rejected_rows(source, tmp_path):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180"), centre_row("C2", "12345")])
    (source / "notes.txt").write_text("hej", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "etl", "build", "--source", str(source), "--db", str(tmp_path / "x.duckdb")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "centres.csv:3: okänd kommunkod '12345'" in proc.stdout
    assert "notes.txt" in proc.stdout


def test_demo_and_real_centres_are_never_mixed(source, tmp_path):
    write_csv(source, "centres.csv", CENTRE_HEADER, [centre_row("DEMO-1", "0180"), centre_row("C1", "0180")])
    with pytest.raises(BuildFailed, match="demodata"):
        build(source, tmp_path / "fc.duckdb", today=TODAY)


def test_cli_summary_writes_counts_the_swedish_way(tmp_path):
    """It separates thousands with a space and writes the decimal comma, as the dashboard does."""
    import io

    from etl.__main__ import print_summary
    from etl.build import BuildResult

    rows = {"source_file": "parent_survey.csv", "kind": "parent_survey", "rows_read": 105_850, "rows_loaded": 105_843,
            "rows_rejected": 7, "ignored_columns": ""}
    out = io.StringIO()
    print_summary(BuildResult(db=tmp_path / "fc.duckdb", generation=None, files=[rows], rows_loaded=105_843,
                              seconds=12.34), out)
    text = out.getvalue()
    assert f"Totalt 105{NBSP}843 rader inlästa, 0 avvisade." in text
    assert f"105{NBSP}850" in text and "på 12,3 s" in text
