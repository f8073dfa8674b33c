"""Swedish number formats: decimal comma, space as thousands separator, "för få svar" for suppressed groups."""
from __future__ import annotations

import math

NBSP = "\u00a0"
SUPPRESSED = "för få svar"
MISSING = "–"


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """12345.6 -> '12 345,6' (non-breaking space, decimal comma)."""
    if _blank(value):
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def percent(share, decimals: int = 0) -> str:
    """0.734 -> '73 %'."""
    if _blank(share):
        return MISSING
    return f"{number(100 * share, decimals)}{NBSP}%"


def share(value, suppressed: bool, decimals: int = 0) -> str:
    """A share of respondents, or 'för få svar' when the group is under the suppression limit."""
    return SUPPRESSED if suppressed else percent(value, decimals)


def change(delta, decimals: int = 1, unit: str = "procentenheter") -> str:
    """+0.031 -> '+3 procentenheter'."""
    if _blank(delta):
        return MISSING
    # ASCII minus: st.metric reads the direction of its arrow from a leading "-".
    sign = "+" if delta > 0 else "-" if delta < 0 else "±"
    return f"{sign}{number(abs(delta) * 100, decimals)}{NBSP}{unit}"


def yes_no(value) -> str:
    if _blank(value):
        return MISSING
    return "ja" if value else "nej"
