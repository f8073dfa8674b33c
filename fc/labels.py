"""Swedish column labels and definitions for every visible table and download, from one catalogue."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fc import fmt

CATALOGUE = Path(__file__).resolve().parents[1] / "data" / "catalogues" / "column_labels.csv"
# Values that are identifiers in the database, shown as words.
VALUES = {
    "level": {"centre": "Familjecentral", "kommun": "Kommun", "lan": "Län", "riket": "Riket"},
    "centre_type": {"other": "Annan verksamhet"},
    "segment": {"alla": "Alla", "kvinna": "Kvinna", "man": "Man", "annat": "Annat kön", "svenska": "Svenska",
                "annat språk": "Annat språk"},
}
NUMERIC = ("count", "number", "share", "interval", "coord", "year")


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # text, code, year, count, number, share, interval, coord, bool, flag, suppression, internal
    decimals: int  # the charts' rounding: shares in percent with this many decimals
    secret: bool  # hidden with its group: never published in a suppressed row
    unit: str
    definition: str


@functools.cache
def catalogue() -> dict[str, Column]:
    """Column identifier -> its Swedish label, kind, rounding and definition."""
    rows = pd.read_csv(CATALOGUE, dtype=str, keep_default_na=False)
    return {r.column: Column(r.column, r.label, r.kind, int(r.decimals), r.secret == "yes", r.unit, r.definition)
            for r in rows.itertuples(index=False)}


@functools.cache
def _by_label() -> dict[str, Column]:
    return {c.label: c for c in reversed(catalogue().values())}


def column(name: str) -> Column | None:
    """The catalogue entry for an identifier, or for a header a page has already put in Swedish."""
    return catalogue().get(name) or _by_label().get(name)


def label(name: str) -> str:
    found = catalogue().get(name)
    return found.label if found else name


@dataclass
class Table:
    """A table as published: Swedish headers, the charts' rounding, Ja/Nej, suppressed figures removed."""
    frame: pd.DataFrame  # shares stay fractions (rounded): CSV shows them in percent, Excel with a percent format
    columns: list[Column | None]  # per column of `frame`; None outside the catalogue
    suppression: pd.Series  # per row, as fmt.hidden reads it: 'primary', 'secondary', True, or None when shown


def _suppression(frame: pd.DataFrame) -> pd.Series:
    if "suppression" in frame:
        return frame["suppression"].astype(object)
    if "suppressed" in frame:
        return frame["suppressed"].map(lambda hidden: True if hidden is True else None).astype(object)
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _values(values: pd.Series, entry: Column, hidden: pd.Series) -> pd.Series:
    if entry.name in VALUES:
        values = values.map(lambda v: VALUES[entry.name].get(v, v) if isinstance(v, str) else v)
    if entry.kind in ("bool", "flag"):
        return values.map(lambda v: "" if fmt._blank(v) else fmt.yes_no(v))
    if entry.kind == "suppression":
        return values.map(lambda v: fmt.hidden(v) or "")
    if entry.kind not in NUMERIC:
        return values
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    if entry.secret:
        numbers = numbers.mask(hidden)  # belt and braces: the build already leaves these empty
    if entry.kind in ("share", "interval"):
        return numbers.round(entry.decimals + 2)
    if entry.kind in ("count", "year") or entry.decimals == 0:
        return numbers.round().astype("Int64")
    return numbers.round(entry.decimals)


def present(frame: pd.DataFrame) -> Table:
    """The table a reader sees and downloads, built from query columns (or headers already in Swedish)."""
    suppression = _suppression(frame).reset_index(drop=True)
    hidden = suppression.map(fmt.hidden).notna()
    source = frame.reset_index(drop=True)
    if "suppression" in source:
        source = source.drop(columns=["suppressed"], errors="ignore")  # the reason says it, in words
    columns, out = [], {}
    for name in source.columns:
        entry = column(str(name))
        if entry is not None and entry.kind == "internal":
            continue
        values = source[name]
        if entry is None:
            if pd.api.types.is_bool_dtype(values):
                values = values.map(fmt.yes_no)
        else:
            values = _values(values, entry, hidden)
        header = entry.label if entry is not None else str(name)
        while header in out:  # two columns with one label (an id and its name): keep both
            header += " "
        out[header] = values
        columns.append(entry)
    return Table(pd.DataFrame(out), columns, suppression)


def _plain(value) -> str:
    """A cell outside the catalogue: text as it is, a number in Swedish format."""
    if fmt._blank(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt.number(value, 0 if float(value).is_integer() else 1)
    return str(value)


def _text(value, entry: Column | None, suppression) -> str:
    if entry is None:
        return _plain(value)
    if entry.kind == "share":
        return fmt.share(value, suppression, entry.decimals)
    if fmt._blank(value):
        return fmt.MISSING if entry.kind in ("count", "number", "interval") else ""
    if entry.kind == "interval":
        return fmt.percent(value, entry.decimals)
    if entry.kind in ("count", "number"):
        return fmt.number(value, entry.decimals)
    if entry.kind == "coord":
        return f"{value:.{entry.decimals}f}".replace(".", ",")
    if entry.kind == "year":
        return str(int(value))
    return str(value)


def text(table: Table) -> pd.DataFrame:
    """Every cell as the Swedish text the page shows: '40 %', '12 345', 'för få svar', '' for empty."""
    out = {header: [_text(v, entry, s) for v, s in zip(values, table.suppression)]
           for (header, values), entry in zip(table.frame.items(), table.columns)}
    return pd.DataFrame(out, index=table.frame.index)
