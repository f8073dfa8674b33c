"""Municipality and county boundaries from the database, as GeoJSON for plotly maps."""
from __future__ import annotations

import json

import streamlit as st

from fc import db


@st.cache_data(max_entries=8, show_spinner=False)
def _features(level: str, real_path: str) -> tuple[dict, ...]:
    rows = db.query("map_boundaries", level=level)
    return tuple(
        {"type": "Feature", "id": code, "properties": {"name": name, "lan_code": lan},
         "geometry": json.loads(geometry)}
        for code, name, lan, geometry in rows[["code", "name", "lan_code", "geojson"]].itertuples(index=False)
    )


def geojson(level: str, lan_code: str = "") -> dict:
    """A FeatureCollection of one level, narrowed to one county when lan_code is given."""
    features = _features(level, db.generation())
    if lan_code:
        features = tuple(f for f in features if f["properties"]["lan_code"] == lan_code)
    return {"type": "FeatureCollection", "features": list(features)}
