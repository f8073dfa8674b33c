"""Self-reflection figures: statement heatmap and area profile (scores 1 = behöver utvecklas … 6 = fungerar)."""
from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from fc import fmt, safe
from fc.theme import LEVEL_COLOURS

# Colour-blind-safe diverging scale: vermillion (behöver utvecklas) through pale grey to blue (fungerar).
SCORE_SCALE = [[0.0, "#D55E00"], [0.5, "#F2F2F2"], [1.0, "#0072B2"]]


def heatmap(frame: pd.DataFrame) -> go.Figure:
    """Statements (grouped by area, catalogue order) against the chosen columns."""
    rows = frame.drop_duplicates("statement_id").sort_values("position")
    columns = frame.drop_duplicates("column_key").sort_values("column_key")
    grid = frame.pivot_table(index="statement_id", columns="column_key", values="score", aggfunc="first")
    grid = grid.reindex(index=rows["statement_id"], columns=columns["column_key"])
    y = [safe.plot(f"{r.area[:22]} · {r.title}") for r in rows.itertuples()]
    hover = [["<br>".join(map(safe.plot, textwrap.wrap(r.text, 60))) for _ in columns.itertuples()]
             for r in rows.itertuples()]
    text = [[fmt.number(v, 1) if pd.notna(v) else "" for v in row] for row in grid.to_numpy()]
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[safe.plot(c) for c in columns["column_label"]], y=y, zmin=1, zmax=6, colorscale=SCORE_SCALE,
        text=text, texttemplate="%{text}" if len(columns) <= 12 else None, customdata=hover,
        colorbar={"title": "Poäng", "tickvals": [1, 2, 3, 4, 5, 6],
                  "ticktext": ["1 Behöver utvecklas", "2", "3", "4", "5", "6 Fungerar"]},
        hovertemplate="%{x}<br>%{customdata}<br>Poäng: %{text}<extra></extra>", xgap=1, ygap=1,
    ))
    fig.update_layout(height=260 + 26 * len(rows), yaxis={"autorange": "reversed"}, xaxis={"side": "top"},
                      margin={"l": 10, "r": 10, "t": 80, "b": 10})
    return fig


def profile(frame: pd.DataFrame, year: int) -> go.Figure:
    """Mean area score of the unit, its county and the nation in the chosen year."""
    current = frame[frame["year"] == year]
    fig = go.Figure()
    colours = {1: LEVEL_COLOURS["unit"], 2: LEVEL_COLOURS["lan"], 3: LEVEL_COLOURS["riket"]}
    for position, part in current.groupby("position"):
        part = part.sort_values("area_position")
        fig.add_trace(go.Bar(
            y=part["area"].map(safe.plot), x=part["mean_score"], orientation="h", name=safe.plot(part["unit_name"].iloc[0]),
            marker_color=colours[position], text=[fmt.number(v, 1) for v in part["mean_score"]],
            textposition="outside", hovertemplate="%{y}: %{text}<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="group", xaxis={"range": [0, 6.5], "title": "Medelpoäng (1–6)"},
                      yaxis={"autorange": "reversed", "title": None}, height=480)
    return fig
