"""CSV and Excel downloads that open safely in Excel: Swedish CSV dialect, formula-like cells neutralised."""
from __future__ import annotations

import io
import re

import pandas as pd

# A cell starting with one of these is run as a formula by Excel and LibreOffice (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _text_like(dtype) -> bool:
    # object, every string dtype and categoricals (DuckDB ENUMs arrive as pandas categories)
    if isinstance(dtype, pd.CategoricalDtype):
        return _text_like(dtype.categories.dtype)
    return dtype == object or pd.api.types.is_string_dtype(dtype)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells (and headers) that a spreadsheet would run as a formula with an apostrophe."""
    out = frame.copy()
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if _text_like(values.dtype):
            # Categories become their text: a neutralised label may not fit the category list.
            out.isetitem(i, values.astype(object).map(_cell))
    out.columns = [_cell(c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM: what Swedish Excel opens correctly."""
    return neutralise(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


DEMO_SHEET = "Fiktiva demodata"
DEMO_TEXT = "Alla verksamheter, svar och siffror i den här filen är påhittade (fiktiva demodata)."


# Excel refuses these in a sheet name, a name over 31 characters, one starting or ending with an apostrophe,
# the reserved name "History" and two names that differ only in case.
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_MAX = 31


def sheet_names(names) -> list[str]:
    """Valid, distinct worksheet names for `names`, in order: forbidden characters become '_', long names
    are cut, and a repeated name gets ' (2)', ' (3)' …"""
    result, taken = [], set()
    for name in names:
        base = SHEET_FORBIDDEN.sub("_", str(name)).strip().strip("'").strip() or "Blad"
        if base.casefold() == "history":
            base += "_"
        candidate, number = base[:SHEET_MAX].rstrip("'"), 1
        while candidate.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[:SHEET_MAX - len(suffix)].rstrip("'") + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def excel_bytes(sheets: dict[str, pd.DataFrame], demo: bool = False) -> bytes:
    """One worksheet per table (valid, distinct names); demo data gets a notice sheet first."""
    if demo:
        sheets = {DEMO_SHEET: pd.DataFrame({"OBS": [DEMO_TEXT]}), **sheets}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in zip(sheet_names(sheets), sheets.values()):
            neutralise(frame).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()
