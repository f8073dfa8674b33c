"""Self-reflection figures: statement heatmap and area profile (scores 1 = behöver utvecklas … 6 = fungerar)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fc import fmt, safe
from fc.charts import wrap
from fc.theme import POSITION_COLOURS, SCORE_SCALE


def unique_labels(labels: list[str], details: list[str | None]) -> list[str]:
    """Column names a reader can tell apart: a name used twice gets its detail (the municipality), then a number."""
    counts = pd.Series(labels).value_counts()
    named = [f"{label} ({detail})" if counts[label] > 1 and detail else label for label, detail in zip(labels, details)]
    seen: dict[str, int] = {}
    result = []
    for label in named:
        seen[label] = seen.get(label, 0) + 1
        result.append(label if named.count(label) == 1 else f"{label} {seen[label]}")
    return result


def row_label(area: str, title: str, width: int = 46) -> str:
    """A heatmap row: the area and the statement's short title, wrapped at word boundaries."""
    return wrap(f"{area}: {title}", width)


def heatmap(frame: pd.DataFrame) -> go.Figure:
    """Statements (grouped by area, catalogue order) against the chosen columns, each cell with its score."""
    rows = frame.drop_duplicates("statement_id").sort_values("position")
    columns = frame.drop_duplicates("column_key").sort_values("column_key")
    grid = frame.pivot_table(index="statement_id", columns="column_key", values="score", aggfunc="first")
    grid = grid.reindex(index=rows["statement_id"], columns=columns["column_key"])
    details = columns["column_detail"] if "column_detail" in columns else [None] * len(columns)
    names = unique_labels(list(columns["column_label"]), list(details))
    y = [row_label(r.area, r.title) for r in rows.itertuples()]
    x = [wrap(name, 16) for name in names]
    hover = [[f"<b>{safe.plot(name)}</b><br>{wrap(r.text, 60)}" for name in names] for r in rows.itertuples()]
    text = [[fmt.number(v, 1) if pd.notna(v) else "" for v in row] for row in grid.to_numpy()]
    lines = [label.count("<br>") + 1 for label in y]
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=x, y=y, zmin=1, zmax=6, colorscale=SCORE_SCALE,
        text=text, texttemplate="%{text}", textfont={"size": 14 if len(columns) <= 12 else 11},
        customdata=hover, xgap=2, ygap=2,
        colorbar={"title": {"text": "Poäng"}, "tickvals": [1, 2, 3, 4, 5, 6],
                  "ticktext": ["1 Behöver utvecklas", "2", "3", "4", "5", "6 Fungerar"]},
        hovertemplate="%{customdata}<br>Poäng: %{text}<extra></extra>",
    ))
    top = 60 + 20 * max(label.count("<br>") + 1 for label in x)
    # Rows are equally high: each as high as the longest wrapped label needs, so no label overlaps the next.
    fig.update_layout(height=top + 40 + len(lines) * max(30, 18 * max(lines, default=1) + 4),
                      yaxis={"autorange": "reversed", "tickfont": {"size": 13}},
                      xaxis={"side": "top", "tickfont": {"size": 13}, "tickangle": 0},
                      margin={"l": 10, "r": 10, "t": top, "b": 10})
    return fig


def profile(frame: pd.DataFrame, year: int) -> go.Figure:
    """Mean area score of the unit, its county and the nation in the chosen year."""
    current = frame[frame["year"] == year]
    fig = go.Figure()
    colours = POSITION_COLOURS
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
