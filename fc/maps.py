"""Municipality and county boundaries from the database, for plotly maps.

The boundaries of a database are published once as a static file named by its content, so a
browser downloads them once and a chart carries only their address: sending them inline with every
rerun cost the server more than the rest of the page. Where the static folder cannot be written,
the boundaries go inline as before.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from fc import db

STATIC = Path(__file__).resolve().parents[1] / "static"
PUBLISHED = "maps"


@dataclass(frozen=True)
class Boundaries:
    geojson: str | dict  # a URL under the app's static route, or the FeatureCollection itself
    codes: tuple[str, ...]  # the units in scope, for plotly's `locations`
    extent: tuple[float, float, float, float] | None = None  # lon min, lon max, lat min, lat max of the units


def _extent(features) -> tuple[float, float, float, float] | None:
    points = [p for f in features for part in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon"
                                               else [f["geometry"]["coordinates"]]) for p in part[0]]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), max(lons), min(lats), max(lats)


@st.cache_data(max_entries=8, show_spinner=False)
def _features(level: str, real_path: str) -> tuple[dict, ...]:
    rows = db.query("map_boundaries", level=level)
    return tuple(
        {"type": "Feature", "id": code, "properties": {"name": name, "lan_code": lan},
         "geometry": json.loads(geometry)}
        for code, name, lan, geometry in rows[["code", "name", "lan_code", "geojson"]].itertuples(index=False)
    )


def publish(collection: dict, folder: Path) -> str:
    """Write `collection` to `folder` under a name derived from its content; return that name."""
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    name = f"{hashlib.sha256(text).hexdigest()[:16]}.json"
    target = folder / name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)  # sessions publishing at once write the same bytes
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
    return name


@st.cache_data(max_entries=8, show_spinner=False)
def _url(level: str, real_path: str) -> str | None:
    try:
        name = publish({"type": "FeatureCollection", "features": list(_features(level, real_path))}, STATIC / PUBLISHED)
    except OSError:
        return None
    # Relative, like the topojson URL in the plotly config, so it works under any base path.
    return f"app/static/{PUBLISHED}/{name}"


def boundaries(level: str, lan_code: str = "") -> Boundaries:
    """The boundaries of one level ('kommun' or 'lan'), with the units of one county when lan_code is given."""
    generation = db.generation()
    features = _features(level, generation)
    if lan_code:
        features = tuple(f for f in features if f["properties"]["lan_code"] == lan_code)
    codes = tuple(f["id"] for f in features)
    url = _url(level, generation)
    return Boundaries(url or {"type": "FeatureCollection", "features": list(features)}, codes, _extent(features))


def label_point(level: str, code: str) -> tuple[float, float] | None:
    """(lat, lon) where a unit's name is written on a map: the middle of its largest part's bounding box."""
    if not code:
        return None
    for feature in _features(level, db.generation()):
        if feature["id"] == code:
            geometry = feature["geometry"]
            parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            ring = max((p[0] for p in parts), key=len)
            lons, lats = [p[0] for p in ring], [p[1] for p in ring]
            return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    return None
