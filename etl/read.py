"""Read one source file as users export it (encoding, delimiter, header quirks) into a staging table."""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import survey_export
from etl.sources import KINDS, is_excel

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
    # The line offsets of a file read chunk by chunk, to fetch rejected lines without reading it again.
    lines: "Lines | None" = None
    # The records read with typed columns (the survey's fast path, see stage_typed); `table` holds the rest
    # as text, or is None when every record cast.
    typed_table: str | None = None


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


def is_plain_utf8(path: Path) -> bool:
    """Whether `path` is UTF-8 without a byte-order mark and without NUL bytes, checked chunk by chunk.

    Anything else (a BOM, another encoding, binary data) goes through `decode`, which names the problem.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        first = True
        while chunk := handle.read(CHUNK_BYTES):
            if first and chunk.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return False
            first = False
            if b"\x00" in chunk:
                return False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most fields."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def normalise_name(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


# Files are scanned in chunks of this size: memory does not grow with the file.
CHUNK_BYTES = 16 * 1024 * 1024


class Lines:
    """Physical lines of UTF-8 bytes by byte offset, so that per-line work is vectorised, not a Python loop.

    From bytes in memory (`Lines(data)`), or from a UTF-8 file scanned chunk by chunk (`Lines.of_file`):
    then only the offsets are kept and a line's text is read from the file when asked for.
    """

    def __init__(self, data: bytes | None, path: Path | None = None):
        self.data, self.path = data, path
        newlines, quotes, size = [], [], 0
        for offset, chunk in self.chunks():
            buf = np.frombuffer(chunk, dtype=np.uint8)
            newlines.append(np.flatnonzero(buf == ord("\n")) + offset)
            quotes.append(np.flatnonzero(buf == ord('"')) + offset)
            size = offset + len(chunk)
        ends = np.concatenate(newlines) if newlines else np.zeros(0, np.int64)
        self.begin = np.concatenate(([0], ends + 1))
        self.end = np.concatenate((ends, [size]))
        if len(self.begin) and self.begin[-1] == size:  # a final newline ends the last line, it opens none
            self.begin, self.end = self.begin[:-1], self.end[:-1]
        self.quotes = np.concatenate(quotes) if quotes else np.zeros(0, np.int64)

    @classmethod
    def of_file(cls, path: Path) -> "Lines":
        return cls(None, path)

    def chunks(self):
        """(offset, bytes) over the data or the file, CHUNK_BYTES at a time."""
        if self.data is not None:
            for offset in range(0, len(self.data), CHUNK_BYTES):
                yield offset, self.data[offset:offset + CHUNK_BYTES]
            return
        with open(self.path, "rb") as handle:
            offset = 0
            while chunk := handle.read(CHUNK_BYTES):
                yield offset, chunk
                offset += len(chunk)

    def raw(self, begin: int, end: int) -> bytes:
        return self.raws([(begin, end)])[0]

    def raws(self, spans: list[tuple[int, int]]) -> list[bytes]:
        """The bytes of each (begin, end) span, read with one open file."""
        if self.data is not None:
            return [self.data[begin:end] for begin, end in spans]
        with open(self.path, "rb", buffering=0) as handle:
            found = []
            for begin, end in spans:
                handle.seek(begin)
                found.append(handle.read(end - begin))
            return found

    def __len__(self) -> int:
        return len(self.begin)

    def line_at(self, offset: int) -> int:
        """The line (1-based) that holds byte `offset`."""
        return int(np.searchsorted(self.begin, offset, side="right"))

    def text(self, number: int) -> str:
        """Line `number` (1-based) without its line break."""
        return self.raw(int(self.begin[number - 1]), int(self.end[number - 1])).decode("utf-8").rstrip("\r")

    def texts(self, numbers) -> dict[int, str]:
        """Lines by number (1-based, those that exist), read in file order with one open file."""
        wanted = sorted(n for n in set(numbers) if 0 < n <= len(self))
        spans = [(int(self.begin[n - 1]), int(self.end[n - 1])) for n in wanted]
        return {n: raw.decode("utf-8").rstrip("\r") for n, raw in zip(wanted, self.raws(spans))}

    def record_starts(self) -> tuple[np.ndarray, int, bool]:
        """1-based line numbers where CSV records start (quote-aware), the number of blank lines, and whether a quote is left open."""
        # A line starts inside a quoted field when an odd number of quotes precede it ("" counts twice).
        in_quote = np.searchsorted(self.quotes, self.begin) % 2 == 1
        length = self.end - self.begin
        blank = length == 0
        single = np.flatnonzero(length == 1)
        if len(single):  # a line of one byte is blank when that byte is the CR of a CRLF line break
            blank[single] = [text == "" for text in self.texts(single + 1).values()]
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
    typed: dict[str, str] | None = None,
) -> Staged:
    """Split `path` into a VARCHAR table `table` with `_line` (physical line of the record) and the known columns.

    An Excel workbook (`.xlsx`) is first turned into the same text table, one line per sheet row
    (see `sheet_lines`); its staged name is `file.xlsx:Sheet`, its line numbers are the sheet's row numbers.
    `typed` (column -> DuckDB type) asks for the fast path of a plain UTF-8 file (see `stage_typed`).
    """
    if is_excel(path):
        return stage_excel(con, path, table, required, optional, workdir, file_index)
    if is_plain_utf8(path):
        # The common case, read chunk by chunk: only line offsets are kept in memory, DuckDB reads the file.
        return stage_lines(con, path, Lines.of_file(path), "utf-8", False, table, required, optional, workdir,
                           file_index, typed=typed)
    raw = path.read_bytes()
    text, encoding = decode(path, raw)
    # DuckDB reads UTF-8 only; other encodings are transcoded, line numbers stay the same.
    transcode = encoding != "utf-8" or raw.startswith(codecs.BOM_UTF8)
    lines = Lines(text.encode("utf-8") if transcode else raw)
    del text, raw
    return stage_lines(con, path, lines, encoding, transcode, table, required, optional, workdir, file_index)


def stage_lines(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    lines: Lines,
    encoding: str,
    transcode: bool,
    table: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    workdir: Path,
    file_index: int = 0,
    delimiter: str | None = None,
    typed: dict[str, str] | None = None,
) -> Staged:
    """Stage the UTF-8 `lines` of `path` (written to `workdir` first when `transcode`); the delimiter is sniffed unless given."""
    starts, blank, open_quote = lines.record_starts()
    if not len(starts):
        raise FileRefused(path, "filen är tom: ingen rubrikrad hittades")
    if open_quote:
        # Everything after the quote would be read as one field: refuse rather than swallow those rows.
        raise FileRefused(path, "ett citattecken (\") avslutas aldrig, så resten av filen skulle bli ett enda fält; "
                                "öppna filen i Excel och spara den igen som CSV")
    header_line = lines.text(int(starts[0]))
    delimiter = delimiter or sniff_delimiter(header_line)
    names = parse_header(path, header_line, delimiter)
    if required[:1] == ("response_id",) and "response_id" not in names:
        # A survey tool's export (question texts as headers, answers as labels) is converted to the contract's rows.
        items = con.execute("SELECT item, text FROM survey_item ORDER BY position").fetchall()
        folder = path.workbook.parent if isinstance(path, SheetPath) else path.parent
        if survey_export.is_export(names, items, survey_export.read_mapping(folder)):
            return stage_export(con, path, lines, encoding, transcode, table, names, items, workdir, file_index,
                                delimiter)
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
    columns = (*required, *optional)
    data_starts = starts[1:]
    if typed and not transcode:
        fast = stage_typed(con, path, lines, table, names, columns, typed, data_starts, delimiter, int(starts[0]),
                           file_index, workdir)
        if fast is not None:
            typed_rows, text_rows, kept, scan_rejects = fast
            return Staged(path, table if text_rows else None, encoding, delimiter, names, ignored,
                          typed_rows + text_rows, blank + len(kept) - typed_rows - text_rows, scan_rejects,
                          lines if lines.data is None else None, f"{table}_typed")
    rows, data_starts, scan_rejects = read_text(con, path, lines, source, int(starts[0]), data_starts, table, names,
                                                columns, delimiter, file_index)
    blank += len(data_starts) - rows
    return Staged(path, table, encoding, delimiter, names, ignored, rows, blank, scan_rejects,
                  lines if lines.data is None else None)


def read_text(con: duckdb.DuckDBPyConnection, path: Path, lines: Lines, source: Path, skip: int,
              data_starts: np.ndarray, table: str, names: list[str], columns: tuple[str, ...], delimiter: str,
              file_index: int, source_lines: Lines | None = None,
              line_of=lambda line: line) -> tuple[int, np.ndarray, list[tuple[int, str, str]]]:
    """Stage the records of `source` after `skip` lines as VARCHAR into `table`, paired with `data_starts` by position.

    Returns the rows staged, the record starts DuckDB read and the structural rejects (line, reason, raw line).
    When `source` holds only some records of `path`, `source_lines` are its lines and `line_of` maps its line
    numbers to those of `path`.
    """
    source_lines = source_lines or lines
    position = {n: i for i, n in enumerate(names)}
    # Optional columns a file leaves out are staged as NULL so that files of one kind stack.
    select = ", ".join(
        f"c{position[n]} AS {duckdb_ident(n)}" if n in position else f"NULL::VARCHAR AS {duckdb_ident(n)}"
        for n in columns
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
                [path.name, str(source), delimiter, skip],
            )
        except duckdb.Error as exc:
            raise FileRefused(path, f"filen kan inte delas upp i fält: {str(exc).splitlines()[0]}") from None
        finally:
            con.unregister(f"{table}_lines")

    copy(data_starts, f"{table}_rej")
    # DuckDB's own line numbers skip the line breaks inside quoted fields: the byte offset names the line.
    scanned = con.execute(
        f"SELECT line_byte_position, min(error_type::VARCHAR) FROM {table}_rej GROUP BY ALL ORDER BY 1").fetchall()
    scanned = [(line_of(source_lines.line_at(offset)), error) for offset, error in scanned]
    texts = lines.texts([line for line, _ in scanned])
    scan_rejects = [(line, SCAN_ERRORS.get(error, error.lower()), texts.get(line, "")) for line, error in scanned]
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
    return rows, data_starts, scan_rejects


def stage_typed(con: duckdb.DuckDBPyConnection, path: Path, lines: Lines, table: str, names: list[str],
                columns: tuple[str, ...], typed: dict[str, str], data_starts: np.ndarray, delimiter: str, skip: int,
                file_index: int, workdir: Path) -> tuple[int, int, np.ndarray, list[tuple[int, str, str]]] | None:
    """The fast path of a plain UTF-8 file: read it with `typed` columns into `<table>_typed`, the rest as text.

    DuckDB rejects the records whose cells do not cast (a "4,0", a word, a broken line); only those go through
    `read_text` into `table`, from a file of just those records, so their rules and reasons are today's.
    A cell that casts is the number the text path reads (DOUBLE casts as num() does; etl/load.py: typed_columns), so
    the typed rules decide alike. Returns (typed rows, text rows, record starts read, structural rejects), or
    None when the two reads do not pair up line for line: then the caller stages the whole file as text.
    """
    position = {n: i for i, n in enumerate(names)}
    kinds = {f"c{i}": typed.get(n, "VARCHAR") for i, n in enumerate(names)}
    select = ", ".join(f"c{position[n]} AS {duckdb_ident(n)}" if n in position
                       else f"NULL::{typed.get(n, 'VARCHAR')} AS {duckdb_ident(n)}" for n in columns)
    all_empty = " AND ".join(f"nullif(trim({c}), '') IS NULL" if kind == "VARCHAR" else f"{c} IS NULL"
                             for c, kind in kinds.items())
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {table}_read AS
            SELECT * FROM read_csv(?, delim=?, quote='"', escape='"', header=false, skip=?, auto_detect=false,
                                   columns={kinds!r}, store_rejects=true, rejects_table='{table}_trej',
                                   rejects_scan='{table}_trej_scan', max_line_size={MAX_LINE_BYTES}, strict_mode=true)
            """,
            [str(path), delimiter, skip],
        )
    except duckdb.Error:
        return None  # the text path names what is wrong with the file
    offsets = con.execute(f"SELECT DISTINCT line_byte_position FROM {table}_trej ORDER BY 1").fetchall()
    rejected = np.unique(np.array([lines.line_at(offset) for (offset,) in offsets], dtype=np.int64))
    fast = data_starts[~np.isin(data_starts, rejected)]
    ((read,),) = con.execute(f"SELECT count(*) FROM {table}_read").fetchall()
    if read != len(fast) or not np.isin(rejected, data_starts).all():
        con.execute(f"DROP TABLE {table}_read")
        return None
    con.register(f"{table}_lines", pd.DataFrame({"_line": fast, "_seq": (file_index << 32) + fast}))
    try:
        con.execute(
            f"""
            CREATE TEMP TABLE {table}_typed AS
            SELECT ? AS _file, l._line, l._seq, {select}
            FROM {table}_read AS r POSITIONAL JOIN {table}_lines AS l
            WHERE NOT ({all_empty})  -- rows of only delimiters are blank lines
            """,
            [path.name],
        )
    finally:
        con.unregister(f"{table}_lines")
        con.execute(f"DROP TABLE {table}_read")
    ((typed_rows,),) = con.execute(f"SELECT count(*) FROM {table}_typed").fetchall()
    text_rows, scan_rejects, kept = 0, [], fast
    if len(rejected):
        source, source_lines, line_of = records_file(lines, data_starts, rejected, workdir / f"{table}_text.csv")
        try:
            text_rows, read_back, scan_rejects = read_text(con, path, lines, source, 0, rejected, table, names,
                                                           columns, delimiter, file_index, source_lines, line_of)
        except FileRefused:
            con.execute(f"DROP TABLE {table}_typed")
            return None
        kept = np.concatenate((fast, read_back))
    return typed_rows, text_rows, kept, scan_rejects


def records_file(lines: Lines, data_starts: np.ndarray, chosen: np.ndarray, target: Path):
    """Write the records starting on the `chosen` lines (each up to the next record) to `target`.

    Returns `target`, its lines, and a function from a line of `target` to the line of the original file.
    """
    stops = np.append(data_starts, len(lines) + 1)[np.searchsorted(data_starts, chosen) + 1]
    records = lines.raws(list(zip(lines.begin[chosen - 1].tolist(), lines.end[stops - 2].tolist())))
    data = b"".join(record + b"\n" for record in records)
    target.write_bytes(data)
    firsts = np.cumsum(np.concatenate(([1], stops - chosen)))[:-1]  # the line of `target` where each record starts

    def line_of(number: int) -> int:
        k = int(np.searchsorted(firsts, number, side="right")) - 1
        return int(chosen[k] + (number - firsts[k]))

    return target, Lines(data), line_of


def stage_export(con: duckdb.DuckDBPyConnection, path: Path, lines: Lines, encoding: str, transcode: bool, table: str,
                 names: list[str], items: list[tuple[str, str]], workdir: Path, file_index: int,
                 delimiter: str) -> Staged:
    """Stage a survey tool's export of the parent survey as the contract's rows (see etl/survey_export.py)."""
    folder = path.workbook.parent if isinstance(path, SheetPath) else path.parent
    matches = survey_export.match_columns(names, items, survey_export.read_mapping(folder))
    missing = survey_export.missing_items(matches, items)
    if missing:
        raise FileRefused(path, "enkätexporten saknar " + ("frågorna " if len(missing) > 1 else "frågan ") + "; ".join(
            f"{item} ({text})" for item, text in missing) + ": ingen kolumn har frågans text; koppla kolumnen på "
            f"sidan Importera eller i {survey_export.MAPPING_FILE} i källmappen")
    targets = {m.target for m in matches}
    if "centre_id" not in targets or not targets & {"year", "timestamp"}:
        what = "familjecentral" if "centre_id" not in targets else "tidstämpel eller år"
        raise FileRefused(path, f"enkätexporten saknar en kolumn för {what}; koppla den på sidan Importera eller i "
                                f"{survey_export.MAPPING_FILE} i källmappen")
    staged_names = tuple(dict.fromkeys(n for n in names if n))
    raw = stage_lines(con, path, lines, encoding, transcode, f"{table}_export", (), staged_names, workdir, file_index,
                      delimiter)
    kind = KINDS["parent_survey"]
    item_ids = [item for item, _ in items]
    survey_export.convert(con, f"{table}_export", table, names, names, matches, item_ids,
                          survey_export.read_labels(folder), f"{path.name}:")
    con.execute(f"DROP TABLE {table}_export")
    ignored = [m.column or f"(namnlös kolumn {i + 1})" for i, m in enumerate(matches) if not m.target]
    return Staged(path, table, encoding, delimiter, [*kind.required, *kind.optional, *item_ids], ignored, raw.rows,
                  raw.blank_rows, raw.scan_rejects, raw.lines)


def raw_lines(path: Path, numbers: list[int], lines: Lines | None = None) -> dict[int, str]:
    """The text of the given physical lines of a file (of a sheet's rows, for a workbook), for the rejects table.

    `lines`: the file's offsets when it was staged chunk by chunk (then only those lines are read).
    """
    if lines is not None:
        return lines.texts(numbers)
    if isinstance(path, SheetPath):
        lines = Lines(path.data if path.data is not None else excel_sheet(path.workbook, path.index)[1])
    else:
        text, _ = decode(path, path.read_bytes())
        lines = Lines(text.encode("utf-8"))
    return {n: lines.text(n) for n in set(numbers) if 0 < n <= len(lines)}


def duckdb_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- Excel workbooks -------------------------------------------------------------------------------------------

EXCEL_DELIMITER = ";"
# Bounds checked before a sheet is converted: the unpacked workbook (a zip bomb is refused unread) and the
# sheet's cells. The importer passes its own, smaller bounds.
MAX_EXCEL_UNPACKED = 2 * 1024**3
MAX_EXCEL_CELLS = 100_000_000
MAX_EXCEL_COLUMNS = 16_384
# A date cell arrives as "2015-08-20 00:00:00"; the contract's date is the ISO date.
MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


class SheetPath(type(Path())):
    """The staged name of one sheet, `centres.xlsx:Blad1`: what `_file`, rejects and the summary show.

    It carries the workbook, the sheet's index and its converted text (for the raw lines of rejects).
    """

    workbook: Path
    index: int
    sheet: str
    data: bytes | None

    @classmethod
    def of(cls, workbook: Path, index: int, sheet: str, data: bytes | None = None) -> "SheetPath":
        path = cls(workbook.with_name(f"{workbook.name}:{sheet_label(sheet)}"))
        path.workbook, path.index, path.sheet, path.data = workbook, index, sheet, data
        return path


def sheet_label(sheet: str) -> str:
    """A sheet name as shown in a staged name: no folder separators or control characters, at most 31 long."""
    return re.sub(r"[\x00-\x1f\x7f/\\:]", "_", sheet)[:31] or "_"


def excel_reader(path: Path, source: bytes | Path | None = None, max_unpacked: int = MAX_EXCEL_UNPACKED):
    """A fastexcel reader of a workbook (from `source` bytes or the file), refused when it is no .xlsx or unpacks too big."""
    import fastexcel

    source = path if source is None else source
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(path, "filen är ingen Excel-arbetsbok (.xlsx) som går att läsa; spara den igen som "
                                "Excel-arbetsbok eller som CSV") from None
    if unpacked > max_unpacked:
        raise FileRefused(path, f"arbetsboken är {unpacked / 1e6:.0f} MB uppackad; högst "
                                f"{max_unpacked // 2**20} MB går att läsa in")
    try:
        return fastexcel.read_excel(source if isinstance(source, bytes) else str(source))
    except Exception:  # fastexcel's errors have no common base worth naming
        raise FileRefused(path, "arbetsboken kan inte läsas (skadad, lösenordsskyddad eller inget .xlsx-format)") from None


def sheet_lines(path: Path, reader, index: int, max_cells: int = MAX_EXCEL_CELLS,
                max_columns: int = MAX_EXCEL_COLUMNS) -> bytes:
    """One sheet as UTF-8 text, `;`-separated: line N is the sheet's row N (empty rows are empty lines).

    Cells are read as Excel stores them: numbers keep their value (2015, 4.5), a date cell becomes its ISO date,
    a date with a time keeps the time, TRUE/FALSE become true/false. Line breaks inside a cell become spaces so that
    rows and lines stay paired. Vectorised per column, never per cell.
    """
    name = reader.sheet_names[index]
    try:
        sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
    except Exception:
        raise FileRefused(path, f"bladet {sheet_label(name)} kan inte läsas") from None
    height, width = sheet.height, sheet.width
    if width > max_columns:
        raise FileRefused(path, f"bladet {sheet_label(name)} har {width} kolumner; högst {max_columns} går att läsa in")
    if height * width > max_cells:
        raise FileRefused(path, f"bladet {sheet_label(name)} har {height} rader och {width} kolumner; högst "
                                f"{max_cells:,} celler går att läsa in".replace(",", " "))
    if not height or not width:
        return b""
    batch = sheet.to_arrow()
    quote, empty, newline, sep = (pa.scalar(t, pa.large_string()) for t in ('"', "", "\n", EXCEL_DELIMITER))
    cells = []
    filled = None
    for column in batch.columns:
        text = pc.fill_null(column.cast(pa.large_string()), "")
        filled = pc.not_equal(text, empty) if filled is None else pc.or_(filled, pc.not_equal(text, empty))
        text = pc.replace_substring_regex(text, MIDNIGHT, r"\1")
        text = pc.replace_substring_regex(text, r"\r\n|[\r\n]", " ")
        quoted = pc.binary_join_element_wise(quote, pc.replace_substring(text, '"', '""'), quote, empty)
        cells.append(pc.if_else(pc.match_substring_regex(text, '[;"]'), quoted, text))
    # An empty row is an empty line (not a line of delimiters), so a header below empty rows is found.
    rows = pc.if_else(filled, pc.binary_join_element_wise(*cells, sep), empty)
    rows = pc.binary_join_element_wise(rows, newline, empty)
    rows = pa.concat_arrays([rows]) if isinstance(rows, pa.ChunkedArray) else rows
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:rows.offset + len(rows) + 1]
    return rows.buffers()[2].to_pybytes()[int(offsets[0]):int(offsets[-1])]


def excel_sheet(path: Path, index: int | None = None, required: tuple[str, ...] = (), source: bytes | None = None,
                max_unpacked: int = MAX_EXCEL_UNPACKED, max_cells: int = MAX_EXCEL_CELLS,
                max_columns: int = MAX_EXCEL_COLUMNS) -> tuple[SheetPath, bytes]:
    """The data sheet of a workbook and its text: sheet `index`, else the one sheet whose header holds `required`.

    Sheets without the required columns (instructions, lists) are not data. Two data sheets are refused rather
    than one of them dropped; with none, the first non-empty sheet is staged so that its missing columns are named.
    """
    reader = excel_reader(path, source, max_unpacked)
    names = reader.sheet_names
    if index is not None:
        return SheetPath.of(path, index, names[index]), sheet_lines(path, reader, index, max_cells, max_columns)
    data_sheets: list[tuple[int, bytes]] = []
    first_filled: tuple[int, bytes] | None = None
    for number in range(len(names)):
        data = sheet_lines(path, reader, number, max_cells, max_columns)
        header = header_of(data)
        if header is None:
            continue
        first_filled = first_filled or (number, data)
        header_names = {normalise_name(h) for h in next(csv.reader(io.StringIO(header), delimiter=EXCEL_DELIMITER), [])}
        if all(c in header_names for c in required):
            data_sheets.append((number, data))
    if len(data_sheets) > 1:
        raise FileRefused(path, "arbetsboken har flera blad med data ("
                          + ", ".join(sheet_label(names[n]) for n, _ in data_sheets)
                          + "); lägg ett blad per fil eller ta bort de överflödiga bladen")
    chosen = data_sheets[0] if data_sheets else first_filled
    if chosen is None:
        raise FileRefused(path, "arbetsboken är tom: inget blad har en rubrikrad")
    return SheetPath.of(path, chosen[0], names[chosen[0]]), chosen[1]


def header_of(data: bytes) -> str | None:
    """The first line of converted sheet text that holds a value, or None."""
    for line in data.split(b"\n"):
        if line.strip(b"; \r"):
            return line.decode("utf-8")
    return None


def stage_excel(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    workdir: Path,
    file_index: int = 0,
) -> Staged:
    """Stage a workbook's data sheet exactly as a CSV file with the same rows would be staged."""
    sheet, data = excel_sheet(path, required=required)
    sheet.data = data
    try:
        return stage_lines(con, sheet, Lines(data), "xlsx", True, table, required, optional, workdir, file_index,
                           delimiter=EXCEL_DELIMITER)
    except FileRefused as exc:
        raise FileRefused(path, f"bladet {sheet_label(sheet.sheet)}: {exc.reason}") from None
