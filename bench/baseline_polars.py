"""Baseline: the build's parent-survey work in polars (see bench/baseline_common.py).

    python bench/baseline_polars.py SOURCE OUT.duckdb

Polars reads, checks, scores and pools; the pooled cells (about 150 000 rows at national scale) go to
`etl.disclosure.decide` and the published formulas as pandas, which that algorithm takes.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import baseline_common as common  # noqa: E402

DIGITS = ["0", "1", "2", "3", "4", "5"]
LEVELS = [("centre", ["centre_id", "kommun_code", "lan_code"]), ("kommun", ["kommun_code", "lan_code"]),
          ("lan", ["lan_code"]), ("riket", [])]


def blank(name: str) -> pl.Expr:
    return pl.col(name).is_null() | (pl.col(name).str.strip_chars(" ") == "")


def num(name: str) -> pl.Expr:
    """The build's num(): a number as written, else with blanks removed and a decimal comma."""
    text = pl.col(name)
    return pl.coalesce(
        text.str.strip_chars().cast(pl.Float64, strict=False),
        text.str.replace_all("[\\s\u00a0]", "").str.replace_all(",", ".", literal=True).cast(pl.Float64, strict=False),
    )


def answer(name: str) -> pl.Expr:
    """An answer as a number: the plain digits directly, anything else through num()."""
    return (pl.when(pl.col(name).is_in(DIGITS)).then(pl.col(name).cast(pl.Float64))
            .when(blank(name)).then(None).otherwise(num(name)))


def category(name: str, mapping: dict[str, str]) -> pl.Expr:
    """The build's gender_value/language_value: null when blank, '?' when unknown."""
    mapped = pl.col(name).str.strip_chars(" ").str.to_lowercase().replace_strict(mapping, default="?")
    return pl.when(blank(name)).then(None).otherwise(mapped).alias(name)


def rollup(frame: pl.DataFrame, keys: list[str], values: list[pl.Expr]) -> pl.DataFrame:
    """The four levels of `frame` (grouped by `keys` + the level's units): level, unit_code, parent_code."""
    parts = []
    for level, units in LEVELS:
        grouped = frame.group_by(keys + units).agg(values)
        grouped = grouped.with_columns(
            level=pl.lit(level),
            unit_code=pl.col(units[0]) if units else pl.lit("SE"),
            parent_code=pl.col(units[1]) if len(units) > 1 else pl.lit("SE" if units else None, pl.String),
        ).drop(units)
        parts.append(grouped)
    return pl.concat(parts, how="diagonal")


def run(source: Path, db: Path, today: dt.date | None = None) -> dict:
    """Write goal_fulfilment and rejects for `source` into `db`; returns the seconds of disclosure control."""
    items = common.items(source)
    item_names = [i for i, _ in items]
    goals = sorted({g for _, g in items})
    centres_pd, names = common.units(source)
    centres = pl.from_pandas(centres_pd)
    known = centres["centre_id"]
    checked = []
    for index, path in enumerate(common.survey_files(source)):
        raw = pl.read_csv(path, infer_schema=False).rename(lambda c: c.strip().lower())
        year = num("year")
        bad = (blank("response_id") | blank("centre_id") | blank("year") | year.is_null() | year.is_nan()
               | year.is_infinite() | (year != year.round()) | ~year.is_between(2000, common.max_year(today))
               | ~pl.col("centre_id").str.strip_chars(" ").is_in(known.implode())
               | (pl.col("gender") == "?").fill_null(False) | (pl.col("language") == "?").fill_null(False))
        bad = pl.any_horizontal(bad, *[~blank(i) & ~answer(i).is_in([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]).fill_null(False)
                                      for i in item_names])
        checked.append(
            raw.with_row_index("line", offset=2)
            .with_columns(category("gender", common.GENDER), category("language", common.LANGUAGE))
            .with_columns(bad.alias("bad"), year.alias("year_value"))
            .select(pl.lit(index).alias("file"), pl.lit(path.name).alias("source_file"), "line", "bad",
                    pl.col("centre_id").str.strip_chars(" "), pl.col("response_id").str.strip_chars(" "),
                    pl.when(~pl.col("bad")).then(pl.col("year_value")).cast(pl.Int32).alias("year"),
                    "gender", "language",
                    *[pl.when(answer(i) > 0).then(answer(i)).alias(i) for i in item_names])
        )
    survey = pl.concat(checked)
    good = survey.filter(~pl.col("bad"))
    good = good.with_columns(duplicate=~pl.struct("centre_id", "year", "response_id").is_first_distinct())
    rejected = pl.concat([survey.filter(pl.col("bad")).select("source_file", "line"),
                          good.filter(pl.col("duplicate")).select("source_file", "line")])
    good = good.filter(~pl.col("duplicate")).join(centres, on="centre_id", how="left")

    def score(goal: int) -> pl.Expr:
        """The mean of the goal's answered items; null when none was answered."""
        members = [i for i, g in items if g == goal]
        count = pl.sum_horizontal([pl.col(i).is_not_null().cast(pl.Int32) for i in members])
        total = pl.sum_horizontal([pl.col(i).fill_null(0) for i in members])
        return pl.when(count > 0).then(total / count).alias(f"s{goal}")

    scores = [score(goal) for goal in goals]
    group = ["year", "gender", "language", "centre_id", "kommun_code", "lan_code"]
    scored = good.select(*group, *scores)
    per_group = scored.group_by(group).agg(
        *[e for g in goals for e in (pl.col(f"s{g}").count().alias(f"n{g}"),
                                     (pl.col(f"s{g}") >= 4).sum().alias(f"p{g}"),
                                     pl.col(f"s{g}").sum().alias(f"t{g}"))])
    base = pl.concat([per_group.select(*group, goal=pl.lit(g), n=pl.col(f"n{g}"), n_positive=pl.col(f"p{g}"),
                                       score_sum=pl.col(f"t{g}")).filter(pl.col("n") > 0) for g in goals])
    segmented = pl.concat([
        base.with_columns(segment=pl.lit("alla")),
        base.with_columns(segment=pl.col("gender").fill_null("okänt kön")),
        base.with_columns(segment=pl.when(pl.col("language").is_null()).then(pl.lit("okänt språk"))
                          .when(pl.col("language") == "svenska").then(pl.lit("svenska"))
                          .otherwise(pl.lit("annat språk"))),
    ]).drop("gender", "language")
    cells = rollup(segmented, ["year", "goal", "segment"],
                   [pl.col("n").sum(), pl.col("n_positive").sum(), pl.col("score_sum").sum()])

    keys = ["year", "centre_id", "kommun_code", "lan_code"]
    per_centre = good.group_by(keys).agg(*[pl.col(i).is_not_null().sum() for i in item_names])
    long = (per_centre.unpivot(item_names, index=keys, variable_name="item", value_name="n_answered")
            .join(pl.DataFrame(items, schema=["item", "goal"], orient="row"), on="item"))
    rolled = rollup(long, ["year", "item", "goal"], [pl.col("n_answered").sum()])
    smallest = (rolled.filter(pl.col("n_answered") > 0).group_by("year", "level", "unit_code", "goal")
                .agg(min_item_answered=pl.col("n_answered").min()))
    cells = (cells.join(smallest, on=["year", "level", "unit_code", "goal"], how="left")
             .with_columns(min_item_answered=pl.when(pl.col("segment") == "alla").then(pl.col("min_item_answered"))))

    cells_pd = cells.to_pandas()
    decision, disclosure_s = common.suppress(cells_pd)
    common.write(db, common.fulfilment(cells_pd, decision, names),
                 rejected.rename({"line": "line_number"}).to_pandas())
    return {"disclosure_s": disclosure_s}


if __name__ == "__main__":
    started = time.perf_counter()
    print(run(Path(sys.argv[1]), Path(sys.argv[2])), time.perf_counter() - started)
