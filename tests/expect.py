"""Independent expectations for page tests: the contract's rules computed with pandas from raw source CSVs."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def read(folder: Path, kind: str) -> pd.DataFrame:
    return pd.read_csv(next(folder.glob(f"{kind}*.csv")), dtype=str, keep_default_na=False)


def kommuner() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data/reference/kommuner.csv", dtype=str)


def centres(folder: Path) -> pd.DataFrame:
    c = read(folder, "centres")
    legs = c[["mhv", "bhv", "open_preschool", "social_services"]].astype(int)
    n = legs.sum(axis=1)
    c["type"] = "other"
    c.loc[(n >= 2) & (n <= 3) & (legs["bhv"] == 1) & (legs["open_preschool"] == 1), "type"] = "FCLV"
    c.loc[n == 4, "type"] = "FC"
    c["opened_year"] = c["opened"].str[:4].replace("", None).astype("float")
    c["closed_year"] = c["closed"].str[:4].replace("", None).astype("float")
    c["lan_code"] = c["kommun_code"].str[:2]
    return c


def active(c: pd.DataFrame, year: int) -> pd.DataFrame:
    return c[(c["opened_year"].isna() | (c["opened_year"] <= year)) & (c["closed_year"].isna() | (c["closed_year"] > year))]


def goal_scores(folder: Path) -> pd.DataFrame:
    """One row per respondent and goal: mean of the valid answers (1..5) to the goal's items."""
    items = pd.read_csv(ROOT / "data/catalogues/survey_items.csv")
    survey = read(folder, "parent_survey")
    long = survey.melt(id_vars=["response_id", "centre_id", "year", "gender", "language"],
                       value_vars=list(items["item"]), var_name="item", value_name="answer")
    long["answer"] = pd.to_numeric(long["answer"].replace("", None))
    long = long[long["answer"].between(1, 5)].merge(items[["item", "goal"]], on="item")
    scores = long.groupby(["centre_id", "year", "response_id", "gender", "language", "goal"], as_index=False)["answer"].mean()
    scores["year"] = scores["year"].astype(int)
    return scores.rename(columns={"answer": "score"})


def pooled_share(scores: pd.DataFrame) -> tuple[int, float | None]:
    """(n, share positive) for a pool of respondent goal scores; share None when n < 5."""
    n = len(scores)
    return n, ((scores["score"] >= 4).sum() / n if n >= 5 else None)
