"""Small pure parts: funnel limits, priority areas, the annual wheel, Swedish formats, safe downloads, map files."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math

import openpyxl
import pandas as pd
import pytest

from fc import annual_wheel, export, fmt, maps, stats


def test_funnel_limits_follow_the_binomial_normal_approximation():
    limits = stats.funnel_limits(0.6, 200, stats.Z_95)
    for n, low, high in limits.itertuples(index=False):
        half = 1.959964 * math.sqrt(0.6 * 0.4 / n)
        assert low == pytest.approx(max(0.6 - half, 0), abs=1e-6)
        assert high == pytest.approx(min(0.6 + half, 1), abs=1e-6)
    assert limits["n"].min() == 5 and limits["n"].max() == 200


def test_funnel_position_separates_noise_from_real_differences():
    assert stats.funnel_position(0.62, 50, 0.6) == "inom förväntad variation"
    assert "utanför 99,8 %" in stats.funnel_position(0.95, 200, 0.6)


def test_priority_areas_are_the_two_lowest_with_catalogue_order_breaking_ties():
    areas = pd.DataFrame({"area": ["A", "B", "C", "D"], "mean_score": [3.0, 2.5, 2.5, 4.0], "area_position": [1, 9, 5, 2]})
    assert stats.priority_areas(areas) == ["C", "B"]


@pytest.mark.parametrize("today, expected", [
    (dt.date(2026, 11, 10), {"Föräldraenkät (v. 45–46)": (2026, "pågår nu")}),
    (dt.date(2027, 1, 20), {"Självreflektion (december–januari)": (2026, "pågår nu"),
                            "Verksamhetsberättelse (senast 28/2)": (2026, "pågår nu")}),
    (dt.date(2027, 3, 2), {"Verksamhetsberättelse (senast 28/2)": (2027, "nästa")}),
])
def test_annual_wheel_says_what_is_due(today, expected):
    due = {name: (year, status) for name, year, status in annual_wheel.due(today)}
    assert len(due) == 3
    for name, (year, status) in expected.items():
        assert due[name][0] == year and due[name][1].startswith(status)


def test_annual_wheel_follows_the_countys_deadline():
    """It moves the report to the deadline's month and keeps it due until that day."""
    due = {name: (year, status) for name, year, status in annual_wheel.due(dt.date(2027, 3, 1), deadline="03-01")}
    assert due["Verksamhetsberättelse (senast 1/3)"] == (2026, "pågår nu, senast 2027-03-01")
    months = annual_wheel.wheel("03-01")
    assert months[3][0].startswith("Verksamhetsberättelsen lämnas in senast 1/3")
    assert not any("Verksamhetsberättelsen" in a for a in months[2])
    assert annual_wheel.deadline_date(2027, "02-29") == dt.date(2028, 2, 29)
    assert annual_wheel.deadline_date(2026, "02-29") == dt.date(2027, 2, 28)


def test_annual_wheel_has_the_guidelines_holiday_planning_and_uppmarksamhetsveckan():
    """It lists every activity of Bilaga 6, the summer holidays in March and Uppmärksamhetsveckan in November."""
    months = annual_wheel.wheel()
    assert any("sommarsemester" in a for a in months[3]) and any("Godkänna sommarsemestrar" in a for a in months[3])
    assert any("Uppmärksamhetsveckan" in a for a in months[11])
    assert any("Barnkonventionens dag" in a for a in months[11])
    assert months[2] == ["Verksamhetsberättelsen lämnas in senast 28/2 (samordnare)"]


@pytest.mark.parametrize("value, label", [(True, "I tid"), (False, "Sen"), (None, "Okänt"), (pd.NA, "Okänt"),
                                          (float("nan"), "Okänt")])
def test_on_time_label(value, label):
    assert annual_wheel.on_time_label(value) == label


def test_swedish_number_formats():
    assert fmt.number(1234567.891, 1) == "1\u00a0234\u00a0567,9"
    assert fmt.percent(0.734) == "73\u00a0%"
    assert fmt.share(0.5, True) == "för få svar"
    assert fmt.change(-0.031) == "-3,1\u00a0procentenheter"


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tnamn"]


def test_downloads_neutralise_formula_cells_but_keep_numbers():
    frame = pd.DataFrame({"text": FORMULAS, "value": [1.5, -2.0, 3, 4, 5]})
    rows = list(csv.reader(io.StringIO(export.csv_bytes(frame).decode("utf-8-sig")), delimiter=";"))
    assert all(row[0].startswith("'") for row in rows[1:])
    assert rows[2][1] == "-2,0"
    sheet = openpyxl.load_workbook(io.BytesIO(export.excel_bytes({"t": frame}))).active
    cells = [sheet.cell(row=r, column=1).value for r in range(2, 7)]
    assert all(c.startswith("'") for c in cells)
    assert sheet.cell(row=3, column=2).value == -2.0
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 7))


def test_demo_workbooks_open_on_a_notice_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(export.excel_bytes({"Tabell": pd.DataFrame({"a": [1]})}, demo=True)))
    assert workbook.sheetnames == [export.DEMO_SHEET, "Tabell"]
    assert "påhittade" in workbook[export.DEMO_SHEET]["A2"].value


def test_boundaries_are_published_once_under_a_name_from_their_content(tmp_path):
    one = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "0114", "properties": {"name": "Å"},
                                                      "geometry": {"type": "Point", "coordinates": [18.0, 59.5]}}]}
    other = {"type": "FeatureCollection", "features": []}
    name = maps.publish(one, tmp_path)
    assert maps.publish(one, tmp_path) == name != maps.publish(other, tmp_path)
    assert json.loads((tmp_path / name).read_text(encoding="utf-8")) == one
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".json"]  # no temporary file left behind
