"""Baseline: the build's parent-survey work in pandas and numpy (see bench/baseline_common.py).

    python bench/baseline_pandas.py SOURCE OUT.duckdb
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import baseline_common as common  # noqa: E402

DIGITS = ["0", "1", "2", "3", "4", "5"]
LEVELS = [("centre", ["centre_id", "kommun_code", "lan_code"]), ("kommun", ["kommun_code", "lan_code"]),
          ("lan", ["lan_code"]), ("riket", [])]


def num(text: pd.Series) -> np.ndarray:
    """The build's num(): a number as written, else with blanks removed and a decimal comma."""
    first = pd.to_numeric(text.str.strip(), errors="coerce").to_numpy(float, copy=True)
    retry = np.isnan(first)
    if retry.any():
        second = text[retry].str.replace(r"[\s\u00a0]", "", regex=True).str.replace(",", ".", regex=False)
        first[retry] = pd.to_numeric(second, errors="coerce").to_numpy(float)
    # to_numeric reads "nan" as missing; a text that says nan is a number that is not in range (as in DuckDB).
    first[np.isnan(first) & text.str.strip().str.lower().eq("nan").to_numpy()] = np.inf
    return first


def blank(text: pd.Series) -> np.ndarray:
    return text.str.strip(" ").eq("").to_numpy()


def answers(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(value, bad) of one answer column: value NaN when blank or 0 ('vet ej'), bad when not blank nor 0..5."""
    value = np.full(len(text), np.nan)
    plain = text.isin(DIGITS).to_numpy()
    value[plain] = text[plain].astype(int).to_numpy()
    other = ~plain & ~blank(text)
    bad = np.zeros(len(text), bool)
    if other.any():
        parsed = num(text[other])
        ok = np.isin(parsed, [0, 1, 2, 3, 4, 5])
        value[np.flatnonzero(other)[ok]] = parsed[ok]
        bad[np.flatnonzero(other)[~ok]] = True
    value[value == 0] = np.nan
    return value, bad


def category(text: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """The build's gender_value/language_value: None when blank, '?' when unknown."""
    mapped = text.str.strip(" ").str.lower().map(mapping).astype(object)
    mapped[mapped.isna()] = "?"
    mapped[blank(text)] = None
    return mapped


def rollup(frame: pd.DataFrame, keys: list[str], values: dict[str, str]) -> pd.DataFrame:
    """The four levels of `frame` (grouped by `keys` + the level's units): level, unit_code, parent_code."""
    parts = []
    for level, units in LEVELS:
        grouped = frame.groupby(keys + units, sort=False, dropna=False, observed=True).agg(values).reset_index()
        grouped["level"] = level
        grouped["unit_code"] = grouped[units[0]] if units else "SE"
        grouped["parent_code"] = grouped[units[1]] if len(units) > 1 else ("SE" if units else None)
        parts.append(grouped.drop(columns=units))
    return pd.concat(parts, ignore_index=True)


def run(source: Path, db: Path, today: dt.date | None = None) -> dict:
    """Write goal_fulfilment and rejects for `source` into `db`; returns the seconds of disclosure control."""
    items = common.items(source)
    item_names = [i for i, _ in items]
    goals = sorted({g for _, g in items})
    centres, names = common.units(source)
    known = set(centres["centre_id"])
    frames, rejected = [], []
    for path in common.survey_files(source):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, engine="c")
        raw = raw.rename(columns=lambda c: c.strip().lower())
        line = np.arange(len(raw)) + 2
        centre_id, response_id = raw["centre_id"].str.strip(" "), raw["response_id"].str.strip(" ")
        year = num(raw["year"])
        gender, language = category(raw["gender"], common.GENDER), category(raw["language"], common.LANGUAGE)
        bad = blank(raw["response_id"]) | blank(raw["centre_id"]) | blank(raw["year"])
        with np.errstate(invalid="ignore"):
            bad |= ~np.isfinite(year) | (year != np.round(year)) | (year < 2000) | (year > common.max_year(today))
        bad |= ~centre_id.isin(known).to_numpy() | (gender == "?").to_numpy() | (language == "?").to_numpy()
        values = np.empty((len(raw), len(items)))
        for k, item in enumerate(item_names):
            values[:, k], item_bad = answers(raw[item])
            bad |= item_bad
        good = pd.DataFrame({"line": line, "centre_id": centre_id, "response_id": response_id,
                             "year": np.where(bad, 0, np.nan_to_num(year)).astype(int), "gender": gender,
                             "language": language})[~bad]
        rejected.append(pd.DataFrame({"source_file": path.name, "line_number": line[bad]}))
        frames.append((path.name, good, values[~bad]))
    survey = pd.concat([f for _, f, _ in frames], keys=[n for n, _, _ in frames], names=["source_file", None])
    values = np.concatenate([v for _, _, v in frames])
    duplicate = survey.duplicated(["centre_id", "year", "response_id"]).to_numpy()
    rejected.append(pd.DataFrame({"source_file": survey.index.get_level_values(0)[duplicate],
                                  "line_number": survey["line"].to_numpy()[duplicate]}))
    survey, values = survey[~duplicate].reset_index(drop=True), values[~duplicate]
    survey = survey.merge(centres, on="centre_id", how="left")

    group = ["year", "gender", "language", "centre_id", "kommun_code", "lan_code"]
    per_goal = []
    for goal in goals:
        columns = [k for k, (_, g) in enumerate(items) if g == goal]
        block = values[:, columns]
        count = (~np.isnan(block)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.nansum(block, axis=1) / count
        scored = survey[group].assign(goal=goal, score=score, positive=score >= 4)[count > 0]
        per_goal.append(scored.groupby(group + ["goal"], dropna=False, sort=False)
                        .agg(n=("score", "size"), n_positive=("positive", "sum"), score_sum=("score", "sum"))
                        .reset_index())
    base = pd.concat(per_goal, ignore_index=True)
    segmented = pd.concat([
        base.assign(segment="alla"),
        base.assign(segment=base["gender"].fillna("okänt kön")),
        base.assign(segment=np.where(base["language"].isna(), "okänt språk",
                                     np.where(base["language"] == "svenska", "svenska", "annat språk"))),
    ], ignore_index=True).drop(columns=["gender", "language"])
    cells = rollup(segmented, ["year", "goal", "segment"], {"n": "sum", "n_positive": "sum", "score_sum": "sum"})

    answered = pd.DataFrame(~np.isnan(values), columns=item_names)
    answered = pd.concat([survey[["year", "centre_id", "kommun_code", "lan_code"]], answered], axis=1)
    per_centre = answered.groupby(["year", "centre_id", "kommun_code", "lan_code"], sort=False).sum().reset_index()
    long = per_centre.melt(["year", "centre_id", "kommun_code", "lan_code"], var_name="item", value_name="n_answered")
    long = long.merge(pd.DataFrame(items, columns=["item", "goal"]), on="item")
    rolled = rollup(long, ["year", "item", "goal"], {"n_answered": "sum"})
    smallest = (rolled[rolled["n_answered"] > 0].groupby(["year", "level", "unit_code", "goal"])["n_answered"].min()
                .rename("min_item_answered").reset_index())
    cells = cells.merge(smallest, on=["year", "level", "unit_code", "goal"], how="left")
    cells.loc[cells["segment"] != "alla", "min_item_answered"] = np.nan

    decision, disclosure_s = common.suppress(cells)
    common.write(db, common.fulfilment(cells, decision, names), pd.concat(rejected, ignore_index=True))
    return {"disclosure_s": disclosure_s}


if __name__ == "__main__":
    started = time.perf_counter()
    print(run(Path(sys.argv[1]), Path(sys.argv[2])), time.perf_counter() - started)
