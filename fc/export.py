"""CSV and Excel downloads that open safely in Excel: Swedish CSV dialect, formula-like cells neutralised."""
from __future__ import annotations

import io

import pandas as pd

# A cell starting with one of these is run as a formula by Excel and LibreOffice (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v
            )
    out.columns = [("'" + c if isinstance(c, str) and c.startswith(FORMULA_START) else c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM: what Swedish Excel opens correctly."""
    return neutralise(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


DEMO_SHEET = "Fiktiva demodata"
DEMO_TEXT = "Alla verksamheter, svar och siffror i den här filen är påhittade (fiktiva demodata)."


def excel_bytes(sheets: dict[str, pd.DataFrame], demo: bool = False) -> bytes:
    """One worksheet per table (names cut to Excel's 31 characters); demo data gets a notice sheet first."""
    if demo:
        sheets = {DEMO_SHEET: pd.DataFrame({"OBS": [DEMO_TEXT]}), **sheets}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
