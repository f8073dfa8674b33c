"""Small statistics behind the charts: funnel-plot control limits and the proposed priority areas."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from fc import fmt

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


@dataclass(frozen=True)
class Change:
    """A change between two shares of independent respondent groups, with its two-sided p-value."""
    difference: float
    p_value: float

    @property
    def real(self) -> bool:
        """Beyond chance at the 5 % level: only then is a change coloured."""
        return self.p_value < 0.05


def share_change(positive_now, n_now, positive_before, n_before) -> Change | None:
    """Two-proportion z-test (pooled) of this year's share against last year's; None when a cell is missing.

    A suppressed cell has no count of positives, so no change involving it is ever computed."""
    counts = (positive_now, n_now, positive_before, n_before)
    if any(c is None or c is pd.NA or (isinstance(c, float) and math.isnan(c)) for c in counts):
        return None
    x1, n1, x2, n2 = (int(c) for c in counts)
    if n1 <= 0 or n2 <= 0:
        return None
    difference = x1 / n1 - x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return Change(difference, 1.0)
    z = difference / se
    return Change(difference, math.erfc(abs(z) / math.sqrt(2)))


NO_REAL_CHANGE = "ingen säker förändring"


def metric_delta(now, before) -> tuple[str | None, str]:
    """(delta text, st.metric delta_color) for a goal share against the year before (rows with n, n_positive).

    The change in percentage points, coloured, only when it is beyond chance; otherwise 'ingen säker förändring'
    in grey; no delta at all when either year is missing or hidden."""
    if now is None or before is None or now["suppressed"] or before["suppressed"]:
        return None, "off"
    change = share_change(now["n_positive"], now["n"], before["n_positive"], before["n"])
    if change is None:
        return None, "off"
    # Only the words when the change is within chance: a number beside them still reads as a change, and the
    # metric's narrow column cut "-11,0 procentenheter, ingen säker …" mid-phrase on a projector.
    return (fmt.change(change.difference), "normal") if change.real else (NO_REAL_CHANGE, "off")


CHANGE_NOTE = ("Förändringen sedan föregående år visas i procentenheter bara när den är större än slumpen väntas "
               "ge (tvåsidigt test av två andelar, 5 % nivå); annars står det ”ingen säker förändring”. Båda årens "
               "andelar finns under ”Visa siffror”.")
# Self-reflection is one joint score per staff group, not a sample of respondents: there is no sampling
# variance to test a change against, so its changes are never coloured or called real.
REFLECTION_CHANGE_NOTE = ("Förändringen visas utan färg: självreflektionen är personalgruppens gemensamma "
                          "bedömning, inte ett urval av svar, så det finns inget mått på slumpvariation att pröva "
                          "förändringen mot. Läs en skillnad på några tiondelar som oförändrat.")
