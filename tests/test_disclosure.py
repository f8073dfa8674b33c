"""Disclosure control: no hidden survey group can be worked out from what goal_fulfilment publishes.

The auditor (tests/disclosure_audit.py) is written independently of etl/disclosure.py.
"""
from __future__ import annotations

import duckdb

from conftest import CENTRE_HEADER, centre_row, survey_header, survey_items, write_csv
from disclosure_audit import audit, item_audit, published


def test_demo_database_publishes_no_hidden_group(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    rows, kommun_of = published(con)
    problems = audit(rows, kommun_of)
    assert problems == {"pinned": [], "only_unknown": []}
    assert item_audit(con) == []
    counts = dict(con.execute("SELECT suppression, count(*) FROM goal_fulfilment GROUP BY ALL").fetchall())
    assert counts["primary"] > 0 and counts["secondary"] > 0


def test_the_auditor_finds_what_primary_suppression_alone_leaves_open(demo_db):
    """Publishing every secondary cell again (its true figures from the private goal_cell) must be caught."""
    con = duckdb.connect(str(demo_db), read_only=True)
    rows = con.execute("""
        SELECT f.year, f.goal, f.level, f.unit_code, f.segment, f.n, c.n_positive, f.suppression = 'primary'
        FROM goal_fulfilment AS f JOIN goal_cell AS c USING (year, goal, level, unit_code, segment)
    """).fetchall()
    kommun_of = dict(con.execute("SELECT centre_id, kommun_code FROM centres").fetchall())
    problems = audit(rows, kommun_of)
    assert len(problems["pinned"]) > 1000
    assert len(problems["only_unknown"]) > 100


def test_primary_rule_hides_groups_under_five_and_nothing_else_is_shown_for_them(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    wrong = con.execute("""
        SELECT count(*) FROM goal_fulfilment
        WHERE (n < 5 AND suppression IS DISTINCT FROM 'primary')
           OR (suppressed AND coalesce(n_positive, share_positive, mean_score, ci_low, ci_high) IS NOT NULL)
           OR (suppressed <> (suppression IS NOT NULL))
    """).fetchone()[0]
    assert wrong == 0


# Small hand-made cases: one year, goal answers chosen per respondent.
ITEMS = survey_items()


def respondents(centre: str, rows: list[tuple[str, str, int]], start: int = 0) -> list[list]:
    """(gender, language, answer to every item) per respondent."""
    return [[f"r{start + i}", centre, 2024, gender, language, *[answer] * len(ITEMS)]
            for i, (gender, language, answer) in enumerate(rows)]


def build_case(source, built, centres: list[list], survey: list[list]):
    write_csv(source, "centres.csv", CENTRE_HEADER, centres)
    write_csv(source, "parent_survey.csv", survey_header(), survey)
    return built(source)


def cell(con, level, unit, segment, goal=1):
    return con.execute("SELECT n, n_positive, suppression FROM goal_fulfilment WHERE year = 2024 AND goal = ? "
                       "AND level = ? AND unit_code = ? AND segment = ?", [goal, level, unit, segment]).fetchone()


def test_one_tiny_segment_gets_a_complement(source, built):
    # 12 women (8 positive), 7 men (4 positive), 1 parent of another gender: alone it would follow by subtraction.
    rows = [("kvinna", "svenska", 5)] * 8 + [("kvinna", "svenska", 2)] * 4 + [("man", "svenska", 5)] * 4 \
        + [("man", "svenska", 1)] * 3 + [("annat", "svenska", 5)]
    con = build_case(source, built, [centre_row("C1", "0180")], respondents("C1", rows))
    assert cell(con, "centre", "C1", "annat") == (1, None, "primary")
    assert cell(con, "centre", "C1", "alla")[1:] == (13, None)
    assert "secondary" in {cell(con, "centre", "C1", s)[2] for s in ("kvinna", "man")}
    assert audit(*published(con)) == {"pinned": [], "only_unknown": []}


def two_centre_case(source, built):
    """Stockholm with a centre of 30 parents and one of 3 (2 positive)."""
    big = [("kvinna", "svenska", 5)] * 20 + [("man", "svenska", 2)] * 10
    small = [("kvinna", "svenska", 5)] * 2 + [("kvinna", "svenska", 1)]
    return build_case(source, built, [centre_row("C1", "0180"), centre_row("C2", "0180")],
                      respondents("C1", big) + respondents("C2", small, start=100))


def test_small_centre_in_a_two_centre_municipality(source, built):
    con = two_centre_case(source, built)
    assert cell(con, "centre", "C2", "alla") == (3, None, "primary")
    # Stockholm = C1 + C2: C1 or Stockholm itself must hide too, or C2's 2 positives follow.
    assert cell(con, "centre", "C1", "alla")[2] == "secondary" or cell(con, "kommun", "0180", "alla")[2] == "secondary"
    assert audit(*published(con)) == {"pinned": [], "only_unknown": []}


def test_a_chain_across_levels_and_segments(source, built):
    # Two municipalities in Stockholm county with two centres each. C1's two men are hidden; a
    # complement among C1's segments then needs its own complement in Stockholm's other centre, and
    # the municipalities' and the county's sums must hold too.
    def group(centre, women, men, positive_women, positive_men, start):
        rows = [("kvinna", "svenska", 5)] * positive_women + [("kvinna", "annat", 2)] * (women - positive_women) \
            + [("man", "svenska", 5)] * positive_men + [("man", "annat", 1)] * (men - positive_men)
        return respondents(centre, rows, start)
    survey = (group("C1", 10, 2, 7, 2, 0) + group("C2", 9, 6, 5, 3, 100)
              + group("C3", 8, 7, 8, 1, 200) + group("C4", 12, 5, 6, 5, 300))
    centres = [centre_row("C1", "0180"), centre_row("C2", "0180"), centre_row("C3", "0182"), centre_row("C4", "0182")]
    con = build_case(source, built, centres, survey)
    assert cell(con, "centre", "C1", "man") == (2, None, "primary")
    secondary = con.execute("SELECT DISTINCT level, segment FROM goal_fulfilment WHERE suppression = 'secondary'"
                            ).fetchall()
    assert len({level for level, _ in secondary}) >= 1 and len({s for _, s in secondary}) >= 2
    assert audit(*published(con)) == {"pinned": [], "only_unknown": []}


def test_the_auditor_catches_a_subtraction(source, built):
    """Publishing the complements of the two-centre case again must be reported: the check can fail."""
    con = two_centre_case(source, built)
    rows = con.execute("""
        SELECT f.year, f.goal, f.level, f.unit_code, f.segment, f.n, c.n_positive, f.suppression = 'primary'
        FROM goal_fulfilment AS f JOIN goal_cell AS c USING (year, goal, level, unit_code, segment)
    """).fetchall()
    pinned = audit(rows, dict(con.execute("SELECT centre_id, kommun_code FROM centres").fetchall()))["pinned"]
    assert any(key == ("centre", "C2", "alla") and value == 2 for _, key, value in pinned)
