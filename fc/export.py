"""CSV and Excel downloads that open safely in Excel: Swedish CSV dialect, formula-like cells neutralised."""
from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl.utils import get_column_letter

from fc import fmt, labels

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


# Excel number formats (stored in Excel's invariant syntax; Swedish Excel shows "40 %" and "12 345").
PERCENT_FORMAT = {0: "0%", 1: "0.0%", 2: "0.00%"}
NUMBER_FORMAT = {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00"}
DEFINITIONS_SHEET = "Definitioner och källor"


def table_csv(table: labels.Table) -> bytes:
    """A published table as Swedish CSV: headers in Swedish, shares in percent rounded as in the chart (the
    header says '(%)'), decimal comma, semicolons, UTF-8 with BOM; hidden figures are empty cells."""
    frame = table.frame.copy()
    for i, entry in enumerate(table.columns):
        if entry is not None and entry.kind in ("share", "interval"):
            percent = (frame.iloc[:, i] * 100).round(entry.decimals)
            frame.isetitem(i, percent.round().astype("Int64") if entry.decimals == 0 else percent)
    frame.columns = [f"{h} (%)" if e is not None and e.kind in ("share", "interval") else h
                     for h, e in zip(frame.columns, table.columns)]
    return csv_bytes(frame)


def _number_format(entry: labels.Column | None) -> str | None:
    if entry is None:
        return None
    if entry.kind in ("share", "interval"):
        return PERCENT_FORMAT.get(entry.decimals, "0%")
    if entry.kind in ("count", "number"):
        return NUMBER_FORMAT.get(entry.decimals, "#,##0")
    return None


def definitions(table: labels.Table, name: str, source: str, years: str, demo: bool) -> list[list[str]]:
    """The rows of the sheet that says what each column means, where the figures come from and what is hidden."""
    rows = [["Tabell", name], ["Källa", source], ["År", years], ["Dolda siffror", fmt.HIDDEN_NOTE]]
    if demo:
        rows.append(["Fiktiva demodata", DEMO_TEXT])
    rows += [[], ["Kolumn", "Definition", "Enhet"]]
    for header, entry in zip(table.frame.columns, table.columns):
        rows.append([header, entry.definition if entry else "", entry.unit if entry else ""])
    return rows


def table_excel(table: labels.Table, name: str, source: str, years: str, demo: bool = False) -> bytes:
    """A published table as an Excel workbook: numbers stay numbers (shares with a percent format), and a
    sheet 'Definitioner och källor'; demo data gets its notice sheet first."""
    buffer = io.BytesIO()
    sheet_name, info_name = sheet_names([name, DEFINITIONS_SHEET])
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        if demo:
            pd.DataFrame({"OBS": [DEMO_TEXT]}).to_excel(writer, sheet_name=DEMO_SHEET, index=False)
        neutralise(table.frame).to_excel(writer, sheet_name=sheet_name, index=False)
        sheet = writer.sheets[sheet_name]
        for i, entry in enumerate(table.columns, start=1):
            number_format = _number_format(entry)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = number_format
            sheet.column_dimensions[get_column_letter(i)].width = max(10, min(50, len(str(sheet.cell(1, i).value)) + 2))
        rows = definitions(table, name, source, years, demo)
        info = writer.book.create_sheet(info_name)
        for row in rows:
            info.append([_cell(v) for v in row])
        info.column_dimensions["A"].width, info.column_dimensions["B"].width = 32, 100
    return buffer.getvalue()
