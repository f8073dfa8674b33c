"""Disclosure control for goal fulfilment: primary and complementary (secondary) suppression, decided at build time.

Every figure of goal fulfilment is additive in two ways any reader knows: a unit's respondents are the
sum of its gender groups (and of its language groups), and a municipality is the sum of its centres,
a county of its municipalities, the nation of its counties; for every year, goal and segment. A
hidden cell's number of positives could be worked out from its neighbours. So, per year and goal:

1. primary: a published group with 1–4 respondents, or whose goal questions were answered by 1–4
   respondents (their answer distribution is published with the cell), is hidden;
2. the groups without a gender or a language are never published but can be counted, so they are
   unknowns of the same sums, and when they hold 1–4 respondents they are protected too;
3. interval propagation over every sum bounds each hidden cell's positives from the published ones;
   while a protected cell is pinned to one value, the smallest published cell of the sum that pins
   it is hidden as well (secondary), until nothing is pinned.

The test suite checks the published table with its own, independent propagation.
"""
from __future__ import annotations

from functools import partial

import duckdb
import numpy as np
import pandas as pd

MIN_N = 5
UNPUBLISHED = ("okänt kön", "okänt språk")
PARTS = {
    "gender": ("kvinna", "man", "annat", "okänt kön"),
    "language": ("svenska", "annat språk", "okänt språk"),
}
LEVELS = ("centre", "kommun", "lan", "riket")
SEGMENTS = ("alla", *PARTS["gender"], *PARTS["language"])
MAX_SWEEPS = 1000

CELLS_SQL = """
WITH smallest_item AS (
    SELECT a.year, a.level, a.unit_code, i.goal, min(a.n_answered) AS min_item_answered
    FROM item_cell AS a JOIN survey_item AS i USING (item)
    GROUP BY ALL
)
SELECT g.year, g.goal, g.level, g.unit_code, g.parent_code, g.segment, g.n, g.n_positive,
       CASE WHEN g.segment = 'alla' THEN s.min_item_answered END AS min_item_answered
FROM goal_cell AS g
LEFT JOIN smallest_item AS s USING (year, level, unit_code, goal)
ORDER BY g.year, g.goal, g.level, g.unit_code, g.segment
"""


KEY = ["year", "goal", "level", "unit_code", "segment"]


def _codes(column: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """Each value's position in `categories` (-1: none): pd.Categorical's codes without its slow string path."""
    found, uniques = pd.factorize(column)
    return np.array([categories.index(u) if u in categories else -1 for u in uniques] + [-1], np.int64)[found]


def keys(cells: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray], tuple[int, int]]:
    """Each cell's KEY as one int64, the per-column codes (unit and parent codes share one numbering), the radices."""
    units, _ = pd.factorize(pd.concat([cells["unit_code"], cells["parent_code"]], ignore_index=True))
    codes = {
        "year": cells["year"].to_numpy(np.int64) - (int(cells["year"].min()) if len(cells) else 0),
        "goal": cells["goal"].to_numpy(np.int64) - (int(cells["goal"].min()) if len(cells) else 0),
        "level": _codes(cells["level"], LEVELS),
        "unit_code": units[:len(cells)].astype(np.int64),
        "parent_code": units[len(cells):].astype(np.int64),
        "segment": _codes(cells["segment"], SEGMENTS),
    }
    if (codes["level"] < 0).any() or (codes["segment"] < 0).any():
        raise ValueError("goal_cell holds a level or a segment disclosure control does not know")
    radix = (int(codes["goal"].max(initial=0)) + 1, int(units.max(initial=0)) + 1)
    return combine(codes["year"], codes["goal"], codes["level"], codes["unit_code"], codes["segment"], radix), codes, radix


def combine(year, goal, level, unit, segment, radix: tuple[int, int]) -> np.ndarray:
    """One int64 per (year, goal, level, unit, segment): a mixed-radix number over the codes."""
    n_goals, n_units = radix
    return (((year * n_goals + goal) * len(LEVELS) + level) * n_units + unit) * len(SEGMENTS) + segment


def relations(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The additive relations among `cells` (index 0..N-1) as (relation, cell, coefficient) entries: total - parts = 0."""
    cell_key, codes, radix = keys(cells)
    order = np.argsort(cell_key, kind="stable")
    sorted_keys = cell_key[order]
    rels, members, coefs = [], [], []
    offset = 0

    def add(mask: np.ndarray, by: np.ndarray, level: np.ndarray, unit: np.ndarray, segment: np.ndarray) -> None:
        """The sums of the cells in `mask` grouped by the key `by`; their totals are the cells (level, unit, segment)."""
        nonlocal offset
        group = pd.factorize(by[mask])[0] + offset  # numbered as they first appear
        offset = int(group.max()) + 1 if len(group) else offset
        total_key = combine(codes["year"][mask], codes["goal"][mask], level, unit, segment, radix)
        at = np.minimum(np.searchsorted(sorted_keys, total_key), max(len(sorted_keys) - 1, 0))
        if len(total_key) and (sorted_keys[at] != total_key).any():
            raise ValueError("goal_cell lacks the total of a sum")
        total = order[at]
        first = np.unique(group, return_index=True)[1]
        rels.extend([group, group[first]])
        members.extend([np.flatnonzero(mask), total[first]])
        coefs.extend([-np.ones(len(group)), np.ones(len(first))])

    unit = cell_key // len(SEGMENTS)  # (year, goal, level, unit_code)
    for segments in PARTS.values():
        mask = np.isin(codes["segment"], [SEGMENTS.index(segment) for segment in segments])
        add(mask, unit, codes["level"][mask], codes["unit_code"][mask], np.full(int(mask.sum()), SEGMENTS.index("alla")))
    # A unit's parent is one level up (LEVELS is ordered from the centre to the nation).
    mask = codes["level"] != LEVELS.index("riket")
    siblings = combine(codes["year"], codes["goal"], codes["level"], codes["parent_code"], codes["segment"], radix)
    add(mask, siblings, codes["level"][mask] + 1, codes["parent_code"][mask], codes["segment"][mask])
    return np.concatenate(rels), np.concatenate(members).astype(np.int64), np.concatenate(coefs)


def _runs(sorted_ids: np.ndarray) -> np.ndarray:
    """Where each run of equal values in `sorted_ids` starts."""
    return np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]) if len(sorted_ids) else sorted_ids[:0]


def _ranges(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The indices start[i] .. start[i] + length[i] - 1 for every i, concatenated."""
    ends = np.cumsum(length)
    return np.repeat(start - ends + length, length) + np.arange(ends[-1] if len(ends) else 0)


class Sums:
    """The relations restricted to the hidden cells: what the published cells contribute is a constant.

    The bounds live in one array of floors, floor[c] = lo of cell c and floor[c + N] = -hi, so that an
    entry's term (coef * x) lies in [floor[low], -floor[high]] and every tightening raises a floor.
    The entries come sorted by relation: a relation's hidden cells are one contiguous run.
    """

    def __init__(self, rel, cell, positive, term, hidden):
        """`term` is each entry's coef * value, `positive` its coef > 0."""
        # Index arrays and np.where rather than boolean masks: numpy's masked copies are several times slower.
        unknown = hidden[cell]
        constant = np.bincount(rel, np.where(unknown, 0, term), minlength=int(rel.max(initial=-1)) + 1)
        keep = np.flatnonzero(unknown)
        self.rel, self.cell, self.positive = rel[keep], cell[keep], positive[keep]
        self.low = self.cell + len(hidden) * ~self.positive
        self.high = self.cell + len(hidden) * self.positive
        self.start = _runs(self.rel)
        self.length = np.diff(np.r_[self.start, len(self.rel)])
        self.run = np.repeat(np.arange(len(self.start)), self.length)
        self.constant = constant[self.rel[self.start]]

    def _raise(self, floor: np.ndarray, entries: np.ndarray | slice) -> tuple[np.ndarray, ...]:
        """Per entry (whole runs): what its relation alone raises floor[low] and floor[high] to, those floors, low, high."""
        low, high, run = self.low[entries], self.high[entries], self.run[entries]
        term_lo, neg_term_hi = floor[low], floor[high]
        sum_lo = self.constant + np.bincount(run, term_lo, minlength=len(self.start))
        neg_sum_hi = np.bincount(run, neg_term_hi, minlength=len(self.start)) - self.constant
        # term = -(constant + the other terms)
        return neg_sum_hi[run] - neg_term_hi, sum_lo[run] - term_lo, term_lo, neg_term_hi, low, high

    def implied(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per entry, the interval its relation alone leaves for its cell, given the other cells' bounds."""
        return self._intervals(*self._raise(np.concatenate([lo, -hi]).astype(float), slice(None))[:2])

    def _intervals(self, to_low: np.ndarray, to_high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per entry, its cell's interval from what the entry's relation raises the floors to."""
        return np.where(self.positive, to_low, to_high), np.where(self.positive, -to_high, -to_low)

    def propagate(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
        """Tighten the bounds [lo, hi] of the hidden cells over the relations to a fixpoint: (lo, hi, x_lo, x_hi).

        A worklist: after the first sweep only the sums holding a cell whose bounds just changed are
        looked at again. Each sweep tightens from the bounds the sweep started with. x_lo, x_hi are
        implied() of the starting bounds, which the first sweep computes anyway.
        """
        floor = np.concatenate([lo, -hi]).astype(float)
        entries = slice(None)
        for sweep in range(MAX_SWEEPS):
            to_low, to_high, at_low, at_high, low, high = self._raise(floor, entries)
            if not sweep:
                at_start = self._intervals(to_low, to_high)
            up_low, up_high = np.flatnonzero(to_low > at_low), np.flatnonzero(to_high > at_high)
            if not (len(up_low) or len(up_high)):
                break
            raised = np.concatenate([low[up_low], high[up_high]])
            np.maximum.at(floor, raised, np.concatenate([to_low[up_low], to_high[up_high]]))
            moved = np.zeros(len(lo), bool)
            moved[raised % len(lo)] = True
            touched = self.run[np.flatnonzero(moved[self.cell])]  # sorted, as the entries are
            runs = touched[_runs(touched)]
            # A sum with one unknown fixed it in the first sweep; looking again cannot change it.
            runs = runs[self.length[runs] > 1]
            if not len(runs):
                break
            entries = _ranges(self.start[runs], self.length[runs])
        return floor[:len(lo)], -floor[len(lo):], *at_start


def _cheapest(group: np.ndarray, cell: np.ndarray, rank: tuple[np.ndarray, ...]) -> np.ndarray:
    """Per group (ascending), the index of its row whose cell sorts first by the cell keys `rank`, then the cell."""
    order = np.lexsort((cell, *(key[cell] for key in reversed(rank)), group))
    return order[_runs(group[order])]


def _open_sums(rel: np.ndarray, cell: np.ndarray, sums: Sums, n_cells: int) -> np.ndarray:
    """Per cell of the blocks in `sums`, how many of its sums hold no hidden cell (hiding it leaves it alone there)."""
    open_rel = np.ones(int(rel.max(initial=-1)) + 1, bool)
    open_rel[sums.rel] = False
    return np.bincount(cell, open_rel[rel], minlength=n_cells)


def _complements(pinned, *, hidden, rank, rel, cell, width_rel, width_cell, width) -> np.ndarray:
    """For each pinned cell, one published cell to hide in the relation that pins it most tightly.

    `rank` orders the candidates: among that relation's published cells the cheapest is a segment
    before a unit's total ('alla'), then the one whose hiding opens the fewest new sums with a single
    hidden cell (each would need a complement of its own), then the fewest respondents, then the
    lowest level.
    """
    entry = pinned[width_cell]
    pinning = np.zeros(int(rel.max(initial=-1)) + 1, bool)
    pinning[width_rel[entry]] = True
    candidate = ~hidden[cell] & pinning[rel]
    c_rel, c_cell = rel[candidate], cell[candidate]
    cheapest = _cheapest(c_rel, c_cell, rank)
    c_rel, c_cell = c_rel[cheapest], c_cell[cheapest]
    p_cell, p_rel, p_width = width_cell[entry], width_rel[entry], width[entry]
    tightest = np.full(len(hidden), np.inf)
    np.minimum.at(tightest, p_cell, p_width)
    keep = p_width == tightest[p_cell]
    p_cell, p_rel = p_cell[keep], p_rel[keep]
    at = np.minimum(np.searchsorted(c_rel, p_rel), max(len(c_rel) - 1, 0))
    found = c_rel[at] == p_rel if len(c_rel) else np.zeros(len(p_rel), bool)
    p_cell, offer = p_cell[found], c_cell[at[found]]
    return np.unique(offer[_cheapest(p_cell, offer, rank)])


def decide(cells: pd.DataFrame) -> pd.Series:
    """Per cell: 'primary', 'secondary' or None (published). `cells` as selected by CELLS_SQL."""
    cells = cells.reset_index(drop=True)
    n = cells["n"].to_numpy(np.int64)
    value = cells["n_positive"].to_numpy(np.int64)
    published = ~cells["segment"].isin(UNPUBLISHED).to_numpy()
    small_item = (cells["min_item_answered"].fillna(MIN_N) < MIN_N).to_numpy()
    primary = published & ((n < MIN_N) | small_item)
    hidden = primary | ~published
    protected = hidden & (published | (n < MIN_N))
    secondary = np.zeros(len(cells), bool)
    total = (cells["segment"] == "alla").to_numpy()
    level_rank = _codes(cells["level"], LEVELS)

    rel, cell, coef = relations(cells)
    by_rel = np.argsort(rel, kind="stable")  # Sums wants each relation's entries contiguous
    rel, cell, coef = rel[by_rel], cell[by_rel], coef[by_rel]
    positive, term = coef > 0, coef * value[cell]
    # Years and goals share no sum: only a block where a cell was just hidden needs another look. A
    # hidden cell of another block counts as known: its sums are left out, as they hold no unknown.
    block = cells.groupby(["year", "goal"]).ngroup().to_numpy()
    dirty = np.ones(block.max() + 1 if len(block) else 0, bool)
    while dirty.any():
        sums = Sums(rel, cell, positive, term, hidden & dirty[block])
        lo0, hi0 = np.where(hidden, 0, value), np.where(hidden, n, value)
        lo, hi, x_lo, x_hi = sums.propagate(lo0, hi0)
        pinned = protected & (lo == hi) & dirty[block]
        if not pinned.any():
            break
        # Complement where a sum pins a cell on its own (from the published figures and the hidden
        # cells' sizes): a cell pinned only because a neighbour is pinned is freed with that neighbour.
        # Failing that, in the tightest sum of each pinned cell; failing that, in any of its sums.
        direct = np.zeros(len(cells), bool)
        direct[sums.cell[pinned[sums.cell] & (x_hi == x_lo)]] = True
        rank = (total, _open_sums(rel, cell, sums, len(cells)), n, level_rank)
        choose = partial(_complements, hidden=hidden, rank=rank, rel=rel, cell=cell,
                         width_rel=sums.rel, width_cell=sums.cell)
        chosen = choose(direct, width=x_hi - x_lo)
        if not len(chosen):
            x_lo, x_hi = sums.implied(lo, hi)
            chosen = choose(pinned, width=x_hi - x_lo)
        reach = pinned
        while not len(chosen):
            # No published cell shares a sum with the pinned cells (sums of never-published groups):
            # widen to the hidden cells they share sums with, until a published one can be hidden.
            chosen = choose(reach, width=np.zeros(len(sums.rel)))
            wider = reach.copy()
            wider[sums.cell[np.isin(sums.rel, sums.rel[reach[sums.cell]])]] = True
            if not len(chosen) and np.array_equal(wider, reach):
                break  # nothing left to hide; the test suite's checker reports what stays pinned
            reach = wider
        if not len(chosen):
            break
        secondary[chosen] = hidden[chosen] = protected[chosen] = True
        dirty[:] = False
        dirty[block[pinned]] = True
    reason = np.where(primary, "primary", np.where(secondary & published, "secondary", None))
    return pd.Series(reason, index=cells.index, dtype=object)


def cells(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """goal_cell as decide() takes it (CELLS_SQL)."""
    # Through Arrow: half the time of .df() on national data, and decide() factorizes its strings faster.
    return con.sql(CELLS_SQL).to_arrow_table().to_pandas()


def publish(con: duckdb.DuckDBPyConnection, decided: pd.DataFrame, decision: pd.Series) -> None:
    """Create goal_suppression(year, goal, level, unit_code, segment, suppression) for every hidden published cell."""
    hidden = decided.loc[decision.notna(), ["year", "goal", "level", "unit_code", "segment"]].assign(
        suppression=decision[decision.notna()])
    con.register("hidden_cells", hidden)
    con.execute("CREATE TABLE goal_suppression AS SELECT * FROM hidden_cells")
    con.unregister("hidden_cells")

