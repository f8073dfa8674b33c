"""Import uploaded CSV files and Excel workbooks (.xlsx) on a shared server.

The client's file name is never a path: it is cleaned for display and matched against the file kinds,
and the file is stored under a generated name. Size, columns and line length are bounded before any
parsing (for a workbook: its unpacked size and the sheet's cells before it is converted, then the same bounds on
the converted rows). The check runs the build's own code; accepting changes the source folder and the database
together or not at all.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import numpy as np
import pandas as pd

from etl.build import BuildBusy, BuildFailed, BuildResult, build, connect, exclusive, fill, publish
from etl import read, survey_export
from etl.read import DELIMITERS
from etl.sources import EXCEL_SUFFIX, KINDS, is_excel, kind_of

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = "arkiv"
LOG = logging.getLogger(__name__)

MAX_FILES = 20
MAX_BYTES = 100 * 1024 * 1024        # per file
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # per upload
MAX_COLUMNS = 300
MAX_LINE_BYTES = 100_000
MAX_EXCEL_UNPACKED = 1024 * 1024 * 1024  # a workbook's unpacked XML, checked before reading it
MAX_EXCEL_CELLS = 10_000_000             # rows × columns of the data sheet, checked before converting it
MAX_NAME = 80
UNNAMED = "namnlös fil"

UNKNOWN_NAME = ("filnamnet känns inte igen: det ska börja med centres, parent_survey, self_reflection, "
                "activity, priorities eller county_settings och sluta på .csv eller .xlsx")
WRITE_FAILED = ("Inläsningen avbröts: filerna eller databasen kunde inte skrivas (fullt diskutrymme eller "
                "saknad skrivrättighet). Inget har ändrats: källfilerna och databasen är som förut.")


class ImportFailed(Exception):
    """Accepting stopped; the source folder and the database are as they were. The message is short Swedish."""


@dataclass
class Upload:
    name: str                  # cleaned client file name, for display only
    content: bytes = field(repr=False)
    kind: str | None
    stored: str | None = None  # generated name in the source folder
    replaces: str | None = None  # an existing source file (server-side name) moved to arkiv/ on accept
    refused: str | None = None
    # A survey tool's export: columns the admin linked to a question on the page (header → item or "ignore").
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class FileCheck:
    upload: Upload
    refused: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def name(self) -> str:
        return self.upload.name

    @property
    def kind(self) -> str | None:
        return self.upload.kind


@dataclass
class Accepted:
    result: BuildResult
    stored: list[str]
    archived: list[str]


def source_dir(db_path: Path) -> Path:
    """The folder the database is built from: FC_SOURCE, or the demo folder for the bundled demo database."""
    configured = os.environ.get("FC_SOURCE")
    return Path(configured) if configured else ROOT / "data" / "demo"


def safe_name(raw: object) -> str:
    """The client's file name for display: no folders, no control or format characters, at most MAX_NAME long."""
    text = unicodedata.normalize("NFC", str(raw))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text
                   if unicodedata.category(c)[0] != "C" and unicodedata.category(c) not in ("Zl", "Zp"))
    text = " ".join(text.split())
    if text.strip(".") == "":
        return UNNAMED
    if len(text) > MAX_NAME:
        tail = text[-20:]
        text = text[:MAX_NAME - len(tail) - 1] + "…" + tail
    return text


def bounds(content: bytes, excel: bool = False, required: tuple[str, ...] = ()) -> str | None:
    """Why a file is too large to parse (size, longest line, columns in the header), read without parsing.

    A workbook is bounded by its unpacked size and its data sheet's columns and cells before it is converted;
    its converted rows (one line per sheet row) then meet the same bounds as a CSV file's lines.
    """
    if len(content) > MAX_BYTES:
        return f"filen är {len(content) / 1e6:.0f} MB; högst {MAX_BYTES // 2**20} MB per fil går att läsa in"
    if excel:
        try:
            _, content = read.excel_sheet(Path("upload.xlsx"), required=required, source=content,
                                          max_unpacked=MAX_EXCEL_UNPACKED, max_cells=MAX_EXCEL_CELLS,
                                          max_columns=MAX_COLUMNS)
        except read.FileRefused as refused:
            return refused.reason
        if len(content) > MAX_BYTES:
            return f"bladets data är {len(content) / 1e6:.0f} MB; högst {MAX_BYTES // 2**20} MB per fil går att läsa in"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            content = content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return None  # the build refuses it with its own reason
    buf = np.frombuffer(content, dtype=np.uint8)
    edges = np.concatenate(([-1], np.flatnonzero(buf == ord("\n")), [len(content)]))
    starts, lengths = edges[:-1] + 1, np.diff(edges) - 1
    longest = int(lengths.argmax())
    if lengths[longest] > MAX_LINE_BYTES:
        return (f"rad {longest + 1} är {int(lengths[longest]):,} byte lång; högst {MAX_LINE_BYTES:,} byte per rad "
                "går att läsa in").replace(",", " ")
    # The header is the first line that is not empty, as the build finds it.
    first = buf[np.minimum(starts, max(len(content) - 1, 0))] if len(content) else np.zeros(len(starts), np.uint8)
    filled = np.flatnonzero((lengths > 1) | ((lengths == 1) & (first != ord("\r"))))
    if not len(filled):
        return None
    at = int(filled[0])
    header = content[starts[at]:starts[at] + lengths[at]].decode("utf-8", errors="replace")
    columns = max(header.count(d) for d in DELIMITERS) + 1
    if columns > MAX_COLUMNS:
        return f"rubrikraden har {columns} kolumner; högst {MAX_COLUMNS} går att läsa in"
    return None


SIDE_FILES = (survey_export.MAPPING_FILE, survey_export.LABELS_FILE)  # read by the build beside the data files


def _link_side_files(source: Path, folder: Path) -> None:
    for name in SIDE_FILES:
        if (source / name).is_file():
            (folder / name).symlink_to((source / name).resolve())


def merged_mapping(source: Path, uploads: list[Upload]) -> dict[str, str] | None:
    """The source folder's saved export mapping plus the columns linked on this upload; None when none were."""
    fixes = {k: v for u in uploads for k, v in u.mapping.items()}
    if not fixes:
        return None
    merged = {survey_export.normalise(k): (k, v) for k, v in survey_export.mapping_rows(source).items()}
    merged.update({survey_export.normalise(k): (k, v) for k, v in fixes.items()})
    return dict(merged.values())


def _write_mapping(folder: Path, mapping: dict[str, str]) -> None:
    (folder / survey_export.MAPPING_FILE).unlink(missing_ok=True)
    survey_export.write_mapping(folder / survey_export.MAPPING_FILE, mapping)


def catalogue_items(source: Path) -> list[tuple[str, str]]:
    """The survey questions in effect: the source folder's survey_items.csv, else the bundled catalogue."""
    path = source / "survey_items.csv"
    if not path.is_file():
        path = ROOT / "data" / "catalogues" / "survey_items.csv"
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [(r["item"].strip().lower(), r["text"]) for r in csv.DictReader(handle) if r.get("item")]
    except (OSError, UnicodeDecodeError, KeyError, csv.Error):
        return []


def export_columns(upload: Upload, source: Path) -> list[survey_export.Match] | None:
    """How a parent survey upload's columns map to the questions, when it is a survey tool's export; else None."""
    if upload.kind != "parent_survey" or upload.refused:
        return None
    path = Path(upload.stored or upload.name)
    try:
        if is_excel(path):
            _, data = read.excel_sheet(path, required=KINDS["parent_survey"].required, source=upload.content,
                                       max_unpacked=MAX_EXCEL_UNPACKED, max_cells=MAX_EXCEL_CELLS,
                                       max_columns=MAX_COLUMNS)
            line, delimiter = read.header_of(data), read.EXCEL_DELIMITER
        else:
            text, _ = read.decode(path, upload.content)
            line = next((l for l in text.splitlines() if l.strip()), None)
            delimiter = read.sniff_delimiter(line or "")
        if line is None:
            return None
        names = read.parse_header(path, line, delimiter)
    except read.FileRefused:
        return None
    items = catalogue_items(source)
    saved = survey_export.read_mapping(source)
    saved.update({survey_export.normalise(k): v for k, v in upload.mapping.items()})
    if not survey_export.is_export(names, items, saved):
        return None
    return survey_export.match_columns(names, items, saved)


def _recognised(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return [p for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".") and kind_of(p)]


def existing(source: Path, kind: str) -> list[str]:
    """Names of the source files of one kind, which an upload may replace."""
    return [p.name for p in _recognised(source) if kind_of(p).name == kind]


def receive(files: Iterable[tuple[str, bytes]], source: Path, stamp: str | None = None) -> list[Upload]:
    """Clean names, bound sizes and give each usable upload a generated name in the source folder."""
    stamp = stamp or dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    present = {p.name for p in source.iterdir()} if source.is_dir() else set()
    kinds = {p.name: kind_of(p).name for p in _recognised(source)}
    uploads: list[Upload] = []
    stored: set[str] = set()
    replaced: set[str] = set()
    total = 0
    for number, (raw_name, content) in enumerate(files, start=1):
        name = safe_name(raw_name)
        kind = kind_of(Path(name)) if name != UNNAMED else None
        suffix = EXCEL_SUFFIX if is_excel(Path(name)) else ".csv"
        upload = Upload(name, content, kind.name if kind else None)
        uploads.append(upload)
        total += len(content)
        if number > MAX_FILES:
            upload.refused = f"högst {MAX_FILES} filer kan läsas in åt gången"
        elif kind is None:
            upload.refused = UNKNOWN_NAME
        elif total > MAX_TOTAL_BYTES:
            upload.refused = f"filerna är sammanlagt större än {MAX_TOTAL_BYTES // 2**20} MB"
        else:
            upload.refused = bounds(content, excel=suffix == EXCEL_SUFFIX, required=kind.required)
        if upload.refused:
            continue
        if "*" in kind.pattern:
            n = number
            while (candidate := f"{kind.name}_upload_{stamp}_{n}{suffix}") in present | stored:
                n += MAX_FILES
            upload.stored = candidate
        else:
            # A catalogue has one fixed name and replaces the earlier one (a .csv by an .xlsx too).
            upload.stored = kind.pattern[: -len(".csv")] + suffix
            if any(kind_of(Path(other)) == kind for other in stored):
                upload.refused = f"en annan uppladdad fil är redan {kind.label}"
                upload.stored = None
                continue
        stored.add(upload.stored)
        default = upload.stored if upload.stored in kinds else name
        if "*" not in kind.pattern:
            default = next((n for n, k in kinds.items() if k == kind.name), default)
        if kinds.get(default) == kind.name and default not in replaced:
            upload.replaces = default
            replaced.add(default)
    return uploads


def check(uploads: list[Upload], source: Path, today: dt.date | None = None) -> list[FileCheck]:
    """What accepting these uploads would do to each of them, computed in a temporary folder."""
    results = [FileCheck(u, u.refused) for u in uploads]
    usable = {r.upload.stored: r for r in results if r.refused is None}
    if not usable:
        return results
    replaced = {r.upload.replaces for r in usable.values()}
    with tempfile.TemporaryDirectory(prefix="fc-import-") as tmp:
        folder = Path(tmp)
        for path in _recognised(source):
            if path.name not in replaced and path.name not in usable:
                (folder / path.name).symlink_to(path.resolve())
        for name, result in usable.items():
            (folder / name).write_bytes(result.upload.content)
        _link_side_files(source, folder)
        if (mapping := merged_mapping(source, [r.upload for r in usable.values()])) is not None:
            _write_mapping(folder, mapping)
        # A refused file would stop the build; drop it and check the others, until nothing is refused.
        while True:
            con = connect(":memory:", folder / ".spill")  # the build's memory bound; removed with the folder
            try:
                fill(con, folder, today or dt.date.today())
                break
            except BuildFailed as failed:
                con.close()
                for name, reason in failed.refusals:
                    if name in usable and usable[name].refused is None:
                        usable[name].refused = reason
                        (folder / name).unlink(missing_ok=True)
                    else:
                        # An existing file or the mix of demo and real data: no upload can be checked further.
                        for result in usable.values():
                            result.refused = result.refused or reason
                        return results
        summary = con.execute("SELECT source_file, rows_read, rows_loaded FROM load_summary").df()
        rejects = con.execute(
            "SELECT source_file, line_number AS rad, reason AS skal, raw_line AS rad_i_filen FROM rejects "
            "ORDER BY source_file, line_number").df()
        con.close()
    for name, result in usable.items():
        # A workbook's rows are staged as "<file>.xlsx:<sheet>".
        row = summary[(summary["source_file"] == name) | summary["source_file"].str.startswith(f"{name}:")]
        if len(row):
            result.rows_read, result.rows_loaded = int(row["rows_read"].iloc[0]), int(row["rows_loaded"].iloc[0])
        mine = rejects[(rejects["source_file"] == name) | rejects["source_file"].str.startswith(f"{name}:")]
        if is_excel(Path(name)):
            mine = mine.assign(blad=mine["source_file"].str.partition(":")[2])[["blad", *rejects.columns]]
        result.rejects = mine.drop(columns=["source_file"]).reset_index(drop=True)
    return results


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def accept(uploads: list[Upload], source: Path, db: Path,
           progress: Callable[[float, str], None] | None = None) -> Accepted:
    """Put the uploads into the source folder and rebuild `db`: both change together, or neither does.

    The build reads a staged folder inside the source folder (links to the kept files plus the uploads);
    only after it has published are the uploads moved in and replaced files moved to arkiv/. A failure
    while moving undoes the moves and points `db` back at the generation it had.
    Raises BuildFailed, BuildBusy or ImportFailed; nothing has changed then.
    """
    uploads = [u for u in uploads if u.refused is None and u.stored]
    if not uploads:
        raise ImportFailed("Det finns ingen godkänd fil att läsa in.")
    source, db = Path(source), Path(db).absolute()
    try:
        with exclusive(db.with_name(f"{db.name}.import")):
            return _accept(uploads, source, db, progress)
    except BuildBusy:
        raise BuildBusy("en annan inläsning pågår redan; försök igen när den är klar") from None
    except (OSError, duckdb.Error):
        LOG.exception("import into %s failed", source)
        raise ImportFailed(WRITE_FAILED) from None


def _accept(uploads: list[Upload], source: Path, db: Path, progress) -> Accepted:
    if not source.is_dir():
        raise ImportFailed("Källmappen finns inte; inget har ändrats. Kontrollera FC_SOURCE.")
    kept = {p.name: p for p in _recognised(source)}
    replaced = [u.replaces for u in uploads if u.replaces]
    for upload in uploads:
        target = upload.replaces
        if target is not None and (target not in kept or kind_of(kept[target]).name != upload.kind):
            raise ImportFailed(f"Filen {target} som skulle ersättas finns inte längre i källmappen; inget har ändrats.")
        if (source / upload.stored).exists() and upload.stored != target:
            raise ImportFailed("En fil med samma lagringsnamn finns redan; ladda upp filen igen. Inget har ändrats.")
        if kind_of(Path(upload.stored)) is None or kind_of(Path(upload.stored)).name != upload.kind:
            raise ImportFailed("Internt fel i filnamnet; inget har ändrats.")
    if len(set(replaced)) < len(replaced):
        raise ImportFailed("Två uppladdade filer ska ersätta samma fil; inget har ändrats.")

    work = Path(tempfile.mkdtemp(prefix=".import-", dir=source))
    made_archive = None
    try:
        stage = work / source.resolve().name  # the build records the folder's name
        stage.mkdir()
        for name, path in kept.items():
            if name not in replaced:
                (stage / name).symlink_to(path.resolve())
        for upload in uploads:
            with open(stage / upload.stored, "xb") as handle:
                handle.write(upload.content)
                handle.flush()
                os.fsync(handle.fileno())
        _link_side_files(source, stage)
        mapping = merged_mapping(source, uploads)
        if mapping is not None:
            _write_mapping(stage, mapping)
            with open(stage / survey_export.MAPPING_FILE, "rb") as handle:
                os.fsync(handle.fileno())
            if (source / survey_export.MAPPING_FILE).is_file():
                replaced = [*replaced, survey_export.MAPPING_FILE]  # the earlier mapping goes to arkiv/ too
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        archive = source / ARCHIVE
        moves = [(source / name, _archive_name(archive, name, stamp)) for name in replaced]
        moves += [(stage / u.stored, source / u.stored) for u in uploads]
        if mapping is not None:
            moves.append((stage / survey_export.MAPPING_FILE, source / survey_export.MAPPING_FILE))
        if replaced and not archive.is_dir():
            archive.mkdir()
            made_archive = archive
        previous = os.readlink(db) if db.is_symlink() else None

        result = build(stage, db, progress=progress)  # publishes only if the whole build succeeded

        done: list[tuple[Path, Path]] = []
        try:
            for old, new in moves:
                os.replace(old, new)
                done.append((old, new))
            _sync_dir(source)
        except BaseException:
            for old, new in reversed(done):
                os.replace(new, old)
            if previous is None:
                db.unlink(missing_ok=True)
            else:
                publish(db, db.parent / previous)
            if result.generation:
                result.generation.unlink(missing_ok=True)
            raise
    except BaseException:
        if made_archive is not None:
            made_archive.rmdir()  # created for this import, and left empty by the roll-back
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Accepted(result, [u.stored for u in uploads], [new.name for _, new in moves[:len(replaced)]])


def _archive_name(archive: Path, name: str, stamp: str) -> Path:
    stem, suffix = os.path.splitext(name)
    target, n = archive / f"{stem}.{stamp}{suffix}", 1
    while target.exists():
        n += 1
        target = archive / f"{stem}.{stamp}-{n}{suffix}"
    return target


__all__ = ["ARCHIVE", "Accepted", "BuildBusy", "BuildFailed", "FileCheck", "ImportFailed", "KINDS", "Upload",
           "accept", "bounds", "check", "existing", "receive", "safe_name", "source_dir"]
