"""Goal-fulfilment figures. Suppressed groups carry no figure in the data, so they are never drawn."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fc import fmt, safe, stats
from fc.theme import ANSWER_COLOURS, GOAL_COLOURS, LEVEL_COLOURS

ANSWER_LABELS = {1: "1 Stämmer inte alls", 2: "2", 3: "3", 4: "4", 5: "5 Stämmer helt och hållet"}
SEGMENT_LABELS = {"kvinna": "Kvinna", "man": "Man", "annat": "Annat kön", "svenska": "Svenska", "annat språk": "Annat språk"}


def _bar_text(share, suppression) -> str:
    return fmt.share(share, suppression)


def _error(frame: pd.DataFrame) -> dict:
    return {"type": "data", "symmetric": False, "array": frame["ci_high"] - frame["share_positive"],
            "arrayminus": frame["share_positive"] - frame["ci_low"], "color": "#333"}


def compare(frame: pd.DataFrame) -> go.Figure:
    """Share positive per goal for the unit, its county and the nation, with 95 % intervals."""
    fig = go.Figure()
    for position, colour in zip((1, 2, 3), (LEVEL_COLOURS["unit"], LEVEL_COLOURS["lan"], LEVEL_COLOURS["riket"])):
        part = frame[frame["position"] == position]
        if part.empty:
            continue
        shown = part.assign(share_positive=part["share_positive"].fillna(0))
        fig.add_trace(go.Bar(
            x=part["short_name"].map(safe.plot), y=shown["share_positive"], name=safe.plot(part["unit_name"].iloc[0]),
            marker_color=colour,
            error_y=_error(part), text=[_bar_text(s, x) for s, x in zip(part["share_positive"], part["suppression"])],
            textposition="outside", customdata=part[["n"]],
            hovertemplate="%{x}<br>%{text}<br>%{customdata[0]} svarande<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="group", yaxis={"tickformat": ".0%", "range": [0, 1.1], "title": "Andel positiva"},
                      height=480)
    return fig


def trend(frame: pd.DataFrame) -> go.Figure:
    """Share positive per goal over the years; suppressed years are gaps."""
    fig = go.Figure()
    for goal, part in frame.groupby("goal"):
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["share_positive"], name=safe.plot(part["short_name"].iloc[0]), mode="lines+markers",
            line={"color": GOAL_COLOURS[goal], "width": 3}, connectgaps=False,
            text=[_bar_text(s, x) for s, x in zip(part["share_positive"], part["suppression"])],
            hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(yaxis={"tickformat": ".0%", "range": [0, 1], "title": "Andel positiva"},
                      xaxis={"dtick": 1, "title": None}, height=420)
    return fig


def segments(frame: pd.DataFrame) -> go.Figure:
    """Share positive per goal and segment (gender, language)."""
    fig = go.Figure()
    for segment, part in frame.groupby("segment", sort=False):
        visible = part[~part["suppressed"]]
        fig.add_trace(go.Bar(
            x=visible["short_name"].map(safe.plot), y=visible["share_positive"],
            name=safe.plot(SEGMENT_LABELS.get(segment, segment)),
            error_y=_error(visible), text=[fmt.percent(s) for s in visible["share_positive"]], textposition="outside",
            customdata=visible[["n"]], hovertemplate="%{x}<br>%{text}<br>%{customdata[0]} svarande<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="group", yaxis={"tickformat": ".0%", "range": [0, 1.1], "title": "Andel positiva"},
                      height=420)
    return fig


def item_distribution(frame: pd.DataFrame) -> go.Figure:
    """Diverging stacked bars: answers 1–2 and half of 3 to the left of zero, the rest to the right."""
    data = frame[~frame["suppressed"]].copy()
    labels = {row.item: f"{safe.plot(row.text)} (mål {row.goal})" for row in data.drop_duplicates("item").itertuples()}
    order = list(dict.fromkeys(data.sort_values("position", ascending=False)["item"]))
    fig = go.Figure()
    # Relative bars stack outwards from zero in trace order; the neutral answer is split across it.
    for answer, side in ((3, -1), (2, -1), (1, -1), (3, 1), (4, 1), (5, 1)):
        part = data[data["answer"] == answer].set_index("item").reindex(order)
        share = part["share"] / (2 if answer == 3 else 1)
        fig.add_trace(go.Bar(
            y=[labels[i] for i in order], x=side * share, orientation="h", name=ANSWER_LABELS[answer],
            marker_color=ANSWER_COLOURS[answer], legendgroup=str(answer), showlegend=not (answer == 3 and side > 0),
            customdata=part["share"], hovertemplate="%{y}<br>Svar " + str(answer) + ": %{customdata:.0%}<extra></extra>",
        ))
    fig.update_layout(barmode="relative", height=max(420, 40 * len(order)),
                      xaxis={"tickformat": ".0%", "range": [-1, 1], "title": "Andel av dem som svarat"},
                      yaxis={"title": None}, legend={"traceorder": "normal"})
    return fig


def funnel(frame: pd.DataFrame, reference: float, reference_name: str) -> go.Figure:
    """Share positive against respondents per centre, with 95 % and 99,8 % limits around the reference."""
    data = frame[~frame["suppressed"]]
    n_max = int(data["n"].max()) if len(data) else 50
    fig = go.Figure()
    for z, dash, label in ((stats.Z_998, "dot", "99,8 %-gräns"), (stats.Z_95, "dash", "95 %-gräns")):
        limits = stats.funnel_limits(reference, n_max, z)
        for side in ("low", "high"):
            fig.add_trace(go.Scatter(x=limits["n"], y=limits[side], mode="lines", name=label,
                                     line={"color": "#555", "dash": dash, "width": 1.5},
                                     showlegend=side == "low", legendgroup=label, hoverinfo="skip"))
    fig.add_hline(y=reference, line={"color": LEVEL_COLOURS["lan"], "width": 2},
                  annotation_text=f"{safe.plot(reference_name)}: {fmt.percent(reference)}")
    fig.add_trace(go.Scatter(
        x=data["n"], y=data["share_positive"], mode="markers", name="Familjecentral",
        marker={"size": 11, "color": LEVEL_COLOURS["unit"], "line": {"width": 1, "color": "white"}},
        text=data["name"].map(safe.plot) + "<br>" + data["share_positive"].map(fmt.percent) + " av " + data["n"].astype(str),
        hovertemplate="%{text}<extra></extra>",
    ))
    fig.update_layout(xaxis={"title": "Antal svarande"}, yaxis={"tickformat": ".0%", "range": [0, 1.02],
                      "title": "Andel positiva"}, height=480)
    return fig
