"""The analytical views, checked against figures computed here from the same source rows."""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections import defaultdict
from statistics import NormalDist

import pytest

from conftest import (CENTRE_HEADER, ROOT, centre_row, survey_header, survey_items, write_csv)

TODAY = dt.date(2024, 6, 1)
KOMMUN_LAN = {r["kommun_kod"]: r["lan_kod"] for r in csv.DictReader(open(ROOT / "data/reference/kommuner.csv", encoding="utf-8"))}

CENTRES = [
    # id, kommun, legs (mhv, bhv, open_preschool, social_services), opened, closed
    ("A1", "0180", (1, 1, 1, 1), "2015", ""),
    ("A2", "0180", (0, 1, 1, 1), "2021-08-20", ""),
    ("A3", "0114", (1, 0, 0, 1), "", ""),
    ("A4", "1880", (1, 1, 1, 1), "", "2022"),
    ("A5", "1881", (0, 1, 1, 0), "2023", ""),
]
# (centre, year, respondents): A2 in 2022 stays under the suppression limit on its own.
SURVEYS = [("A1", 2021, 6), ("A1", 2022, 12), ("A2", 2022, 3), ("A4", 2021, 8), ("A3", 2022, 7)]


def expected_type(legs) -> str:
    mhv, bhv, open_preschool, social = legs
    n = sum(legs)
    if n == 4:
        return "FC"
    if n in (2, 3) and bhv and open_preschool:
        return "FCLV"
    return "other"


def active(opened: str, closed: str, year: int) -> bool:
    return (not opened or int(opened[:4]) <= year) and (not closed or int(closed[:4]) > year)


def wilson(k: int, n: int) -> tuple[float, float]:
    z = NormalDist().inv_cdf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(centre - half, 0.0), min(centre + half, 1.0)


def make_responses():
    rng = random.Random(7)
    items = survey_items()
    rows = []
    for centre, year, count in SURVEYS:
        for r in range(count):
            answers = [rng.choice([1, 2, 3, 4, 4, 5, 5, 0, ""]) for _ in items]
            if r == 0:
                # A respondent with no valid answer to goal 3 is not counted for goal 3.
                answers = [("" if goal == 3 else a) for a, (_, goal) in zip(answers, items)]
            gender = rng.choice(["kvinna", "kvinna", "man", "annat", ""])
            language = rng.choice(["svenska", "svenska", "annat", ""])
            rows.append([f"r{r}", centre, year, gender, language, *answers])
    return rows


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    import duckdb
    from etl.build import build

    folder = tmp_path_factory.mktemp("views")
    write_csv(folder, "centres.csv", CENTRE_HEADER, [centre_row(c, k, legs, o, cl) for c, k, legs, o, cl in CENTRES])
    write_csv(folder, "parent_survey_2021_2022.csv", survey_header(), make_responses())
    sr_rows = []
    # Two centres in one municipality with different numbers of statements per area, so the
    # municipality mean of centre means differs from a pooled mean of statements.
    statements = list(csv.DictReader(open(ROOT / "data/catalogues/statements.csv", encoding="utf-8")))
    for centre, offset, take in (("A1", 0.0, 30), ("A2", 1.5, 12)):
        for i, s in enumerate(statements[:take]):
            sr_rows.append([centre, 2022, s["statement_id"], min(6.0, round(1 + (i * 7 % 40) / 10 + offset, 1)), 6, ""])
    write_csv(folder, "self_reflection.csv", ["centre_id", "year", "statement_id", "score", "n_staff", "comment"], sr_rows)
    write_csv(folder, "activity.csv", ["centre_id", "year", "visits"], [["A1", 2022, 1200], ["A4", 2021, 300]])
    build(folder, folder.parent / "db" / "fc.duckdb", today=TODAY)
    con = duckdb.connect(str(folder.parent / "db" / "fc.duckdb"), read_only=True)
    yield con, make_responses(), sr_rows, statements
    con.close()


def test_centre_type_follows_the_leg_rule(db):
    con = db[0]
    got = dict(con.execute("SELECT centre_id, centre_type FROM centres").fetchall())
    assert got == {c: expected_type(legs) for c, _, legs, _, _ in CENTRES}


def test_coverage_kommun_counts_active_fc_and_fclv_for_every_municipality_and_year(db):
    con = db[0]
    years = [y for (y,) in con.execute("SELECT DISTINCT year FROM coverage_kommun ORDER BY 1").fetchall()]
    assert years == list(range(2021, TODAY.year + 1))
    for year in years:
        rows = con.execute(
            "SELECT kommun_code, n_fc, n_fclv, status FROM coverage_kommun WHERE year = ?", [year]
        ).fetchall()
        assert len(rows) == len(KOMMUN_LAN) == 290
        fc, fclv = defaultdict(int), defaultdict(int)
        for cid, kommun, legs, opened, closed in CENTRES:
            if active(opened, closed, year):
                kind = expected_type(legs)
                fc[kommun] += kind == "FC"
                fclv[kommun] += kind == "FCLV"
        for kommun, n_fc, n_fclv, status in rows:
            want = "FC" if fc[kommun] else "FCLV" if fclv[kommun] else "ingen"
            assert (n_fc, n_fclv, status) == (fc[kommun], fclv[kommun], want), (year, kommun)


# The bundled county settings: Örebro (18) counts only FC, every other county FC or FCLV.
FC_ONLY_COUNTIES = {r["lan_code"] for r in csv.DictReader(open(ROOT / "data/settings/county_settings.csv", encoding="utf-8"))
                    if r["coverage_rule"] == "fc"}


def test_coverage_lan_share_is_covered_municipalities_of_all(db):
    con = db[0]
    assert FC_ONLY_COUNTIES == {"18"}
    statuses = con.execute("SELECT year, kommun_code, status FROM coverage_kommun").fetchall()
    per_lan = defaultdict(lambda: [0, 0])
    for year, kommun, status in statuses:
        cell = per_lan[(year, KOMMUN_LAN[kommun])]
        cell[0] += 1
        cell[1] += status == "FC" if KOMMUN_LAN[kommun] in FC_ONLY_COUNTIES else status != "ingen"
    rows = con.execute("SELECT year, lan_code, n_kommuner, n_covered, share_covered FROM coverage_lan").fetchall()
    assert len(rows) == 21 * len({y for y, _, _ in statuses})
    for year, lan, n, covered, share in rows:
        assert (n, covered) == tuple(per_lan[(year, lan)])
        assert share == pytest.approx(covered / n)


def expected_goals(responses):
    """Pool respondent goal scores per level and unit, as the contract defines them."""
    items = survey_items()
    centre_kommun = {c: k for c, k, *_ in CENTRES}
    pools = defaultdict(list)
    for row in responses:
        _, centre, year, gender, language, *answers = row
        kommun = centre_kommun[centre]
        for goal in range(1, 6):
            valid = [a for a, (_, g) in zip(answers, items) if g == goal and a not in ("", 0)]
            if not valid:
                continue
            score = sum(valid) / len(valid)
            units = [("centre", centre), ("kommun", kommun), ("lan", KOMMUN_LAN[kommun]), ("riket", "SE")]
            segments = ["alla"] + ([gender] if gender else []) + (
                ["svenska" if language == "svenska" else "annat språk"] if language else [])
            for level, unit in units:
                for segment in segments:
                    pools[(year, level, unit, goal, segment)].append(score)
    return pools


def test_goal_fulfilment_pools_respondents_with_wilson_interval_and_suppression(db):
    con, responses, _, _ = db
    pools = expected_goals(responses)
    rows = con.execute(
        "SELECT year, level, unit_code, goal, segment, n, n_positive, share_positive, mean_score, ci_low, ci_high, "
        "suppressed, suppression FROM goal_fulfilment"
    ).fetchall()
    assert {r[:5] for r in rows} == set(pools)
    suppressed_seen = 0
    for year, level, unit, goal, segment, n, n_pos, share, mean, low, high, suppressed, suppression in rows:
        scores = pools[(year, level, unit, goal, segment)]
        assert n == len(scores)
        if len(scores) < 5:
            assert suppression == "primary"
        if suppressed:
            # Secondary cells are the disclosure checker's business (test_disclosure.py); here: nothing shows.
            suppressed_seen += 1
            assert suppression in ("primary", "secondary")
            assert n_pos is None and share is None and mean is None and low is None and high is None
            continue
        k = sum(s >= 4 for s in scores)
        assert not suppressed
        assert n_pos == k
        assert share == pytest.approx(k / n)
        assert mean == pytest.approx(sum(scores) / n)
        assert (low, high) == pytest.approx(wilson(k, n))
    assert suppressed_seen > 0


def test_small_centre_is_suppressed_but_pooled_into_its_municipality(db):
    con, responses, _, _ = db
    row = con.execute(
        "SELECT n, share_positive, suppressed FROM goal_fulfilment "
        "WHERE level='centre' AND unit_code='A2' AND year=2022 AND goal=1 AND segment='alla'"
    ).fetchone()
    assert row[0] == 3 and row[1] is None and row[2]
    (n_kommun,) = con.execute(
        "SELECT n FROM goal_fulfilment WHERE level='kommun' AND unit_code='0180' AND year=2022 AND goal=1 AND segment='alla'"
    ).fetchone()
    assert n_kommun == 12 + 3


def test_self_reflection_area_averages_centre_means_at_higher_levels(db):
    con, _, sr_rows, statements = db
    area_of = {s["statement_id"]: s["area"] for s in statements}
    centre_area = defaultdict(list)
    for centre, year, sid, score, *_ in sr_rows:
        centre_area[(centre, area_of[sid])].append(float(score))
    centre_means = {k: sum(v) / len(v) for k, v in centre_area.items()}
    for (centre, area), mean in centre_means.items():
        (got,) = con.execute(
            "SELECT mean_score FROM self_reflection_area WHERE level='centre' AND unit_code=? AND area=? AND year=2022",
            [centre, area],
        ).fetchone()
        assert got == pytest.approx(mean)
    for area in {a for _, a in centre_means}:
        means = [m for (c, a), m in centre_means.items() if a == area]
        got, n = con.execute(
            "SELECT mean_score, n_centres FROM self_reflection_area WHERE level='kommun' AND unit_code='0180' "
            "AND area=? AND year=2022",
            [area],
        ).fetchone()
        assert n == len(means)
        assert got == pytest.approx(sum(means) / len(means))


def test_reporting_status_lists_every_active_centre_with_what_it_reported(db):
    con, responses, sr_rows, _ = db
    rows = con.execute(
        "SELECT year, centre_id, n_responses, has_self_reflection, has_activity FROM reporting_status"
    ).fetchall()
    years = range(2021, TODAY.year + 1)
    expected_keys = {(y, c) for y in years for c, _, _, o, cl in CENTRES if active(o, cl, y)}
    assert {(y, c) for y, c, *_ in rows} == expected_keys
    n_resp = defaultdict(int)
    for _, centre, year, *_ in responses:
        n_resp[(year, centre)] += 1
    reflected = {(y, c) for c, y, *_ in sr_rows}
    for year, centre, n, has_sr, has_act in rows:
        assert n == n_resp[(year, centre)]
        assert has_sr == ((year, centre) in reflected)
        assert has_act == ((year, centre) in {(2022, "A1"), (2021, "A4")})
