"""An auditor of published survey figures, independent of etl/disclosure.py.

It reads only what any visitor can read (goal_fulfilment, centres, item_distribution), rebuilds every
sum a reader knows (a unit = its gender groups + those without a gender = its language groups + those
without a language; a municipality = its centres, a county = its municipalities, the nation = its
counties; per year, goal and segment), bounds every unknown number of positives by interval
propagation, and reports each hidden cell whose positives are pinned to one value or whose mean is
the only unknown of a sum.

    python tests/disclosure_audit.py path/to/fc.duckdb
"""
from __future__ import annotations

import sys
from collections import defaultdict

import duckdb

GENDERS = ("kvinna", "man", "annat")
LANGUAGES = ("svenska", "annat språk")
PARENT_LEVEL = {"centre": "kommun", "kommun": "lan", "lan": "riket"}


def published(con: duckdb.DuckDBPyConnection, table: str = "goal_fulfilment"):
    rows = con.execute(
        f"SELECT year, goal, level, unit_code, segment, n, n_positive, suppressed FROM {table}").fetchall()
    kommun_of = dict(con.execute("SELECT centre_id, kommun_code FROM centres").fetchall())
    return rows, kommun_of


def parent(level: str, unit: str, kommun_of: dict[str, str]) -> str:
    return {"centre": lambda: kommun_of[unit], "kommun": lambda: unit[:2], "lan": lambda: "SE"}[level]()


def audit(rows, kommun_of) -> dict[str, list]:
    """Per block (year, goal): the hidden cells a reader can pin, and the hidden cells that are a sum's only unknown."""
    blocks = defaultdict(dict)
    for year, goal, level, unit, segment, n, positives, suppressed in rows:
        blocks[(year, goal)][(level, unit, segment)] = (n, None if suppressed else positives)
    problems = {"pinned": [], "only_unknown": []}
    for block, cells in blocks.items():
        # The groups without a gender or a language are never published, but their size can be counted.
        for (level, unit, segment), (n, _) in list(cells.items()):
            if segment != "alla":
                continue
            for rest, parts in (("okänt kön", GENDERS), ("okänt språk", LANGUAGES)):
                left = n - sum(cells.get((level, unit, p), (0, 0))[0] for p in parts)
                if left:
                    cells[(level, unit, rest)] = (left, None)
        sums = []
        for (level, unit, segment) in cells:
            if segment == "alla":
                for rest, parts in (("okänt kön", GENDERS), ("okänt språk", LANGUAGES)):
                    members = [(level, unit, p) for p in (*parts, rest) if (level, unit, p) in cells]
                    sums.append(((level, unit, "alla"), members))
        children = defaultdict(list)
        for (level, unit, segment) in cells:
            if level != "riket":
                children[(PARENT_LEVEL[level], parent(level, unit, kommun_of), segment)].append((level, unit, segment))
        sums += [(total, parts) for total, parts in children.items()]
        for total, _ in sums:
            assert total in cells, f"{block}: the total {total} of a sum is missing"

        lo = {k: (0 if v is None else v) for k, (n, v) in cells.items()}
        hi = {k: (n if v is None else v) for k, (n, v) in cells.items()}
        unknown = {k for k, (_, v) in cells.items() if v is None}
        live = [(t, p) for t, p in sums if t in unknown or any(x in unknown for x in p)]
        changed = True
        while changed:
            changed = False
            for total, parts in live:
                # total = sum(parts): bound each member from the others.
                parts_lo, parts_hi = sum(lo[p] for p in parts), sum(hi[p] for p in parts)
                new = {total: (max(lo[total], parts_lo), min(hi[total], parts_hi))}
                for p in parts:
                    new[p] = (max(lo[p], lo[total] - (parts_hi - hi[p])), min(hi[p], hi[total] - (parts_lo - lo[p])))
                for key, (a, b) in new.items():
                    if (a, b) != (lo[key], hi[key]):
                        lo[key], hi[key], changed = a, b, True
        # Means: a sum with exactly one unknown member determines it; determined values are known.
        derived = set(cells) - unknown
        changed = True
        while changed:
            changed = False
            for total, parts in live:
                missing = [x for x in (total, *parts) if x not in derived]
                if len(missing) == 1:
                    derived.add(missing[0])
                    changed = True
        for key in unknown:
            n = cells[key][0]
            protected = key[2] not in ("okänt kön", "okänt språk") or n < 5
            if protected and lo[key] == hi[key]:
                problems["pinned"].append((block, key, lo[key]))
            if protected and key in derived:
                problems["only_unknown"].append((block, key))
    return problems


def item_audit(con: duckdb.DuckDBPyConnection) -> list:
    """Question answers hide exactly where the goal hides, and no municipality/county/nation sum has one hidden member."""
    mismatched = con.execute("""
        SELECT count(*) FROM item_distribution AS i
        JOIN goal_fulfilment AS f USING (year, level, unit_code, goal)
        WHERE f.segment = 'alla' AND (i.suppressed <> f.suppressed
           OR (i.suppressed AND coalesce(i.n_answer, i.n_answered, i.share) IS NOT NULL))
    """).fetchone()[0]
    assert mismatched == 0
    rows, kommun_of = published(con)
    hidden = defaultdict(int)
    for year, goal, level, unit, segment, *_rest, suppressed in rows:
        if segment == "alla" and suppressed:
            hidden[(year, goal, level, unit)] += 1  # as the total of its own sum
            if level != "riket":
                hidden[(year, goal, PARENT_LEVEL[level], parent(level, unit, kommun_of))] += 1
    return [key for key, count in hidden.items() if count == 1 and key[2] != "centre"]


if __name__ == "__main__":
    with duckdb.connect(sys.argv[1], read_only=True) as con:
        found = audit(*published(con))
        counts = dict(con.execute("SELECT coalesce(suppression, 'shown'), count(*) FROM goal_fulfilment GROUP BY ALL"
                                  ).fetchall())
        print(f"cells: {counts}; pinned: {len(found['pinned'])}; only unknown of a sum: "
              f"{len(found['only_unknown'])}; item sums with one hidden member: {len(item_audit(con))}")
