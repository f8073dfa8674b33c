"""Report charts as PNG images with matplotlib: no browser, deterministic, fast on a fresh machine."""
from __future__ import annotations

import io
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402

from fc import fmt, safe  # noqa: E402
from fc.theme import ANSWER_COLOURS, PALETTE, STATUS_COLOURS, STATUS_LABELS  # noqa: E402

plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def grouped_shares(frame: pd.DataFrame, series: list[tuple[str, str]], title: str) -> bytes:
    """Bars of share positive per goal for each (series label, colour); suppressed bars say 'för få svar'."""
    goals = sorted(frame["goal"].unique())
    fig, ax = plt.subplots(figsize=(7, 3.2))
    width = 0.8 / len(series)
    for i, (label, colour) in enumerate(series):
        part = frame[frame["series"] == label].set_index("goal").reindex(goals)
        xs = [g + (i - (len(series) - 1) / 2) * width for g in goals]
        values = part["share_positive"].fillna(0)
        ax.bar(xs, values, width=width * 0.95, color=colour, label=safe.mpl(label))
        for x, value, suppression, suppressed in zip(xs, part["share_positive"], part["suppression"],
                                                     part["suppressed"].fillna(True)):
            text = fmt.share(value, suppression if suppressed else None)
            ax.text(x, (0 if suppressed else value) + 0.02, text, ha="center", va="bottom",
                    fontsize=6.5, rotation=90 if suppressed else 0)
    ax.set_xticks(goals, [f"Mål {g}" for g in goals])
    ax.set_ylim(0, 1.18)
    ax.yaxis.set_major_formatter(lambda v, _: fmt.percent(v))
    ax.set_ylabel("Andel positiva")
    ax.set_title(title)
    ax.legend(loc="upper center", ncols=len(series), fontsize=7, frameon=False, bbox_to_anchor=(0.5, -0.1))
    return _png(fig)


def answers(frame: pd.DataFrame, title: str) -> bytes:
    """Stacked bars of the answer distribution per question (suppressed questions left out)."""
    data = frame[~frame["suppressed"]]
    items = list(dict.fromkeys(data.sort_values("position", ascending=False)["item"]))
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(items) + 1.2))
    left = pd.Series(0.0, index=items)
    for answer in range(1, 6):
        share = data[data["answer"] == answer].set_index("item")["share"].reindex(items).fillna(0)
        ax.barh([safe.mpl(i) for i in items], share, left=left, color=ANSWER_COLOURS[answer], label=str(answer))
        left += share
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.percent(v))
    ax.set_title(title)
    ax.legend(title="Svar (1 = stämmer inte alls, 5 = stämmer helt)", ncols=5, fontsize=7, title_fontsize=7,
              loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
    return _png(fig)


def areas(frame: pd.DataFrame, series: list[tuple[str, str]], title: str) -> bytes:
    """Horizontal bars of the mean area score (1–6) per series."""
    area_order = list(dict.fromkeys(frame.sort_values("area_position")["area"]))[::-1]
    fig, ax = plt.subplots(figsize=(7, 3.4))
    height = 0.8 / len(series)
    for i, (label, colour) in enumerate(series):
        part = frame[frame["series"] == label].set_index("area").reindex(area_order)
        ys = [j + (i - (len(series) - 1) / 2) * height for j in range(len(area_order))]
        ax.barh(ys, part["mean_score"].fillna(0), height=height * 0.95, color=colour, label=safe.mpl(label))
    ax.set_yticks(range(len(area_order)), [safe.mpl(a) for a in area_order])
    ax.set_xlim(0, 6)
    ax.set_xlabel("Medelpoäng (1 = behöver utvecklas, 6 = fungerar)")
    ax.set_title(title)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    return _png(fig)


def coverage_map(boundaries: pd.DataFrame, status: pd.DataFrame, title: str) -> bytes:
    """The municipalities of the scope coloured by coverage status."""
    colours = status.set_index("kommun_code")["status"].map(STATUS_COLOURS)
    patches, faces = [], []
    for code, geometry in zip(boundaries["code"], boundaries["geojson"]):
        if code not in colours.index:
            continue
        shape = json.loads(geometry)
        polygons = shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
        for polygon in polygons:
            patches.append(Polygon(polygon[0], closed=True))
            faces.append(colours[code])
    fig, ax = plt.subplots(figsize=(4, 6))
    ax.add_collection(PatchCollection(patches, facecolor=faces, edgecolor="white", linewidth=0.3))
    ax.autoscale_view()
    ax.set_aspect(1.9)  # about 1/cos(58°): keeps Sweden's shape at its latitude
    ax.set_axis_off()
    for key in ("FC", "FCLV", "ingen"):
        ax.scatter([], [], color=STATUS_COLOURS[key], marker="s", label=STATUS_LABELS[key])
    ax.legend(fontsize=6, frameon=False, loc="lower right")
    ax.set_title(title)
    return _png(fig)




def series_colours(labels: list[str], year: int) -> list[tuple[str, str]]:
    """Each series label with the palette's colour for what it is: the nation, the county, last year or the unit.

    By meaning, not by position, so the nation is charcoal in every report as on every page."""
    def colour(label: str) -> str:
        if label.startswith("Riket"):
            return PALETTE["riket"]
        if label.startswith("Länet"):
            return PALETTE["county"]
        return PALETTE["earlier"] if label.endswith(str(year - 1)) else PALETTE["chosen"]
    return [(label, colour(label)) for label in labels]
