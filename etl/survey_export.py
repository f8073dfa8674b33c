"""The parent survey as survey tools export it, turned into the contract's rows before the checks.

A survey tool exports one row per respondent and one column per question, headed by the question's text,
with the answers as labels ("Stämmer helt och hållet" … "Stämmer inte alls", "Vet ej"), a timestamp and the
centre as a chosen answer. A `parent_survey*` file whose header has no `response_id` but names questions of the
catalogue is such an export. Its columns are matched to the catalogue's question texts (exactly, then
normalised: case, whitespace, punctuation, a leading question number, Google Forms' `Title [question]`), and
to the roles timestamp/year, centre, gender and language by their usual headers; a saved mapping
(`survey_columns.csv` in the source folder: `column,target`) comes first. Labels become scores through the
catalogue's `answer_labels.csv`; the centre answer becomes the registry's centre_id (by id, else by name).

The converted rows keep the export's physical lines, so every rule, reject and raw line works unchanged: a row
whose centre, year or answer cannot be mapped keeps the unmapped value and is rejected by the usual rule, with
its reason (unknown centre_id, no year, an answer that is no number); nothing is dropped.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.rules import lit, q

CATALOGUES = Path(__file__).resolve().parents[1] / "data" / "catalogues"
LABELS_FILE = "answer_labels.csv"
MAPPING_FILE = "survey_columns.csv"
MAPPING_COLUMNS = ("column", "target")
IGNORE = "ignore"
# Roles a column can have besides a question; `timestamp` gives the year when there is no year column.
ROLES = ("timestamp", "year", "centre_id", "gender", "language", IGNORE)
ROLE_HEADERS = {
    "timestamp": ("tidstämpel", "tidsstämpel", "timestamp", "starttid", "start time", "sluttid", "completion time",
                  "slutförd", "inskickad", "submitted at", "datum", "date", "svarsdatum", "created", "skapad"),
    "year": ("year", "år", "enkätår"),
    "centre_id": ("centre_id", "familjecentral", "vilken familjecentral besöker du", "vilken familjecentral",
                  "centre", "center", "enhet"),
    "gender": ("gender", "kön", "jag är"),
    "language": ("language", "språk", "vilket språk talas mest hemma", "språk som mest talas hemma"),
}


@dataclass
class Match:
    column: str             # the export's header, as written
    target: str | None      # an item id, a role, or None (unmatched: ignored)
    how: str                # "sparad", "exakt", "normaliserad", "roll" or "ingen"


def normalise(text: str) -> str:
    """Case, whitespace and punctuation do not matter: 'Det är lätt att ta sig hit!' ~ 'det är lätt att ta sig hit'."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    return " ".join(text.split())


def _variants(header: str) -> list[str]:
    """A header and the question it may hold: without a leading number ("3. …"), the part in brackets (Google Forms)."""
    out = [header]
    bracket = re.search(r"\[([^\]]+)\]\s*$", header)
    if bracket:
        out.append(bracket.group(1))
    out += [re.sub(r"^\s*(fråga\s*)?\d+[a-z]?\s*[.):-]\s*", "", h, flags=re.IGNORECASE) for h in list(out)]
    return out


def mapping_rows(folder: Path) -> dict[str, str]:
    """The saved mapping of a source folder as written: export header → item or role."""
    path = folder / MAPPING_FILE
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {r["column"]: r["target"].strip() for r in csv.DictReader(handle) if r.get("column") and r.get("target")}


def read_mapping(folder: Path) -> dict[str, str]:
    """The saved mapping of a source folder: export header (normalised) → item or role."""
    return {normalise(column): target for column, target in mapping_rows(folder).items()}


def write_mapping(path: Path, mapping: dict[str, str]) -> None:
    """Write a mapping file (header as written → item or role)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MAPPING_COLUMNS)
        for column, target in mapping.items():
            writer.writerow([column, target])


def read_labels(folder: Path | None = None) -> dict[str, int]:
    """Answer label (normalised) → score; a source folder's answer_labels.csv replaces the bundled one."""
    path = folder / LABELS_FILE if folder is not None and (folder / LABELS_FILE).is_file() else CATALOGUES / LABELS_FILE
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {normalise(r["label"]): int(r["score"]) for r in csv.DictReader(handle)}


def match_columns(headers: list[str], items: list[tuple[str, str]], saved: dict[str, str]) -> list[Match]:
    """Each export header's target: the saved mapping, then question text exact, then normalised, then a role."""
    exact = {text.strip().lower(): item for item, text in items}
    loose = {normalise(text): item for item, text in items}
    valid = {item for item, _ in items} | set(ROLES)
    roles = {normalise(h): role for role, names in ROLE_HEADERS.items() for h in names}
    taken: set[str] = set()
    out = []
    for header in headers:
        target, how = None, "ingen"
        key = normalise(header)
        if saved.get(key) in valid:
            target, how = saved[key], "sparad"
        else:
            variants = _variants(header)
            found = [exact[v.strip().lower()] for v in variants if v.strip().lower() in exact]
            near = [loose[normalise(v)] for v in variants if normalise(v) in loose]
            if found:
                target, how = found[0], "exakt"
            elif near:
                target, how = near[0], "normaliserad"
            else:
                if key in roles:
                    target, how = roles[key], "roll"
                elif "familjecentral" in key:
                    target, how = "centre_id", "roll"
        if target in taken and target != IGNORE:
            target, how = None, "ingen"  # the first column with a target keeps it; a second one is not read
        if target:
            taken.add(target)
        out.append(Match(header, None if target == IGNORE else target, how if target != IGNORE else "sparad"))
    return out


def is_export(names: list[str], items: list[tuple[str, str]], saved: dict[str, str] | None = None) -> bool:
    """Whether a parent_survey header is a survey tool's: no response_id or item column, and a question's text in it.

    A contract file that lacks response_id stays a contract file, refused for the missing column."""
    if "response_id" in names or any(item in names for item, _ in items):
        return False
    return any(m.how in ("exakt", "normaliserad") or m.target in {i for i, _ in items}
               for m in match_columns(names, items, saved or {}))


def missing_items(matches: list[Match], items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    found = {m.target for m in matches}
    return [(item, text) for item, text in items if item not in found]


def convert(con: duckdb.DuckDBPyConnection, raw: str, table: str, headers: list[str], columns: list[str],
            matches: list[Match], items: list[str], labels: dict[str, int], response_prefix: str) -> None:
    """Create `table` in the contract's shape (`_file, _line, _seq`, contract columns, `_read`) from the staged export.

    `columns` are the staged column names of `headers` (same order). Values that cannot be mapped are kept as
    they are, so the usual rules reject their rows with a reason.
    """
    column_of = {m.target: columns[headers.index(m.column)] for m in matches if m.target}
    whens = " ".join(f"WHEN {lit(label)} THEN '{score}'" for label, score in labels.items())

    def source(target: str) -> str:
        return f"r.{q(column_of[target])}" if target in column_of else "NULL::VARCHAR"

    def answer(item: str) -> str:
        if item not in column_of:
            return "NULL::VARCHAR"
        value = f"r.{q(column_of[item])}"
        # A label is matched without case, punctuation or extra spaces ("Stämmer helt och hållet." = 5).
        key = f"trim(regexp_replace(lower(nfc_normalize({value})), '[^\\p{{L}}\\p{{N}}]+', ' ', 'g'))"
        return f"CASE {key} {whens} ELSE {value} END"

    if "year" in column_of:
        year = source("year")
    elif "timestamp" in column_of:
        # The year of the timestamp, whatever its format (2025-03-14 10:22, 14.3.2025, 3/14/2025 …).
        year = f"coalesce(nullif(regexp_extract({source('timestamp')}, '(19|20)[0-9][0-9]', 0), ''), {source('timestamp')})"
    else:
        year = "NULL::VARCHAR"
    centre = source("centre_id")
    answers = ", ".join(f"{answer(i)} AS {q(i)}" for i in items)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT r._file, r._line, r._seq,
               {lit(response_prefix)} || r._line::VARCHAR AS response_id,
               -- The centre as chosen: the registry's id, else its name (one centre by that name), else as written.
               CASE WHEN trim({centre}) IN (SELECT centre_id FROM centre) THEN trim({centre})
                    ELSE coalesce(named.centre_id, {centre}) END AS centre_id,
               {year} AS year,
               {source('gender')} AS gender,
               {source('language')} AS language,
               {answers},
               r._read
        FROM {raw} AS r LEFT JOIN (
            SELECT lower(trim(name)) AS name_key, any_value(centre_id) AS centre_id FROM centre
            GROUP BY ALL HAVING count(*) = 1
        ) AS named ON named.name_key = lower(trim({centre}))
        """
    )
