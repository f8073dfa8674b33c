"""The survey's fast path (typed read, text path only for the lines that do not cast) loads what the text path loads."""
from __future__ import annotations

import codecs
import datetime as dt
import math
import random
import re

import duckdb

from conftest import CENTRE_HEADER, centre_row, survey_header, survey_items, write_csv
from etl import read
from etl.build import build

TODAY = dt.date(2024, 6, 1)
# Answer cells: plain, odd but valid ("vet ej" as 0, empty or blank; decimal comma; spaces; signs), and wrong.
VALID = ["1", "2", "3", "4", "5", "0", "", " ", "4,0", " 4", "4.0", "+4", "04", "4\u00a0", "1e0", "5."]
WRONG = ["4.5", "abc", "0x4", "9", "-1", "nan", "1,5", "６"]
YEARS = ["2022", "2023", "2023.0", " 2023", "20 23", "2023,0", "2023.5", "1999", "", "år"]


def number(cell: str) -> float | None:
    """The contract's reading of a number: as written, else without spaces and with a decimal comma."""
    for text in (cell, re.sub(r"[\s\u00a0]", "", cell).replace(",", ".")):
        if text.strip().isascii():  # Python reads other digits (６) too; the contract does not
            try:
                return float(text)
            except ValueError:
                pass
    return None


def first_broken(fields: list[str], items: list[str]) -> str | None:
    """The rule code a survey row breaks first (data contract section 4), or None."""
    response_id, centre_id, year, gender, language, *answers = fields
    if any(not v.strip() for v in (response_id, centre_id, year)):
        return "missing_value"
    y = number(year)
    if y is None or not math.isfinite(y) or y != round(y):
        return "not_a_number"
    if not 2000 <= y <= TODAY.year + 1:
        return "year_out_of_range"
    if centre_id.strip() not in ("C1", "C2"):
        return "unknown_centre"
    if gender.strip() and gender.strip().lower() not in ("kvinna", "man"):
        return "invalid_value"
    if language.strip() and language.strip().lower() not in ("svenska", "annat"):
        return "invalid_value"
    for answer in answers:
        if answer.strip():
            a = number(answer)
            if a is None:
                return "not_a_number"
            if a not in (0, 1, 2, 3, 4, 5):
                return "out_of_range"
    return None


def survey_lines(rng: random.Random, items: list[str]) -> tuple[list[str], dict[int, list[str]]]:
    """Survey lines with every kind of cell, a record over two lines, blank lines, a broken line; fields by line."""
    lines, fields_at = [",".join(survey_header())], {}
    for n in range(600):
        line = len(lines) + 1
        roll = rng.random()
        if roll < 0.03:
            lines.append("")
            continue
        answers = [rng.choice(VALID) if rng.random() < 0.3 else str(rng.randint(0, 5)) for _ in items]
        if roll < 0.15:
            answers[rng.randrange(len(items))] = rng.choice(WRONG)
        year = rng.choice(YEARS) if roll < 0.3 else "2023"
        rid = f"R{n % 550}"  # later repeats of a key are duplicates, typed or text rows alike
        fields = [rid, rng.choice(["C1", "C2", " C1", "C9"]), year, rng.choice(["kvinna", "Man", "", "x"]),
                  rng.choice(["svenska", "annat", " Svenska", ""]), *answers]
        if roll > 0.995:
            lines.append(",".join(fields) + ",extra")  # too many fields: a structural reject
            continue
        if 0.3 < roll < 0.32:
            fields[0] = f"R{n}\nfortsättning"  # a quoted id over two lines
        quoted = [f'"{v}"' if ("," in v or "\n" in v) else v for v in fields]
        text = ",".join(quoted)
        fields_at[line] = fields
        lines.extend(text.split("\n"))
    return lines, fields_at


def rounded(rows: list[tuple]) -> list[tuple]:
    return [tuple(round(v, 12) if isinstance(v, float) else v for v in row) for row in rows]


def build_file(tmp_path, name: str, data: bytes) -> duckdb.DuckDBPyConnection:
    folder = tmp_path / name
    folder.mkdir()
    write_csv(folder, "centres.csv", CENTRE_HEADER, [centre_row("C1", "0180"), centre_row("C2", "1280")])
    (folder / "parent_survey.csv").write_bytes(data)
    db = tmp_path / f"{name}_db" / "fc.duckdb"
    build(folder, db, today=TODAY)
    return duckdb.connect(str(db), read_only=True)


def test_fast_path_loads_and_rejects_exactly_as_the_text_path(tmp_path, monkeypatch):
    items = [i for i, _ in survey_items()]
    lines, fields_at = survey_lines(random.Random(13), items)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    taken = []
    stage_typed = read.stage_typed

    def spy(*args, **kwargs):
        taken.append(stage_typed(*args, **kwargs))
        return taken[-1]

    monkeypatch.setattr(read, "stage_typed", spy)
    fast = build_file(tmp_path, "plain", data)
    # The same bytes behind a byte-order mark are transcoded and staged by the text path alone.
    text = build_file(tmp_path, "bom", codecs.BOM_UTF8 + data)
    assert len(taken) == 1 and taken[0] is not None
    typed_rows, text_rows, _, _ = taken[0]
    assert typed_rows > 0 and text_rows > 0  # both paths were used in the file

    for query in ("SELECT * FROM survey_response ORDER BY respondent_no",
                  "SELECT * FROM rejects ORDER BY line_number",
                  "SELECT * EXCLUDE (encoding) FROM load_summary ORDER BY kind",
                  "SELECT * FROM goal_fulfilment",
                  "SELECT * FROM item_distribution"):
        # Sums of scores may add up in another order: equal to the last bits or so, not bit for bit.
        assert rounded(fast.execute(query).fetchall()) == rounded(text.execute(query).fetchall()), query

    # And independently of both: which lines are rejected, by which rule, and the answers loaded.
    expected_rules, valid_keys, loaded = {}, set(), {}
    for line, fields in sorted(fields_at.items()):
        rule = first_broken(fields, items)
        key = (fields[1].strip(), number(fields[2]), fields[0].strip())
        if rule is None and key in valid_keys:
            rule = "duplicate_key"
        if rule:
            expected_rules[line] = rule
            continue
        valid_keys.add(key)
        loaded[(key[0], int(key[1]), key[2])] = [None if not a.strip() or number(a) == 0 else int(number(a))
                                                 for a in fields[5:]]
    extra = {i + 1 for i, line in enumerate(lines) if line.endswith(",extra")}
    rejects = dict(fast.execute("SELECT line_number, rule FROM rejects WHERE kind = 'parent_survey'").fetchall())
    assert rejects == {**expected_rules, **{line: "malformed_row" for line in extra}}
    answers = ", ".join(f'"{i}"' for i in items)
    got = {tuple(row[:3]): list(row[3:])
           for row in fast.execute(f"SELECT centre_id, year, response_id, {answers} FROM survey_response").fetchall()}
    assert got == loaded
    raw = dict(fast.execute("SELECT line_number, raw_line FROM rejects WHERE kind = 'parent_survey'").fetchall())
    assert all(raw[line] == lines[line - 1] for line in raw)
