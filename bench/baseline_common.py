"""What the build's baselines share: the catalogue, the units, disclosure control as a library, the check of equality.

A baseline (bench/baseline_duckdb.py, baseline_pandas.py, baseline_polars.py) does the build's work for the
parent survey by hand in one library: read the survey files, reject exactly the rows the build rejects, score
each respondent's goals, pool the cells, decide disclosure control with `etl.disclosure.decide` (the same pure
algorithm the build runs, so a ratio measures everything else; its own time is reported apart) and write the
published `goal_fulfilment` and the rejected (file, line) pairs into a DuckDB file. `compare` checks a
baseline's file against the build's database, so a ratio is only reported for baselines that are honest.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl import disclosure  # noqa: E402

CATALOGUE = ROOT / "data" / "catalogues" / "survey_items.csv"
REFERENCE = ROOT / "data" / "reference"
Z = 1.959963984540054
GENDER = {**{v: "kvinna" for v in ("kvinna", "k", "female", "woman", "f")},
          **{v: "man" for v in ("man", "m", "male")},
          **{v: "annat" for v in ("annat", "other", "annan")}}
LANGUAGE = {**{v: "svenska" for v in ("svenska", "swedish", "sv")},
            **{v: "annat" for v in ("annat", "annat språk", "other")}}
COLUMNS = ["year", "level", "unit_code", "unit_name", "goal", "segment", "n", "n_positive", "share_positive",
           "mean_score", "ci_low", "ci_high", "suppressed", "suppression"]
KEY = ["year", "level", "unit_code", "goal", "segment"]


def items(source: Path) -> list[tuple[str, int]]:
    """(item, goal) in catalogue order: the source folder's survey_items.csv, else the bundled one."""
    path = source / "survey_items.csv" if (source / "survey_items.csv").exists() else CATALOGUE
    with open(path, encoding="utf-8-sig") as handle:
        return [(row["item"].strip().lower(), int(row["goal"])) for row in csv.DictReader(handle)]


def survey_files(source: Path) -> list[Path]:
    return sorted(p for p in source.iterdir() if p.name.lower().startswith("parent_survey") and p.suffix == ".csv")


def units(source: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(centres: centre_id, kommun_code, lan_code; names: level, unit_code, unit_name) from the register and reference.

    The register of the benchmark data is valid, so a baseline reads it as it stands.
    """
    centres = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False)
                         for p in sorted(source.glob("centres*.csv"))])
    kommun = pd.read_csv(REFERENCE / "kommuner.csv", dtype=str)
    lan = pd.read_csv(REFERENCE / "lan.csv", dtype=str)
    centres = pd.DataFrame({
        "centre_id": centres["centre_id"].str.strip(" "),
        "name": centres["name"].str.replace(r"[\s\u00a0]+", " ", regex=True).str.strip(" "),
        "kommun_code": centres["kommun_code"].str.strip(" ").str.zfill(4),
    }).merge(kommun.rename(columns={"kommun_kod": "kommun_code", "lan_kod": "lan_code"})[["kommun_code", "lan_code"]])
    names = pd.concat([
        pd.DataFrame({"level": "centre", "unit_code": centres["centre_id"], "unit_name": centres["name"]}),
        pd.DataFrame({"level": "kommun", "unit_code": kommun["kommun_kod"], "unit_name": kommun["kommun"]}),
        pd.DataFrame({"level": "lan", "unit_code": lan["lan_kod"], "unit_name": lan["lan"]}),
        pd.DataFrame({"level": ["riket"], "unit_code": ["SE"], "unit_name": ["Riket"]}),
    ], ignore_index=True)
    return centres[["centre_id", "kommun_code", "lan_code"]], names


def max_year(today: dt.date | None) -> int:
    return (today or dt.date.today()).year + 1


def suppress(cells: pd.DataFrame) -> tuple[pd.Series, float]:
    """The build's decision per cell (None, 'primary', 'secondary') and the seconds it took.

    `cells`: year, goal, level, unit_code, parent_code, segment, n, n_positive, min_item_answered (for 'alla').
    Ordered as the build orders them, since the algorithm breaks ties by position.
    """
    cells = cells.sort_values(disclosure.KEY).reset_index(drop=True)
    started = time.perf_counter()
    decision = disclosure.decide(cells)
    return decision, time.perf_counter() - started


def write(db: Path, fulfilment: pd.DataFrame, rejected: pd.DataFrame) -> None:
    """The baseline's output: goal_fulfilment and rejects(source_file, line_number) in a new DuckDB file."""
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    con.register("f", fulfilment[COLUMNS])
    con.register("r", rejected[["source_file", "line_number"]])
    con.execute("CREATE TABLE goal_fulfilment AS SELECT * FROM f")
    con.execute("CREATE TABLE rejects AS SELECT source_file, CAST(line_number AS INTEGER) AS line_number FROM r")
    con.close()


def compare(build_db: Path, baseline_db: Path, tolerance: float = 1e-12) -> list[str]:
    """Differences between the build's survey results and a baseline's: empty when the baseline is honest."""
    with duckdb.connect(str(build_db), read_only=True) as con:
        want = con.execute(f"SELECT {', '.join(COLUMNS)} FROM goal_fulfilment").df()
        want_rejects = set(con.execute(
            "SELECT source_file, line_number FROM rejects WHERE kind = 'parent_survey'").fetchall())
    with duckdb.connect(str(baseline_db), read_only=True) as con:
        got = con.execute(f"SELECT {', '.join(COLUMNS)} FROM goal_fulfilment").df()
        got_rejects = set(con.execute("SELECT source_file, line_number FROM rejects").fetchall())
    problems = []
    if want_rejects != got_rejects:
        problems.append(f"rejected lines differ: {len(want_rejects - got_rejects)} only in the build "
                        f"({sorted(want_rejects - got_rejects)[:5]}), {len(got_rejects - want_rejects)} only in the "
                        f"baseline ({sorted(got_rejects - want_rejects)[:5]})")
    want = want.sort_values(KEY).reset_index(drop=True)
    got = got.sort_values(KEY).reset_index(drop=True)
    if len(want) != len(got) or not want[KEY].astype(str).equals(got[KEY].astype(str)):
        keys_w = set(map(tuple, want[KEY].astype(str).to_numpy()))
        keys_g = set(map(tuple, got[KEY].astype(str).to_numpy()))
        problems.append(f"cells differ: {len(want)} in the build, {len(got)} in the baseline; "
                        f"only in the build {sorted(keys_w - keys_g)[:3]}, only in the baseline {sorted(keys_g - keys_w)[:3]}")
        return problems
    for column in COLUMNS:
        if column in KEY:
            continue
        a, b = want[column], got[column]
        if column in ("share_positive", "mean_score", "ci_low", "ci_high"):
            a, b = a.to_numpy(float), b.to_numpy(float)
            same = (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= tolerance)
        else:
            same = (a.isna() & b.isna()).to_numpy() | (a.astype(object) == b.astype(object)).to_numpy()
        if not same.all():
            first = int(np.flatnonzero(~same)[0])
            problems.append(f"{column} differs in {int((~same).sum())} cells, e.g. {want.loc[first, KEY].to_dict()}: "
                            f"build {want.loc[first, column]!r}, baseline {got.loc[first, column]!r}")
    return problems


def fulfilment(cells: pd.DataFrame, decision: pd.Series, names: pd.DataFrame) -> pd.DataFrame:
    """The published table from the pooled cells (pandas; shared by the baselines that end in pandas)."""
    cells = cells.sort_values(disclosure.KEY).reset_index(drop=True)
    cells["suppression"] = decision.to_numpy()
    cells = cells[~cells["segment"].isin(disclosure.UNPUBLISHED)].merge(names, on=["level", "unit_code"])
    n = cells["n"].to_numpy(float)
    p = cells["n_positive"].to_numpy(float) / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    shown = cells["suppression"].isna().to_numpy()
    hide = lambda values: np.where(shown, values, np.nan)  # noqa: E731
    return pd.DataFrame({
        "year": cells["year"].astype("int32"), "level": cells["level"], "unit_code": cells["unit_code"],
        "unit_name": cells["unit_name"], "goal": cells["goal"].astype("int32"), "segment": cells["segment"],
        "n": cells["n"].astype("int32"),
        "n_positive": pd.Series(cells["n_positive"].to_numpy(), dtype="Int32").where(shown, pd.NA),
        "share_positive": hide(p), "mean_score": hide(cells["score_sum"].to_numpy(float) / n),
        "ci_low": hide(np.maximum(centre - half, 0)), "ci_high": hide(np.minimum(centre + half, 1)),
        "suppressed": ~shown, "suppression": cells["suppression"],
    })


def inject_faults(source: Path, target: Path, share: float = 0.002, seed: int = 13) -> int:
    """Copy `source` to `target` with faults in a share of the survey lines (and some odd but valid cells).

    Value faults only (each a rule of etl/rules.py: missing, not a number, out of range, unknown centre,
    gender, language, duplicate key): structural ones (a line with too many fields) are the build's own
    reading code and out of the baselines' scope. Returns the number of lines changed.
    """
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    changed = 0
    for path in sorted(source.glob("*.csv")):
        if not path.name.startswith("parent_survey"):
            (target / path.name).write_bytes(path.read_bytes())
            continue
        with open(path, encoding="utf-8") as src, open(target / path.name, "w", encoding="utf-8") as dst:
            header = src.readline()
            dst.write(header)
            columns = header.rstrip("\n").split(",")
            answers = range(columns.index("language") + 1, len(columns))
            previous: list[str] | None = None
            for line in src:
                if rng.random() >= share or previous is None:
                    dst.write(line)
                    previous = line.rstrip("\n").split(",")
                    continue
                fields = line.rstrip("\n").split(",")
                # Every kind of fault in turn, each with its variants in turn: small data gets all of them.
                kind, turn = changed % 14, changed // 14
                pick = lambda options: options[turn % len(options)]  # noqa: E731
                if kind == 0:
                    fields[0] = ""
                elif kind == 1:
                    fields[2] = pick(["abc", "1999", "2015,5", "20 15x"])
                    fields[2] = f'"{fields[2]}"' if "," in fields[2] else fields[2]
                elif kind == 2:
                    fields[1] = "DEMO-9999-99"
                elif kind == 3:
                    fields[3] = pick(["okänd", "pappa"])
                elif kind == 4:
                    fields[4] = pick(["tyska", "arabiska"])
                elif kind in (5, 6, 7):
                    fields[answers[rng.randrange(len(answers))]] = pick(["7", "x", "4.5", "-1", '"3,5"'])
                elif kind == 8:
                    fields[:3] = previous[:3]  # a duplicate key of the line before
                elif kind == 9:
                    fields[answers[rng.randrange(len(answers))]] = pick(['"4,0"', " 3", "2.0", "05"])  # odd but valid
                elif kind == 10:
                    fields[2] = pick([" " + fields[2], fields[2] + ".0"])  # odd but valid
                elif kind == 11:
                    fields[3] = pick(["K", "Male", " kvinna", "other"])  # odd but valid
                elif kind == 12:
                    fields[4] = pick(["Swedish", "SV", "annat språk"])  # odd but valid
                else:
                    fields[0] = " " + fields[0]  # odd but valid
                changed += 1
                dst.write(",".join(fields) + "\n")
                previous = fields
    return changed


def scale(source: Path, target: Path, times: int) -> None:
    """`source` with its survey `times` over (response ids made unique per copy), the other files as they are."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv")):
        if not path.name.startswith("parent_survey"):
            (target / path.name).write_bytes(path.read_bytes())
            continue
        with open(path, "rb") as src:
            header = src.readline()
            body = src.read()
        with open(target / path.name, "wb") as dst:
            dst.write(header)
            for copy in range(times):
                # Each copy's response ids get a prefix of their own, so no copy repeats a key of another.
                dst.write(body if copy == 0 else re.sub(rb"(?m)^(?=.)", b"x%d-" % copy, body))
