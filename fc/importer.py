"""Import uploaded CSV files: check them with the build's own code, keep earlier versions, rebuild."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.build import BuildBusy, BuildFailed, build, fill  # noqa: F401  (BuildBusy re-exported for the page)
from etl.sources import kind_of

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = "arkiv"


@dataclass
class FileCheck:
    name: str
    kind: str | None
    refused: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)


def source_dir(db_path: Path) -> Path:
    """The folder the database is built from: FC_SOURCE, or the demo folder for the bundled demo database."""
    configured = os.environ.get("FC_SOURCE")
    return Path(configured) if configured else ROOT / "data" / "demo"


def _recognised(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.iterdir()) if p.is_file() and kind_of(p)] if folder.exists() else []


def check(uploads: dict[str, bytes], source: Path, today: dt.date | None = None) -> list[FileCheck]:
    """What a rebuild with these uploads would do to each uploaded file, without touching anything."""
    results = {name: FileCheck(name, kind_of(Path(name)).name if kind_of(Path(name)) else None) for name in uploads}
    for result in results.values():
        if result.kind is None:
            result.refused = ("filnamnet känns inte igen: det ska börja med centres, parent_survey, self_reflection "
                              "eller activity och sluta på .csv")
    with tempfile.TemporaryDirectory(prefix="fc-import-") as tmp:
        folder = Path(tmp)
        for path in _recognised(source):
            if path.name not in uploads:
                shutil.copy2(path, folder / path.name)
        for name, content in uploads.items():
            if results[name].refused is None:
                (folder / name).write_bytes(content)
        # A refused file would stop the build; drop it and check the others, until nothing is refused.
        while True:
            con = duckdb.connect(":memory:")
            try:
                fill(con, folder, today or dt.date.today())
                break
            except BuildFailed as failed:
                con.close()
                for name, reason in failed.refusals:
                    if name in results:
                        results[name].refused = reason
                        (folder / name).unlink(missing_ok=True)
                    else:
                        # An existing file or the mix of demo and real data: no upload can be checked further.
                        for result in results.values():
                            result.refused = result.refused or reason
                        return list(results.values())
        summary = con.execute("SELECT source_file, rows_read, rows_loaded FROM load_summary").df()
        rejects = con.execute(
            "SELECT source_file, line_number AS rad, reason AS skal, raw_line AS rad_i_filen FROM rejects "
            "ORDER BY source_file, line_number").df()
        con.close()
    for name, result in results.items():
        row = summary[summary["source_file"] == name]
        if len(row):
            result.rows_read, result.rows_loaded = int(row["rows_read"].iloc[0]), int(row["rows_loaded"].iloc[0])
        result.rejects = rejects[rejects["source_file"] == name].drop(columns=["source_file"]).reset_index(drop=True)
    return list(results.values())


def accept(uploads: dict[str, bytes], source: Path) -> list[Path]:
    """Put the uploads into the source folder; a file of the same name is first moved to arkiv/ with a time stamp."""
    source.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    archived = []
    for name, content in uploads.items():
        target = source / name
        if target.exists():
            archive = source / ARCHIVE
            archive.mkdir(exist_ok=True)
            kept = archive / f"{target.stem}.{stamp}{target.suffix}"
            os.replace(target, kept)
            archived.append(kept)
        partial = source / f".{name}.upload"
        partial.write_bytes(content)
        os.replace(partial, target)
    return archived


def rebuild(source: Path, db_path: Path, progress=None):
    """Rebuild the database the dashboard reads; open sessions move to it on their next interaction."""
    return build(source, db_path, progress=progress)
