"""Official statistics figures: open preschools in a family centre per municipality (map), trend, per area."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fc import fmt, safe
from fc.charts.coverage import highlight as outline
from fc.charts.coverage import frame, national_height
from fc.maps import Boundaries
from fc.theme import PALETTE, SEQUENTIAL_FC

IN_FC = "Öppna förskolor i familjecentral"
TOTAL = "Öppna förskolor totalt"
MISSING_COLOUR = PALETTE["missing"]
SCALE = SEQUENTIAL_FC
# Swedish column names for the figures under each chart and in the downloads.
COLUMNS = {
    "year": "År", "unit_name": "Område", "lan_code": "Länskod", "lan_name": "Län", "kommun_code": "Kommunkod",
    "kommun_name": "Kommun", "in_family_centre": IN_FC, "total": TOTAL, "kommuner": "Kommuner",
    "kommuner_with_fc": "Kommuner med öppen förskola i familjecentral",
    "kommuner_reported_fc": "Kommuner med uppgift (i familjecentral)",
    "kommuner_reported_total": "Kommuner med uppgift (totalt)",
    "children_0_5": "Barn 0–5 år", "births": "Levande födda", "area": "Område", "value": "Värde", "unit": "Enhet",
    "description": "Beskrivning", "publisher": "Källa", "url": "Källans adress",
}


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures behind a chart with Swedish column names (empty cells stay empty)."""
    return frame.rename(columns=COLUMNS)


NOT_REPORTED = "uppgift saknas"


def count(value) -> str:
    """A count from the official files, or 'uppgift saknas' where the source cell is empty."""
    return NOT_REPORTED if pd.isna(value) else fmt.number(value)


def _hover(row) -> str:
    lines = [f"<b>{safe.plot(row.kommun_name)}</b> ({safe.plot(row.lan_name)}) {row.year}",
             f"{IN_FC}: {count(row.in_family_centre)}", f"{TOTAL}: {count(row.total)}"]
    if pd.notna(row.children_0_5):
        lines.append(f"Barn 0–5 år: {fmt.number(row.children_0_5)}")
    return "<br>".join(lines)


def kommun_map(kommuner: pd.DataFrame, kommun_geo: Boundaries, lan_geo: Boundaries, highlight: str = "",
               height: int | None = None, label_at: tuple[float, float] | None = None) -> go.Figure:
    """Municipalities shaded by the number of open preschools in a family centre; empty source cells grey."""
    fig = go.Figure()
    known = kommuner[kommuner["in_family_centre"].notna()]
    missing = kommuner[kommuner["in_family_centre"].isna()]
    top = max(1, int(known["in_family_centre"].max())) if len(known) else 1
    fig.add_trace(go.Choropleth(
        geojson=kommun_geo.geojson, locations=known["kommun_code"], z=known["in_family_centre"].astype(float),
        zmin=0, zmax=top, colorscale=SCALE, marker_line_color="white", marker_line_width=0.4,
        colorbar={"title": {"text": "Antal"}, "thickness": 14, "len": 0.6},
        text=[_hover(r) for r in known.itertuples()], hovertemplate="%{text}<extra></extra>", name=IN_FC,
        showlegend=False,
    ))
    if len(missing):
        fig.add_trace(go.Choropleth(
            geojson=kommun_geo.geojson, locations=missing["kommun_code"], z=[0] * len(missing),
            colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]], showscale=False,
            marker_line_color="white", marker_line_width=0.4,
            text=[_hover(r) for r in missing.itertuples()], hovertemplate="%{text}<extra></extra>",
            name="Uppgift saknas", showlegend=False,
        ))
        fig.add_trace(go.Scattergeo(lat=[None], lon=[None], mode="markers", name="Uppgift saknas (tom i källan)",
                                    marker={"size": 14, "symbol": "square", "color": MISSING_COLOUR,
                                            "line": {"width": 1, "color": "#777"}}))
    fig.add_trace(go.Choropleth(
        geojson=lan_geo.geojson, locations=list(lan_geo.codes), z=[0] * len(lan_geo.codes),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
        marker_line_color="#333333", marker_line_width=1.4, hoverinfo="skip", name="Län", showlegend=False,
    ))
    if highlight:
        names = kommuner.loc[kommuner["kommun_code"] == highlight, "kommun_name"]
        outline(fig, kommun_geo.geojson, highlight, names.iloc[0] if len(names) else highlight, label_at)
    frame(fig, kommun_geo)
    fig.update_layout(height=height or national_height(lan_geo),
                      legend={"font": {"size": 13}, "orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"},
                      margin={"l": 0, "r": 0, "t": 140, "b": 10})
    return fig


def trend(frame: pd.DataFrame) -> go.Figure:
    """Open preschools in a family centre and in total, per year (gaps where the source is empty)."""
    fig = go.Figure()
    for column, name, colour in (("in_family_centre", IN_FC, PALETTE["fc"]), ("total", TOTAL, PALETTE["other"])):
        values = frame[column].astype(float)
        fig.add_trace(go.Scatter(
            x=frame["year"], y=values, mode="lines+markers", name=name, line={"color": colour, "width": 3},
            text=[count(v) for v in values],
            hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
        ))
    fig.update_layout(height=420, yaxis={"title": "Antal verksamheter", "rangemode": "tozero"},
                      xaxis={"title": None, "dtick": 1, "tickformat": "d"})
    return fig


def by_area(frame: pd.DataFrame, label: str, chosen: str = "") -> go.Figure:
    """Open preschools in a family centre per county or municipality (`label` names the column), sorted.

    `chosen`: the code of the chosen unit (column lan_code or kommun_code), drawn in the chosen unit's colour."""
    data = frame.assign(_v=frame["in_family_centre"].astype(float).fillna(-1)).sort_values(["_v", label])
    text = [count(v) for v in data["in_family_centre"]]
    fig = go.Figure(go.Bar(
        x=data["in_family_centre"].astype(float).fillna(0), y=data[label].map(safe.plot), orientation="h",
        text=text, textposition="outside", cliponaxis=False,
        marker_color=[PALETTE["chosen"] if chosen and chosen in (row.get("lan_code"), row.get("kommun_code"))
                      else PALETTE["fc"] for row in data.to_dict("records")],
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_layout(height=max(420, 26 * len(data)), yaxis={"title": None, "type": "category"},
                      xaxis={"title": IN_FC, "rangemode": "tozero"})
    return fig
