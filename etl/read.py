"""Read one source file as users export it (encoding, delimiter, header quirks) into a staging table."""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

DELIMITERS = (";", ",", "\t")
MAX_LINE_BYTES = 8 * 1024 * 1024

# DuckDB's structural CSV errors, in the words a coordinator understands.
SCAN_ERRORS = {
    "MISSING COLUMNS": "för få fält på raden",
    "TOO MANY COLUMNS": "för många fält på raden",
    "UNQUOTED VALUE": "citattecken på fel ställe eller inte avslutat",
    "LINE SIZE OVER MAXIMUM": "raden är för lång",
    "INVALID ENCODING": "ogiltiga tecken på raden",
    "INVALID STATE": "raden kunde inte tolkas",
}


class FileRefused(Exception):
    """A file that cannot be used at all; the message names the file and the reason in Swedish."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class Staged:
    path: Path
    table: str
    encoding: str
    delimiter: str
    columns: list[str]
    ignored_columns: list[str]
    rows: int
    blank_rows: int
    # Structural rejects found while splitting the file: (line, reason, raw_line).
    scan_rejects: list[tuple[int, str, str]] = field(default_factory=list)


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-16 by BOM, else UTF-8 (with or without BOM), else Windows-1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileRefused(path, "filen ser ut att vara UTF-16 men går inte att avkoda") from None
    if b"\x00" in raw:
        raise FileRefused(path, "filen innehåller binära data och är ingen textfil (CSV)")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise FileRefused(
            path, f"teckenkodningen känns inte igen (varken UTF-8 eller Windows-1252, byte {exc.start})"
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most fields."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def normalise_name(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


class Lines:
    """Physical lines of UTF-8 bytes by byte offset, so that per-line work is vectorised, not a Python loop."""

    def __init__(self, data: bytes):
        self.data = data
        self.buf = buf = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(buf == ord("\n"))
        self.begin = np.concatenate(([0], ends + 1))
        self.end = np.concatenate((ends, [len(data)]))
        if len(self.begin) and self.begin[-1] == len(data):  # a final newline ends the last line, it opens none
            self.begin, self.end = self.begin[:-1], self.end[:-1]
        self.quotes = np.flatnonzero(buf == ord('"'))

    def __len__(self) -> int:
        return len(self.begin)

    def text(self, number: int) -> str:
        """Line `number` (1-based) without its line break."""
        return self.data[self.begin[number - 1]:self.end[number - 1]].decode("utf-8").rstrip("\r")

    def record_starts(self) -> tuple[np.ndarray, int, bool]:
        """1-based line numbers where CSV records start (quote-aware), the number of blank lines, and whether a quote is left open."""
        # A line starts inside a quoted field when an odd number of quotes precede it ("" counts twice).
        in_quote = np.searchsorted(self.quotes, self.begin) % 2 == 1
        length = self.end - self.begin
        blank = (length == 0) | ((length == 1) & (self.buf[self.begin] == ord("\r")))
        starts = np.flatnonzero(~in_quote & ~blank) + 1
        return starts, int((~in_quote & blank).sum()), len(self.quotes) % 2 == 1


def parse_header(path: Path, line: str, delimiter: str) -> list[str]:
    try:
        header = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise FileRefused(path, "rubrikraden kan inte läsas") from None
    names = [normalise_name(h) for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise FileRefused(path, f"kolumnen '{name}' förekommer mer än en gång i rubrikraden")
        seen.add(name)
    return names


def stage(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    workdir: Path,
    file_index: int = 0,
) -> Staged:
    """Split `path` into a VARCHAR table `table` with `_line` (physical line of the record) and the known columns."""
    raw = path.read_bytes()
    text, encoding = decode(path, raw)
    # DuckDB reads UTF-8 only; other encodings are transcoded, line numbers stay the same.
    transcode = encoding != "utf-8" or raw.startswith(codecs.BOM_UTF8)
    lines = Lines(text.encode("utf-8") if transcode else raw)
    del text, raw
    starts, blank, open_quote = lines.record_starts()
    if not len(starts):
        raise FileRefused(path, "filen är tom: ingen rubrikrad hittades")
    if open_quote:
        # Everything after the quote would be read as one field: refuse rather than swallow those rows.
        raise FileRefused(path, "ett citattecken (\") avslutas aldrig, så resten av filen skulle bli ett enda fält; "
                                "öppna filen i Excel och spara den igen som CSV")
    header_line = lines.text(int(starts[0]))
    delimiter = sniff_delimiter(header_line)
    names = parse_header(path, header_line, delimiter)
    missing = [c for c in required if c not in names]
    if missing:
        plural = "kolumnerna" if len(missing) > 1 else "kolumnen"
        raise FileRefused(path, f"{plural} {', '.join(missing)} saknas (krävs enligt dataspecifikationen)")
    known = set(required) | set(optional)
    ignored = [n if n else f"(namnlös kolumn {i + 1})" for i, n in enumerate(names) if n not in known]

    source = path
    if transcode:
        source = workdir / f"{table}.csv"
        source.write_bytes(lines.data)

    position = {n: i for i, n in enumerate(names)}
    # Optional columns a file leaves out are staged as NULL so that files of one kind stack.
    select = ", ".join(
        f"c{position[n]} AS {duckdb_ident(n)}" if n in position else f"NULL::VARCHAR AS {duckdb_ident(n)}"
        for n in (*required, *optional)
    )
    all_empty = " AND ".join(f"nullif(trim(c{i}), '') IS NULL" for i in range(len(names)))
    positional = {f"c{i}": "VARCHAR" for i in range(len(names))}

    def copy(data_starts: np.ndarray, rejects: str) -> None:
        """Stage the records DuckDB reads beside the physical lines they start on, paired by position."""
        # _seq orders records across all files of a kind and serves as a stable row key.
        con.register(f"{table}_lines", pd.DataFrame({"_line": data_starts, "_seq": (file_index << 32) + data_starts}))
        try:
            con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE {table} AS
                SELECT ? AS _file, l._line, l._seq, {select}, r._read
                FROM (
                    SELECT true AS _read, *
                    FROM read_csv(?, delim=?, quote='"', escape='"', header=false, skip=?, auto_detect=false,
                                  columns={positional!r}, store_rejects=true, rejects_table='{rejects}',
                                  rejects_scan='{rejects}_scan', max_line_size={MAX_LINE_BYTES}, strict_mode=true)
                ) AS r POSITIONAL JOIN {table}_lines AS l
                -- Rows of only delimiters (Excel's empty rows) are blank lines; unpaired rows stay to be caught.
                WHERE r._read IS NULL OR l._line IS NULL OR NOT ({all_empty})
                """,
                [path.name, str(source), delimiter, int(starts[0])],
            )
        except duckdb.Error as exc:
            raise FileRefused(path, f"filen kan inte delas upp i fält: {str(exc).splitlines()[0]}") from None
        finally:
            con.unregister(f"{table}_lines")

    data_starts = starts[1:]
    copy(data_starts, f"{table}_rej")
    scan_rejects = [
        (line, SCAN_ERRORS.get(error, error.lower()), lines.text(line) if 0 < line <= len(lines) else "")
        for line, error in con.execute(
            f"SELECT line, min(error_type::VARCHAR) FROM {table}_rej GROUP BY line ORDER BY line"
        ).fetchall()
    ]
    if scan_rejects:
        # DuckDB skipped the rejected records, so the pairing is redone without their lines.
        data_starts = data_starts[~np.isin(data_starts, [line for line, _, _ in scan_rejects])]
        copy(data_starts, f"{table}_rej2")
    ((rows, unpaired),) = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE _read IS NULL OR _line IS NULL) FROM {table}"
    ).fetchall()
    if unpaired:
        raise FileRefused(
            path,
            "raderna kan inte avgränsas entydigt (troligen ett citattecken som inte avslutas); "
            "öppna filen i Excel och spara den igen som CSV",
        )
    blank += len(data_starts) - rows
    return Staged(path, table, encoding, delimiter, names, ignored, rows, blank, scan_rejects)


def raw_lines(path: Path, numbers: list[int]) -> dict[int, str]:
    """The text of the given physical lines of a file, for the rejects table."""
    text, _ = decode(path, path.read_bytes())
    lines = Lines(text.encode("utf-8"))
    return {n: lines.text(n) for n in set(numbers) if 0 < n <= len(lines)}


def duckdb_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
