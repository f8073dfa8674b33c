"""Small statistics behind the charts: funnel-plot control limits and the proposed priority areas."""
from __future__ import annotations

import math

import pandas as pd

# Two-sided normal quantiles: 95 % and 99.8 % limits.
Z_95 = 1.959963984540054
Z_998 = 3.090232306167813


def funnel_limits(p0: float, n_max: int, z: float, points: int = 120) -> pd.DataFrame:
    """Control limits p0 ± z·sqrt(p0(1−p0)/n) over n = 5..n_max, clipped to [0, 1]."""
    n_max = max(n_max, 6)
    grid = sorted({round(5 + (n_max - 5) * (i / (points - 1)) ** 2, 3) for i in range(points)})
    half = [z * math.sqrt(p0 * (1 - p0) / n) for n in grid]
    return pd.DataFrame({"n": grid, "low": [max(p0 - h, 0.0) for h in half],
                         "high": [min(p0 + h, 1.0) for h in half]})


def funnel_position(share: float, n: int, p0: float) -> str:
    """Where a centre lies in the funnel: inside 95 %, between 95 and 99.8 %, or outside 99.8 %."""
    sd = math.sqrt(p0 * (1 - p0) / n) if 0 < p0 < 1 else 0.0
    distance = abs(share - p0) / sd if sd else 0.0
    side = "över" if share > p0 else "under"
    if distance > Z_998:
        return f"tydligt {side} (utanför 99,8 %)"
    if distance > Z_95:
        return f"{side} (utanför 95 %)"
    return "inom förväntad variation"


def priority_areas(areas: pd.DataFrame, count: int = 2) -> list[str]:
    """The `count` areas with the lowest mean score; ties keep catalogue order (column area_position)."""
    ranked = areas.dropna(subset=["mean_score"]).sort_values(["mean_score", "area_position"], kind="stable")
    return list(ranked["area"].head(count))
