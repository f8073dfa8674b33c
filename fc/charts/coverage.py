"""Coverage figures: the municipality map with county borders and centres, and coverage per county."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fc import fmt, safe
from fc.maps import Boundaries
from fc.theme import STATUS_COLOURS, STATUS_LABELS, TYPE_COLOURS

STATUS_ORDER = ["FC", "FCLV", "ingen"]
TYPE_LABELS = {"FC": "Familjecentral", "FCLV": "Familjecentralsliknande", "other": "Uppfyller ingen definition"}
TYPE_SYMBOLS = {"FC": "circle", "FCLV": "diamond", "other": "x"}


def _hover(row) -> str:
    lines = [f"<b>{safe.plot(row.kommun_name)}</b> ({safe.plot(row.lan_name)})",
             f"FC: {row.n_fc}  FCLV: {row.n_fclv}  Status: {STATUS_LABELS[row.status]}"]
    if pd.notna(row.children):
        lines.append(f"Barn 0–5 år: {fmt.number(row.children)} ({row.children_year})")
        if pd.notna(row.children_per_centre):
            lines.append(f"Barn 0–5 år per verksamhet: {fmt.number(row.children_per_centre)}")
    return "<br>".join(lines)


def coverage_map(kommuner: pd.DataFrame, kommun_geo: Boundaries, lan_geo: Boundaries, centres: pd.DataFrame,
                 height: int = 720) -> go.Figure:
    """Municipalities coloured FC / only FCLV / none, county borders on top, centres as points."""
    codes = {status: i for i, status in enumerate(STATUS_ORDER)}
    # One trace with a stepped colour scale keeps the GeoJSON in the figure once (px would repeat it per category).
    scale = []
    for i, status in enumerate(STATUS_ORDER):
        scale += [[i / len(STATUS_ORDER), STATUS_COLOURS[status]], [(i + 1) / len(STATUS_ORDER), STATUS_COLOURS[status]]]
    fig = go.Figure()
    fig.add_trace(go.Choropleth(
        geojson=kommun_geo.geojson, locations=kommuner["kommun_code"], z=kommuner["status"].map(codes),
        zmin=-0.5, zmax=len(STATUS_ORDER) - 0.5, colorscale=scale, showscale=False,
        marker_line_color="white", marker_line_width=0.4,
        text=[_hover(r) for r in kommuner.itertuples()], hovertemplate="%{text}<extra></extra>",
        name="Kommuner", showlegend=False,
    ))
    fig.add_trace(go.Choropleth(
        geojson=lan_geo.geojson, locations=list(lan_geo.codes), z=[0] * len(lan_geo.codes),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
        marker_line_color="#333333", marker_line_width=1.4, hoverinfo="skip", name="Län", showlegend=False,
    ))
    for status in STATUS_ORDER:
        fig.add_trace(go.Scattergeo(lat=[None], lon=[None], mode="markers", name=STATUS_LABELS[status],
                                    marker={"size": 14, "symbol": "square", "color": STATUS_COLOURS[status],
                                            "line": {"width": 1, "color": "#777"}}))
    for kind, group in centres.groupby("centre_type", sort=False):
        fig.add_trace(go.Scattergeo(
            lat=group["lat"], lon=group["lon"], mode="markers", name=f"{TYPE_LABELS[kind]} (punkt)",
            marker={"size": 6, "color": "#222222" if kind != "other" else TYPE_COLOURS["other"],
                    "symbol": TYPE_SYMBOLS[kind], "line": {"width": 0.5, "color": "white"}},
            text=group["name"].map(safe.plot) + "<br>" + group["kommun_name"].map(safe.plot),
            hovertemplate="%{text}<extra></extra>",
        ))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(height=height, legend={"orientation": "v", "x": 0, "y": 1, "yanchor": "top"})
    return fig


def coverage_by_county(counties: pd.DataFrame) -> go.Figure:
    """Share of municipalities with at least one FC or FCLV, per county, sorted."""
    data = counties.sort_values("share_covered")
    labels = [f"{fmt.percent(s)} ({c} av {n})" for s, c, n in
              zip(data["share_covered"], data["n_covered"], data["n_kommuner"])]
    fig = go.Figure(go.Bar(
        x=data["share_covered"], y=data["lan_name"].map(safe.plot), orientation="h", text=labels, textposition="outside",
        marker_color=STATUS_COLOURS["FC"], hovertemplate="%{y}: %{text}<extra></extra>", cliponaxis=False,
    ))
    fig.update_layout(height=max(420, 28 * len(data)), xaxis={"tickformat": ".0%", "range": [0, 1.25]},
                      yaxis={"title": None}, xaxis_title="Andel kommuner med familjecentral eller FCLV")
    return fig


def centre_location(kommun_geo: Boundaries, kommun_code: str, lat: float, lon: float, name: str) -> go.Figure:
    """The centre as a point in its county, its own municipality highlighted."""
    codes = list(kommun_geo.codes)
    fig = go.Figure(go.Choropleth(
        geojson=kommun_geo.geojson, locations=codes, z=[1 if c == kommun_code else 0 for c in codes],
        colorscale=[[0, "#EEEEEE"], [1, "#9CC7E8"]], showscale=False, marker_line_color="white", hoverinfo="skip"))
    fig.add_trace(go.Scattergeo(lat=[lat], lon=[lon], mode="markers", name=safe.plot(name), text=[safe.plot(name)],
                                hovertemplate="%{text}<extra></extra>",
                                marker={"size": 14, "color": STATUS_COLOURS["FC"], "line": {"width": 2, "color": "white"}}))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(height=380, showlegend=False)
    return fig
