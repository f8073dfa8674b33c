"""Goal-fulfilment figures. Suppressed groups carry no figure in the data, so they are never drawn."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fc import fmt, safe, stats
from fc.charts import wrap
from fc.theme import (ANSWER_COLOURS, DIVERGING_PERCENT_AXIS, GOAL_COLOURS, PALETTE, PERCENT_AXIS, POSITION_COLOURS,
                      SEGMENT_COLOURS)

ANSWER_LABELS = {1: "1 Stämmer inte alls", 2: "2", 3: "3", 4: "4", 5: "5 Stämmer helt och hållet"}
SEGMENT_LABELS = {"kvinna": "Kvinna", "man": "Man", "annat": "Annan", "svenska": "Svenska", "annat språk": "Annat språk"}


def _bar_text(share, suppression) -> str:
    return fmt.share(share, suppression)


def _error(frame: pd.DataFrame, colour: str = PALETTE["limit"]) -> dict:
    return {"type": "data", "symmetric": False, "array": frame["ci_high"] - frame["share_positive"],
            "arrayminus": frame["share_positive"] - frame["ci_low"], "color": colour, "thickness": 1.5, "width": 4}


def _interval(frame: pd.DataFrame) -> list[str]:
    """'95 % konfidensintervall 52–61 %' per row, or nothing where the share is hidden."""
    return [f"95 %-intervall {fmt.number(100 * lo)}–{fmt.percent(hi)}" if pd.notna(lo) and pd.notna(hi) else ""
            for lo, hi in zip(frame["ci_low"], frame["ci_high"])]


def compare(frame: pd.DataFrame) -> go.Figure:
    """Share positive per goal for the unit, its county and the nation, with 95 % intervals."""
    fig = go.Figure()
    for position, colour in POSITION_COLOURS.items():
        part = frame[frame["position"] == position]
        if part.empty:
            continue
        shown = part.assign(share_positive=part["share_positive"].fillna(0))
        fig.add_trace(go.Bar(
            x=[wrap(name, 14) for name in part["short_name"]], y=shown["share_positive"], name=safe.plot(part["unit_name"].iloc[0]),
            marker_color=colour,
            error_y=_error(part), text=[_bar_text(s, x) for s, x in zip(part["share_positive"], part["suppression"])],
            textposition="outside", customdata=list(zip(part["n"].map(fmt.number), _interval(part))),
            hovertemplate="%{x}<br>%{text}<br>%{customdata[1]}<br>%{customdata[0]} svarande"
                          "<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="group", yaxis={**PERCENT_AXIS, "range": [0, 1.1], "title": "Andel positiva"},
                      height=480)
    return fig


def with_gaps(frame: pd.DataFrame, years=None) -> pd.DataFrame:
    """One row per goal and year from the first to the last year (or `years`); a year without a survey is a gap."""
    if frame.empty:
        return frame
    span = list(years) if years is not None else list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    goals = frame.drop_duplicates("goal").set_index("goal")["short_name"]
    grid = pd.MultiIndex.from_product([goals.index, sorted(span)], names=["goal", "year"])
    full = frame.set_index(["goal", "year"]).reindex(grid).reset_index()
    full["short_name"] = full["goal"].map(goals)
    return full


def trend(frame: pd.DataFrame, years=None) -> go.Figure:
    """Share positive per goal over the years with 95 % intervals; hidden years and years without a survey are gaps."""
    fig = go.Figure()
    for goal, part in with_gaps(frame, years).groupby("goal"):
        colour = GOAL_COLOURS[goal]
        # A year with no row (no survey) has no share: the line breaks there instead of bridging it.
        y = [None if pd.isna(v) else float(v) for v in part["share_positive"]]
        text = [fmt.share(s, x) if pd.notna(s) or pd.notna(x) else "ingen enkät" for s, x in
                zip(part["share_positive"], part["suppression"])]
        fig.add_trace(go.Scatter(
            x=part["year"], y=y, name=safe.plot(part["short_name"].iloc[0]), mode="lines+markers",
            line={"color": colour, "width": 3}, connectgaps=False, error_y=_error(part, colour),
            text=text, customdata=_interval(part),
            hovertemplate="%{x}: %{text}<br>%{customdata}<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(yaxis={**PERCENT_AXIS, "range": [0, 1], "title": "Andel positiva"},
                      xaxis={"dtick": 1, "title": None}, height=440)
    return fig


def segments(frame: pd.DataFrame) -> go.Figure:
    """Share positive per goal and segment (gender, language)."""
    fig = go.Figure()
    for segment, part in frame.groupby("segment", sort=False):
        visible = part[~part["suppressed"]]
        fig.add_trace(go.Bar(
            x=[wrap(name, 14) for name in visible["short_name"]], y=visible["share_positive"],
            name=safe.plot(SEGMENT_LABELS.get(segment, segment)), marker_color=SEGMENT_COLOURS.get(segment),
            error_y=_error(visible), text=[fmt.percent(s) for s in visible["share_positive"]], textposition="outside",
            customdata=list(zip(visible["n"].map(fmt.number), _interval(visible))),
            hovertemplate="%{x}<br>%{text}<br>%{customdata[1]}<br>%{customdata[0]} svarande"
                          "<extra>%{fullData.name}</extra>",
        ))
    fig.update_layout(barmode="group", yaxis={**PERCENT_AXIS, "range": [0, 1.1], "title": "Andel positiva"},
                      height=420)
    return fig


def item_distribution(frame: pd.DataFrame) -> go.Figure:
    """Diverging stacked bars: answers 1–2 and half of 3 to the left of zero, the rest to the right."""
    data = frame[~frame["suppressed"]].copy()
    labels = {row.item: wrap(f"{row.text} (mål {row.goal})", 55) for row in data.drop_duplicates("item").itertuples()}
    order = list(dict.fromkeys(data.sort_values("position", ascending=False)["item"]))
    fig = go.Figure()
    # Relative bars stack outwards from zero in trace order; the neutral answer is split across it.
    for answer, side in ((3, -1), (2, -1), (1, -1), (3, 1), (4, 1), (5, 1)):
        part = data[data["answer"] == answer].set_index("item").reindex(order)
        share = part["share"] / (2 if answer == 3 else 1)
        fig.add_trace(go.Bar(
            y=[labels[i] for i in order], x=side * share, orientation="h", name=ANSWER_LABELS[answer],
            marker_color=ANSWER_COLOURS[answer], legendgroup=str(answer), showlegend=not (answer == 3 and side > 0),
            customdata=[fmt.percent(v) for v in part["share"]],
            hovertemplate="%{y}<br>Svar " + str(answer) + ": %{customdata}<extra></extra>",
        ))
    fig.update_layout(barmode="relative", height=max(420, 40 * len(order)),
                      xaxis={**DIVERGING_PERCENT_AXIS, "range": [-1, 1], "title": "Andel av dem som svarat"},
                      yaxis={"title": None}, legend={"traceorder": "normal"})
    return fig


def funnel(frame: pd.DataFrame, reference: float, reference_name: str, chosen: str = "", chosen_kommun: str = "",
           chosen_name: str = "") -> go.Figure:
    """Share positive against respondents per centre, with 95 % and 99,8 % limits around the reference.

    The chosen centre (or the centres of the chosen municipality) is drawn in the chosen unit's colour and
    labelled; every point names its centre on hover."""
    data = frame[~frame["suppressed"]]
    n_max = int(data["n"].max()) if len(data) else 50
    fig = go.Figure()
    for z, dash, label in ((stats.Z_998, "dot", "99,8 %-gräns"), (stats.Z_95, "dash", "95 %-gräns")):
        limits = stats.funnel_limits(reference, n_max, z)
        for side in ("low", "high"):
            fig.add_trace(go.Scatter(x=limits["n"], y=limits[side], mode="lines", name=label,
                                     line={"color": PALETTE["limit"], "dash": dash, "width": 1.5},
                                     showlegend=side == "low", legendgroup=label, hoverinfo="skip"))
    fig.add_hline(y=reference, line={"color": PALETTE["riket"] if reference_name == "Riket" else PALETTE["county"],
                                     "width": 2},
                  annotation_text=f"{safe.plot(reference_name)}: {fmt.percent(reference)}")
    mine = (data["centre_id"] == chosen) if chosen else (data["kommun_code"] == chosen_kommun) if chosen_kommun \
        else pd.Series(False, index=data.index)
    for part, name, colour, size, labelled in (
            (data[~mine], "Övriga familjecentraler" if mine.any() else "Familjecentral", PALETTE["other"], 10, False),
            (data[mine], safe.plot(chosen_name) if chosen else f"Familjecentraler i {safe.plot(chosen_name)}",
             PALETTE["chosen"], 16, True)):
        if part.empty:
            continue
        hover = [f"<b>{safe.plot(c)}</b> ({safe.plot(k)})<br>{fmt.percent(s)} av {fmt.number(n)} svarande"
                 for c, k, s, n in zip(part["name"], part["kommun_name"], part["share_positive"], part["n"])]
        fig.add_trace(go.Scatter(
            x=part["n"], y=part["share_positive"], mode="markers+text" if labelled and chosen else "markers",
            name=name, marker={"size": size, "color": colour, "line": {"width": 1.5, "color": "white"}},
            text=[safe.plot(c) for c in part["name"]] if labelled and chosen else None,
            textposition="top center", textfont={"color": PALETTE["chosen"], "size": 15},
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        ))
    hidden = frame[frame["suppressed"] & (frame["centre_id"] == chosen)] if chosen else frame[:0]
    if len(hidden):  # the chosen centre is not drawn: say so where the reader looks for it
        fig.add_annotation(text=f"{safe.plot(chosen_name)} visas inte: {fmt.hidden(hidden['suppression'].iloc[0])}",
                           xref="paper", yref="paper", x=1, y=0.02, xanchor="right", showarrow=False,
                           font={"color": PALETTE["chosen"]})
    fig.update_layout(xaxis={"title": "Antal svarande"}, yaxis={**PERCENT_AXIS, "range": [0, 1.02],
                      "title": "Andel positiva"}, height=500)
    return fig
