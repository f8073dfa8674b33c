"""Build the DuckDB database from a source folder, and publish it atomically beside the target path."""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from etl import disclosure, load, read, reference, rules
from etl.sources import KINDS, LOAD_ORDER, classify

SQL_DIR = Path(__file__).resolve().parent / "sql"
# Disclosure control (etl/disclosure.py) iterates, which SQL cannot express. It decides from the cells of
# 07, which read only the survey and the centres, so 01 and 07 run as soon as the survey is loaded and the
# decision (Python, one core) is made while DuckDB loads and builds the rest on the other; the last file,
# 13, publishes through the decision.
EARLY_SQL = ("01_centres.sql", "07_goal_cell.sql")
DISCLOSURE_FOR = "13_goal_fulfilment.sql"
KEEP_GENERATIONS = 3
# DuckDB's working memory during a build. Staging and intermediate tables beyond it spill to a folder
# beside the database being built (removed afterwards), so a build's memory stays flat as data grows.
# 300 MB: the process peaks about 300 MB above it (Python, the line index of the survey file): 620 MB at
# four times the national data, where 400 MB peaked at 690-710 MB in about the same time.
MEMORY_LIMIT = "300MB"
DEMO_PREFIX = "DEMO-"


class BuildFailed(Exception):
    """The build was refused; `refusals` lists (file name, reason) and nothing was published."""

    def __init__(self, refusals: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {r}" for f, r in refusals))
        self.refusals = refusals


class BuildBusy(Exception):
    """Another build of the same database is running."""


@dataclass
class BuildResult:
    db: Path
    generation: Path | None
    files: list[dict] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    rows_loaded: int = 0
    rows_rejected: int = 0
    is_demo: bool = False
    seconds: float = 0.0


def remove(path: Path) -> None:
    """Delete a file or a folder (a build's spill folder) if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def connect(path: str | Path, spill: Path) -> duckdb.DuckDBPyConnection:
    """A connection for building into `path` (":memory:" too): bounded memory, spilling into the folder `spill`."""
    return duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(spill)})


def run_sql(con: duckdb.DuckDBPyConnection, sql_file: Path, fragments: dict[str, str]) -> None:
    con.execute(load.render(sql_file.read_text(encoding="utf-8"), fragments))


def generations_dir(db: Path) -> Path:
    return db.parent / f".{db.name}.gen"


def load_sources(con: duckdb.DuckDBPyConnection, by_kind: dict[str, list[Path]], max_year: int,
                 report: Callable[[float, str], None], after_survey: Callable[[], None]) -> None:
    """Stage, check and load every kind's files in LOAD_ORDER; `after_survey` runs once the survey is in."""
    refusals: list[tuple[str, str]] = []
    workdir = Path(tempfile.mkdtemp(prefix="fc-build-"))
    try:
        items: list[str] = []
        for step, name in enumerate(LOAD_ORDER):
            report(0.1 + 0.6 * step / len(LOAD_ORDER), f"Läser {KINDS[name].label}")
            kind = KINDS[name]
            if name == "parent_survey":
                items = [i for (i,) in con.execute("SELECT item FROM survey_item ORDER BY position").fetchall()]
                if not items:
                    refusals.append(("survey_items.csv", "enkätkatalogen innehåller inga giltiga frågor"))
                    continue
                con.execute(load.survey_table(items))
            required = kind.required + (tuple(items) if kind.item_columns else ())
            staged = []
            for index, path in enumerate(by_kind[name]):
                try:
                    staged.append(read.stage(con, path, f"stg_{name}_{index}", required, kind.optional, workdir, index,
                                             load.typed_columns(kind, items)))
                except read.FileRefused as exc:
                    refusals.append((exc.path.name, exc.reason))
            if refusals:
                # Later kinds depend on earlier ones; keep reading only to name every refused file.
                continue
            if staged:
                load.load_kind(con, kind, staged, load.rules_for(kind, max_year, items), items,
                               load.typed_rules_for(kind, max_year, items))
            if name == "parent_survey":
                after_survey()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if refusals:
        raise BuildFailed(refusals)


def is_demo_build(con: duckdb.DuckDBPyConnection, source: Path) -> bool:
    """Whether every centre is a demo centre; raises BuildFailed when demo and real centres are mixed."""
    n_demo, n_all = con.execute(
        "SELECT count(*) FILTER (WHERE starts_with(centre_id, ?)), count(*) FROM centre", [DEMO_PREFIX]
    ).fetchall()[0]
    if 0 < n_demo < n_all:
        raise BuildFailed([(
            source.name,
            f"källmappen blandar fiktiva demodata (centre_id som börjar med {DEMO_PREFIX}) med riktiga data; "
            "lägg demodata och riktiga filer i olika mappar",
        )])
    return n_all > 0 and n_demo == n_all


def fill(con: duckdb.DuckDBPyConnection, source: Path, today: dt.date,
         progress: Callable[[float, str], None] | None = None,
         while_deciding: Callable[[], None] = lambda: None) -> tuple[list[str], bool]:
    """Load every recognised file of `source` into `con` and create the views; raises BuildFailed.

    `while_deciding` runs when everything but DISCLOSURE_FOR is built, while disclosure control may still decide.
    """
    report = progress or (lambda share, text: None)
    con.execute(rules.MACROS)
    con.execute(rules.GENDER_LANGUAGE_MACROS)
    reference.load(con)
    con.execute(load.TABLES)
    con.execute(rules.CYCLE_MACROS)  # after the tables: priority_area reads the statement catalogue
    by_kind, ignored = classify(source)
    for name in ("survey_items", "statements"):
        if not by_kind[name]:
            by_kind[name] = [load.bundled_catalogue(f"{name}.csv")]

    with ThreadPoolExecutor(max_workers=1) as pool:
        early: dict = {}

        def start_disclosure() -> None:
            """01 and 07, then disclosure control's decision on a thread (see EARLY_SQL)."""
            early["fragments"] = load.goal_sql(con)
            for name in EARLY_SQL:
                run_sql(con, SQL_DIR / name, early["fragments"])
            early["cells"] = disclosure.cells(con)
            early["decision"] = pool.submit(disclosure.decide, early["cells"])
            # One core stays the decision's; DuckDB gets both back once the decision is in.
            con.execute("SET threads = 1")

        load_sources(con, by_kind, today.year + 1, report, start_disclosure)
        is_demo = is_demo_build(con, source)
        report(0.75, "Beräknar vyer")
        con.execute(
            "CREATE TABLE build_info AS SELECT * FROM (VALUES ('current_year', ?), ('is_demo', ?), ('source', ?), "
            "('built_at', ?)) t(key, value)",
            [str(today.year), str(is_demo).lower(), source.name, dt.datetime.now().isoformat(timespec="seconds")],
        )
        # What is built so far is written while the decision may still be running.
        con.execute("CHECKPOINT")
        for sql_file in sorted(SQL_DIR.glob("*.sql")):
            if sql_file.name not in (*EARLY_SQL, DISCLOSURE_FOR):
                run_sql(con, sql_file, early["fragments"])
        while_deciding()
        disclosure.publish(con, early["cells"], early["decision"].result())
        con.execute("RESET threads")
        run_sql(con, SQL_DIR / DISCLOSURE_FOR, early["fragments"])
    return [p.name for p in ignored], is_demo


@contextmanager
def exclusive(db: Path) -> Iterator[None]:
    """Hold the build lock of `db`; a second concurrent build is refused at once."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.parent / f".{db.name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(f"en annan inläsning av {db.name} pågår redan; försök igen när den är klar") from None
        yield


def publish(db: Path, generation: Path) -> None:
    """Point `db` at `generation` with an atomic symlink swap, then prune old generations."""
    link = db.parent / f".{db.name}.{os.getpid()}.link"
    link.unlink(missing_ok=True)
    link.symlink_to(generation.relative_to(db.parent))
    os.replace(link, db)
    from etl.publish import console_path, generation_of, is_console_file

    live = generation.resolve()
    generations = [p for p in sorted(generations_dir(db).glob("*.duckdb")) if not is_console_file(p)]
    for old in generations[:-KEEP_GENERATIONS]:
        if old.resolve() != live:
            # A dashboard that still reads an old generation keeps its open file (POSIX).
            old.unlink(missing_ok=True)
            console_path(old).unlink(missing_ok=True)
    for console in generations_dir(db).glob("*.duckdb"):
        if is_console_file(console) and not generation_of(console).exists():
            console.unlink(missing_ok=True)  # its generation was pruned, or never renamed (killed build)


def build(source: Path, db: Path, today: dt.date | None = None,
          progress: Callable[[float, str], None] | None = None) -> BuildResult:
    """Build `db` from `source`; the database in use changes only when everything succeeded."""
    started = time.perf_counter()
    source, db = Path(source), Path(db).absolute()
    if not source.is_dir():
        raise BuildFailed([(str(source), "källmappen finns inte")])
    with exclusive(db):
        gen_dir = generations_dir(db)
        gen_dir.mkdir(parents=True, exist_ok=True)
        for stale in gen_dir.glob("*.part*"):
            remove(stale)  # left by a build that was killed
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        part = gen_dir / f"{stamp}-{os.getpid()}.duckdb.part"
        from etl.publish import console_path, finish_console_db, start_console_db

        generation = part.with_suffix("")
        # The console's own file (published relations only, read-only), renamed into place before the generation.
        console_part = console_path(generation).with_name(console_path(generation).name + ".part")
        spill = part.with_name(part.name + ".tmp")
        con = connect(part, spill)
        try:
            ignored, is_demo = fill(con, source, today or dt.date.today(), progress,
                                    lambda: start_console_db(con, console_part))
            con.execute("CHECKPOINT")
            files = con.execute("SELECT * FROM load_summary ORDER BY kind, source_file").df().to_dict("records")
            finish_console_db(con, console_part)
        except BaseException:
            con.close()
            for leftover in [*gen_dir.glob(f"{part.name}*"), *gen_dir.glob(f"{console_part.name}*")]:
                remove(leftover)  # the files, their write-ahead logs and the spill folder
            raise
        con.close()
        remove(spill)
        os.replace(console_part, console_path(generation))
        os.replace(part, generation)
        if progress:
            progress(0.95, "Byter till den nya databasen")
        publish(db, generation)
    return BuildResult(
        db=db,
        generation=generation,
        files=files,
        ignored_files=ignored,
        rows_loaded=sum(f["rows_loaded"] for f in files),
        rows_rejected=sum(f["rows_rejected"] for f in files),
        is_demo=is_demo,
        seconds=time.perf_counter() - started,
    )
