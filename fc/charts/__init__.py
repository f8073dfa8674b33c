"""Figure builders: functions that take DataFrames and return plotly figures."""
from __future__ import annotations

import textwrap

from fc import safe


def wrap(text: str, width: int) -> str:
    """`text` escaped for plotly on lines of at most `width` characters joined by <br>; words are never cut."""
    lines = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(safe.plot(line) for line in lines)
