"""Coverage figures: the municipality map with county borders and centres, and coverage per county."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fc import fmt, safe
from fc.maps import Boundaries
from fc.theme import PALETTE, PERCENT_AXIS, STATUS_COLOURS, STATUS_LABELS, TYPE_COLOURS

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


def highlight(fig: go.Figure, geojson, code: str, name: str, label_at: tuple[float, float] | None) -> None:
    """Outline the chosen municipality in the chosen unit's colour and write its name on the map."""
    fig.add_trace(go.Choropleth(
        geojson=geojson, locations=[code], z=[0], colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False, marker_line_color=PALETTE["chosen"], marker_line_width=3.5, hoverinfo="skip",
        name=f"Vald kommun: {safe.plot(name)}", showlegend=False,
    ))
    if label_at is not None:
        fig.add_trace(go.Scattergeo(
            lat=[label_at[0]], lon=[label_at[1]], mode="text", text=[f"<b>{safe.plot(name)}</b>"],
            textfont={"color": PALETTE["chosen"], "size": 16, "shadow": "1px 1px 2px white"}, hoverinfo="skip",
            name=f"Vald kommun: {safe.plot(name)}", showlegend=False,
        ))


def coverage_map(kommuner: pd.DataFrame, kommun_geo: Boundaries, lan_geo: Boundaries, centres: pd.DataFrame,
                 height: int | None = None, chosen_kommun: str = "", chosen_centre: str = "",
                 label_at: tuple[float, float] | None = None) -> go.Figure:
    """Municipalities coloured FC / only FCLV / none, county borders on top, centres as points.

    The chosen municipality is outlined and named (at `label_at`), the chosen centre drawn large and named."""
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
    if chosen_kommun:
        names = kommuner.loc[kommuner["kommun_code"] == chosen_kommun, "kommun_name"]
        highlight(fig, kommun_geo.geojson, chosen_kommun, names.iloc[0] if len(names) else chosen_kommun, label_at)
    chosen = centres[centres["centre_id"] == chosen_centre] if chosen_centre and "centre_id" in centres else centres[:0]
    if len(chosen):
        fig.add_trace(locate(chosen.iloc[0]["lat"], chosen.iloc[0]["lon"], chosen.iloc[0]["name"]))
    frame(fig, kommun_geo)
    # The legend above the map (not beside it, which would narrow a tall country), under the title and source.
    fig.update_layout(height=height or national_height(lan_geo),
                      legend={"font": {"size": 13}, "orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"},
                      margin={"l": 0, "r": 0, "t": 250 if len(lan_geo.codes) > 1 else 160, "b": 10})
    return fig


def frame(fig: go.Figure, geo: Boundaries) -> None:
    """Fit the map to its units' extent, so the geo frame takes their shape and fills the figure's height.

    fitbounds alone keeps the projection's square frame, so a tall country drawn in a wide figure stays narrow."""
    if geo.extent is None:
        fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
        return
    lon0, lon1, lat0, lat1 = geo.extent
    pad_lon, pad_lat = (lon1 - lon0) * 0.02, (lat1 - lat0) * 0.02
    fig.update_geos(visible=False, projection_type="mercator", lonaxis_range=[lon0 - pad_lon, lon1 + pad_lon],
                    lataxis_range=[lat0 - pad_lat, lat1 + pad_lat])


def national_height(lan_geo: Boundaries) -> int:
    """A tall frame for the whole of Sweden (drawn beside its explanation), a lower one for one county."""
    return 900 if len(lan_geo.codes) > 1 else 640


def locate(lat: float, lon: float, name: str) -> go.Scattergeo:
    """The chosen centre: a large point in the chosen unit's colour with its name beside it."""
    return go.Scattergeo(
        lat=[lat], lon=[lon], mode="markers+text", name=safe.plot(name), text=[f"<b>{safe.plot(name)}</b>"],
        textposition="middle right", textfont={"color": PALETTE["chosen"], "size": 15, "shadow": "1px 1px 2px white"},
        hovertemplate="%{text}<extra></extra>",
        marker={"size": 15, "color": PALETTE["chosen"], "line": {"width": 2, "color": "white"}}, showlegend=False,
    )


def coverage_by_county(counties: pd.DataFrame, chosen: str = "") -> go.Figure:
    """Share of municipalities meeting the county's own target (FC, or FC or FCLV), per county, sorted; the chosen
    county stands out."""
    data = counties.sort_values("share_covered")
    labels = [f"{fmt.percent(s)} ({c} av {n})" for s, c, n in
              zip(data["share_covered"], data["n_covered"], data["n_kommuner"])]
    fig = go.Figure(go.Bar(
        x=data["share_covered"], y=data["lan_name"].map(safe.plot), orientation="h", text=labels, textposition="outside",
        marker_color=[PALETTE["chosen"] if c == chosen else PALETTE["fc"] for c in data["lan_code"]],
        hovertemplate="%{y}: %{text}<extra></extra>", cliponaxis=False,
    ))
    fig.update_layout(height=max(420, 28 * len(data)), xaxis={**PERCENT_AXIS, "range": [0, 1.25]},
                      yaxis={"title": None}, xaxis_title="Andel kommuner som når länets mål")
    return fig


def centre_location(kommun_geo: Boundaries, kommun_code: str, lat: float, lon: float, name: str) -> go.Figure:
    """The centre as a point in its county, its own municipality outlined as the chosen unit."""
    codes = list(kommun_geo.codes)
    fig = go.Figure(go.Choropleth(
        geojson=kommun_geo.geojson, locations=codes, z=[0] * len(codes),
        colorscale=[[0, "#EEEEEE"], [1, "#EEEEEE"]], showscale=False, marker_line_color="white", hoverinfo="skip"))
    highlight(fig, kommun_geo.geojson, kommun_code, "", None)
    fig.add_trace(locate(lat, lon, name))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(height=420, showlegend=False, margin={"l": 0, "r": 0, "t": 40, "b": 10})
    return fig
