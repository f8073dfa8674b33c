"""A centre's two priorities per year, as entered on the Familjecentral page: stored as a priorities file, then rebuilt.

A form entry never changes the published database in place. It is written as the centre's own source file
`priorities-form-<centre>.csv` (one per centre, every year it has entered) and goes through the import's
accept: the same checks, the same build, the same atomic publish; the earlier version of the file moves
to arkiv/. The name sorts before every other `priorities*.csv` ('-' < '.' < '_'), so where a bulk file
holds the same centre, year and rank, the form's entry loads and the bulk row is the reported duplicate.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from etl.sources import KINDS
from fc import fmt, importer

COLUMNS = ("centre_id", "year", "rank", "area", "goal", "outcome")
PREFIX = "priorities-form-"


@dataclass(frozen=True)
class Entry:
    rank: int
    area: str
    goal: str
    outcome: str = ""


def form_file(centre_id: str) -> str:
    """The centre's form file: a readable slug of its id plus a short hash, so two ids never share a file."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", centre_id).strip("-")[:40] or "centre"
    digest = hashlib.sha1(centre_id.encode("utf-8")).hexdigest()[:8]
    return f"{PREFIX}{slug}-{digest}.csv"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def problems(entries: list[Entry]) -> list[str]:
    """What keeps a form entry from being saved, in Swedish (the build checks the rest)."""
    found = []
    for e in entries:
        if not e.area:
            found.append(f"Prioritering {e.rank}: välj ett område.")
        if not _one_line(e.goal):
            found.append(f"Prioritering {e.rank}: skriv ett mätbart mål.")
    areas = [e.area for e in entries if e.area]
    if len(set(areas)) < len(areas):
        found.append("De två prioriteringarna ska gälla olika områden.")
    return found


def read_rows(source: Path, centre_id: str) -> list[dict[str, str]]:
    """The rows of the centre's form file in the source folder (empty when it has none)."""
    path = source / form_file(centre_id)
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def content(source: Path, centre_id: str, year: int, entries: list[Entry]) -> bytes:
    """The centre's form file with `year` replaced by `entries` and every other year kept."""
    kept = [r for r in read_rows(source, centre_id) if r.get("year") != str(year)]
    rows = kept + [{"centre_id": centre_id, "year": str(year), "rank": str(e.rank), "area": e.area,
                    "goal": _one_line(e.goal), "outcome": _one_line(e.outcome)} for e in entries]
    rows.sort(key=lambda r: (r["year"], r["rank"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def save(centre_id: str, year: int, entries: list[Entry], source: Path, db: Path,
         progress: Callable[[float, str], None] | None = None) -> importer.Accepted:
    """Write the centre's form file through the import's accept (checks, rebuild, publish); raises as accept does."""
    name = form_file(centre_id)
    upload = importer.Upload(name, content(source, centre_id, year, entries), KINDS["priorities"].name, stored=name,
                             replaces=name if (source / name).is_file() else None)
    return importer.accept([upload], source, db, progress=progress)


def _result(is_goal: bool, score, share_positive, suppression) -> str:
    """A goal's share positive (or why it is hidden), an area's self-reflection score; '–' when none was reported."""
    if is_goal:
        hidden = fmt.hidden(suppression)
        return hidden or (fmt.MISSING if pd.isna(share_positive) else f"{fmt.percent(share_positive)} positiva")
    return fmt.MISSING if pd.isna(score) else f"{fmt.number(score, 1)} av 6"


def shown(frame: pd.DataFrame, year: int, with_results: bool = True) -> pd.DataFrame:
    """The priorities as the page and report show them: area, goal, outcome, and the area's result this year and last."""
    is_goal = frame["area"].str.startswith("Mål ")
    table = pd.DataFrame({
        "Prioritering": frame["rank"],
        "Område": [f"{a}: {g}" if goal else a for a, g, goal in zip(frame["area"], frame["goal_name"], is_goal)],
        "Mätbart mål": frame["measurable_goal"],
        "Hur det gick": frame["outcome"].fillna("–"),
    })
    if with_results:
        table[f"Resultat {year}"] = [_result(g, s, p, x) for g, s, p, x in zip(
            is_goal, frame["area_score"], frame["share_positive"], frame["suppression"])]
        table[f"Resultat {year - 1}"] = [_result(g, s, p, x) for g, s, p, x in zip(
            is_goal, frame["area_score_before"], frame["share_positive_before"], frame["suppression_before"])]
    return table
