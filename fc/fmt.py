"""Swedish number formats: decimal comma, space as thousands separator, why a hidden group's figure is hidden."""
from __future__ import annotations

import math

import pandas as pd

NBSP = "\u00a0"
SUPPRESSED = "för få svar"
SECONDARY = "dold för att skydda en liten grupp"
HIDDEN_NOTE = ("Grupper med färre än fem svarande visas som ”för få svar”. Siffror som annars skulle avslöja en "
               "sådan grupp genom subtraktion (från kommunen, könen eller språken) visas som ”dold för att skydda "
               "en liten grupp”.")
MISSING = "–"


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


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


def hidden(suppression) -> str | None:
    """Why a figure is hidden ('primary', 'secondary' or True), or None when it is shown."""
    if _blank(suppression) or suppression is False:
        return None
    return SECONDARY if suppression == "secondary" else SUPPRESSED


def share(value, suppression, decimals: int = 0) -> str:
    """A share of respondents, or why it is hidden: 'för få svar' or 'dold för att skydda en liten grupp'."""
    return hidden(suppression) or percent(value, decimals)


def change(delta, decimals: int = 1, unit: str = "procentenheter") -> str:
    """+0.031 -> '+3 procentenheter'."""
    if _blank(delta):
        return MISSING
    # The sign of the rounded value, so a change that rounds to nothing never reads "-0,0".
    # ASCII minus: st.metric reads the direction of its arrow from a leading "-".
    shown = round(delta * 100, decimals)
    sign = "+" if shown > 0 else "-" if shown < 0 else "±"
    return f"{sign}{number(abs(shown), decimals)}{NBSP}{unit}"


def yes_no(value) -> str:
    """True -> 'Ja', False -> 'Nej' (never True/False in what a reader sees)."""
    if _blank(value):
        return MISSING
    return "Ja" if value else "Nej"


def count(n, singular: str, plural: str) -> str:
    """1 -> '1 rad', 105843 -> '105 843 rader': thousands separator and the noun agreeing with the number."""
    if _blank(n):
        return f"{MISSING} {plural}"
    return f"{number(n)} {singular if abs(n) == 1 else plural}"
