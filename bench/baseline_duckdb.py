"""Baseline: the build's parent-survey work as one hand-written DuckDB script (see bench/baseline_common.py).

    python bench/baseline_duckdb.py SOURCE OUT.duckdb
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import baseline_common as common  # noqa: E402

MACROS = r"""
CREATE TEMP MACRO blank(v) AS v IS NULL OR trim(v) = '';
CREATE TEMP MACRO num(v) AS coalesce(TRY_CAST(v AS DOUBLE),
    TRY_CAST(replace(regexp_replace(v, '[\s\u00a0]', '', 'g'), ',', '.') AS DOUBLE));
-- An answer as a number: the plain digits directly, anything else through num().
CREATE TEMP MACRO answer(v) AS CASE WHEN v IN ('0', '1', '2', '3', '4', '5') THEN CAST(v AS DOUBLE)
    WHEN blank(v) THEN NULL ELSE num(v) END;
CREATE TEMP MACRO answer_bad(v) AS NOT blank(v) AND coalesce(answer(v) NOT IN (0, 1, 2, 3, 4, 5), true);
""".replace("\\u00a0", "\u00a0")


def q(name: str) -> str:
    return '"' + name + '"'


def run(source: Path, db: Path, today: dt.date | None = None) -> dict:
    """Write goal_fulfilment and rejects for `source` into `db`; returns the seconds of disclosure control."""
    items = common.items(source)
    goals = sorted({g for _, g in items})
    centres, names = common.units(source)
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    con.execute("SET enable_progress_bar = false")
    con.execute(MACROS)
    con.register("centre_frame", centres)
    con.register("name_frame", names)
    con.execute("CREATE TEMP TABLE centres AS SELECT * FROM centre_frame")

    files = common.survey_files(source)
    # One table per file in read order: rowid + 2 is the line (the benchmark files have one line per record).
    reads = []
    for index, path in enumerate(files):
        con.execute(f"CREATE TEMP TABLE raw_{index} AS SELECT * FROM read_csv(?, all_varchar=true, header=true, "
                    "delim=',', quote='\"', escape='\"', auto_detect=false, columns=$cols)"
                    .replace("$cols", repr({c: "VARCHAR" for c in
                                            ["response_id", "centre_id", "year", "gender", "language",
                                             *[i for i, _ in items]]})), [str(path)])
        reads.append(f"SELECT {index} AS file, rowid + 2 AS line, * FROM raw_{index}")
    gender = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in common.GENDER.items())
    language = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in common.LANGUAGE.items())
    answers = ", ".join(f"CAST(nullif(answer({q(i)}), 0) AS TINYINT) AS {q(i)}" for i, _ in items)
    bad_answer = " OR ".join(f"answer_bad({q(i)})" for i, _ in items)
    con.execute(f"""
        CREATE TEMP TABLE checked AS
        WITH raw AS ({" UNION ALL ".join(reads)}),
        parsed AS (
            SELECT file, line, trim(response_id) AS response_id, trim(centre_id) AS centre_id, num(year) AS year,
                   blank(response_id) OR blank(centre_id) OR blank(year) AS missing,
                   CASE WHEN blank(gender) THEN NULL ELSE CASE lower(trim(gender)) {gender} ELSE '?' END END AS gender,
                   CASE WHEN blank(language) THEN NULL ELSE CASE lower(trim(language)) {language} ELSE '?' END END
                       AS language,
                   {bad_answer} AS bad_answer,
                   {answers}
            FROM raw
        )
        SELECT *, missing OR year IS NULL OR NOT isfinite(year) OR year <> round(year)
                  OR year NOT BETWEEN 2000 AND {common.max_year(today)}
                  OR centre_id NOT IN (SELECT centre_id FROM centres)
                  OR gender IS NOT DISTINCT FROM '?' OR language IS NOT DISTINCT FROM '?' OR bad_answer AS bad
        FROM parsed
    """)
    con.execute("""
        CREATE TEMP TABLE ok AS
        SELECT * EXCLUDE (bad, missing, bad_answer, year), CAST(year AS INTEGER) AS year,
               row_number() OVER (PARTITION BY centre_id, CAST(year AS INTEGER), response_id ORDER BY file, line) > 1
                   AS duplicate
        FROM checked WHERE NOT bad
    """)
    con.register("file_names", __import__("pandas").DataFrame({"file": range(len(files)),
                                                                 "source_file": [p.name for p in files]}))
    con.execute("""
        CREATE TABLE rejects AS
        SELECT source_file, CAST(line AS INTEGER) AS line_number FROM (
            SELECT file, line FROM checked WHERE bad UNION ALL SELECT file, line FROM ok WHERE duplicate
        ) JOIN file_names USING (file)
    """)

    scores = ", ".join(
        "(" + " + ".join(f"coalesce({q(i)}, 0)" for i, g in items if g == goal) + ") / nullif("
        + " + ".join(f"CAST({q(i)} IS NOT NULL AS INTEGER)" for i, g in items if g == goal) + f", 0) AS s{goal}"
        for goal in goals)
    aggregates = ", ".join(f"count(s{g}) AS n{g}, count(*) FILTER (WHERE s{g} >= 4) AS p{g}, sum(s{g}) AS t{g}"
                           for g in goals)
    long = " UNION ALL ".join(f"SELECT year, gender, language, centre_id, {g} AS goal, n{g} AS n, p{g} AS n_positive, "
                              f"t{g} AS score_sum FROM per_group WHERE n{g} > 0" for g in goals)
    cells = con.execute(f"""
        WITH scored AS (SELECT year, gender, language, centre_id, {scores} FROM ok WHERE NOT duplicate),
        per_group AS (SELECT year, gender, language, centre_id, {aggregates} FROM scored GROUP BY ALL),
        base AS (SELECT l.*, c.kommun_code, c.lan_code FROM ({long}) AS l JOIN centres AS c USING (centre_id)),
        segmented AS (
            SELECT *, 'alla' AS segment FROM base
            UNION ALL SELECT *, coalesce(gender, 'okänt kön') FROM base
            UNION ALL SELECT *, CASE WHEN language IS NULL THEN 'okänt språk' WHEN language = 'svenska' THEN 'svenska'
                                     ELSE 'annat språk' END FROM base
        )
        SELECT year, goal,
               CASE WHEN GROUPING(centre_id) = 0 THEN 'centre' WHEN GROUPING(kommun_code) = 0 THEN 'kommun'
                    WHEN GROUPING(lan_code) = 0 THEN 'lan' ELSE 'riket' END AS level,
               coalesce(centre_id, kommun_code, lan_code, 'SE') AS unit_code,
               CASE WHEN GROUPING(centre_id) = 0 THEN kommun_code WHEN GROUPING(kommun_code) = 0 THEN lan_code
                    WHEN GROUPING(lan_code) = 0 THEN 'SE' END AS parent_code,
               segment, CAST(sum(n) AS INTEGER) AS n, CAST(sum(n_positive) AS INTEGER) AS n_positive,
               sum(score_sum) AS score_sum
        FROM segmented
        GROUP BY GROUPING SETS ((year, goal, segment, centre_id, kommun_code, lan_code),
                                (year, goal, segment, kommun_code, lan_code), (year, goal, segment, lan_code),
                                (year, goal, segment))
    """).df()
    answered = ", ".join(f"count({q(i)}) AS {q(i)}" for i, _ in items)
    item_goal = " UNION ALL ".join(f"SELECT '{i}' AS item, {g} AS goal" for i, g in items)
    smallest = con.execute(f"""
        WITH per_centre AS (SELECT year, centre_id, {answered} FROM ok WHERE NOT duplicate GROUP BY ALL),
        long AS (UNPIVOT per_centre ON COLUMNS(* EXCLUDE (year, centre_id)) INTO NAME item VALUE n_answered),
        rolled AS (
            SELECT year, item, CASE WHEN GROUPING(centre_id) = 0 THEN 'centre' WHEN GROUPING(kommun_code) = 0
                       THEN 'kommun' WHEN GROUPING(lan_code) = 0 THEN 'lan' ELSE 'riket' END AS level,
                   coalesce(centre_id, kommun_code, lan_code, 'SE') AS unit_code, sum(n_answered) AS n_answered
            FROM long JOIN centres USING (centre_id)
            GROUP BY GROUPING SETS ((year, item, centre_id, kommun_code, lan_code), (year, item, kommun_code, lan_code),
                                    (year, item, lan_code), (year, item))
        )
        SELECT year, level, unit_code, goal, min(n_answered) AS min_item_answered
        FROM rolled JOIN ({item_goal}) USING (item) WHERE n_answered > 0 GROUP BY ALL
    """).df()
    cells = cells.merge(smallest, on=["year", "level", "unit_code", "goal"], how="left")
    cells.loc[cells["segment"] != "alla", "min_item_answered"] = None
    decision, disclosure_s = common.suppress(cells)
    cells = cells.sort_values(common.disclosure.KEY).reset_index(drop=True)
    cells["suppression"] = decision.to_numpy()
    con.register("decided", cells)
    con.execute(f"""
        CREATE TABLE goal_fulfilment AS
        WITH w AS (
            SELECT *, n_positive / n AS p, CAST(n AS DOUBLE) AS nd, {common.Z} AS z FROM decided
            WHERE segment NOT IN ('okänt kön', 'okänt språk')
        ),
        b AS (SELECT *, (p + z * z / (2 * nd)) / (1 + z * z / nd) AS c,
                        z * sqrt(p * (1 - p) / nd + z * z / (4 * nd * nd)) / (1 + z * z / nd) AS h FROM w)
        SELECT CAST(year AS INTEGER) AS year, level, unit_code, unit_name, CAST(goal AS INTEGER) AS goal, segment, n,
               CASE WHEN suppression IS NULL THEN n_positive END AS n_positive,
               CASE WHEN suppression IS NULL THEN p END AS share_positive,
               CASE WHEN suppression IS NULL THEN score_sum / n END AS mean_score,
               CASE WHEN suppression IS NULL THEN greatest(c - h, 0) END AS ci_low,
               CASE WHEN suppression IS NULL THEN least(c + h, 1) END AS ci_high,
               suppression IS NOT NULL AS suppressed, suppression
        FROM b JOIN name_frame USING (level, unit_code)
    """)
    con.close()
    return {"disclosure_s": disclosure_s}


if __name__ == "__main__":
    started = time.perf_counter()
    print(run(Path(sys.argv[1]), Path(sys.argv[2])), time.perf_counter() - started)
