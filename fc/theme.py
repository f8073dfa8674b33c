"""One palette with fixed meanings and one plotly template for every chart, on the pages and in the reports.

Each colour means one thing wherever it appears (the chosen unit is always blue, the nation always charcoal,
FCLV always dark orange); every colour that carries meaning has at least 3:1 contrast against the white
background (WCAG 2.1 AA, non-text contrast 1.4.11). Gender and language groups get calm colours, never
the red/green that mark a change.
"""
from __future__ import annotations

import copy

import plotly.io as pio
import streamlit  # noqa: F401  importing streamlit sets its own default template; ours is set after it

BACKGROUND = "#FFFFFF"
TEXT = "#262730"

# Fixed meanings. A test asserts the charts of different pages use exactly these for these meanings.
PALETTE = {
    "chosen": "#0072B2",      # the unit the reader chose (centre, municipality, county or the nation as a unit)
    "earlier": "#6C8EAD",     # the chosen unit in an earlier year (reports: last year beside this year)
    "county": "#7A5195",      # the chosen unit's county, as a comparison
    "riket": "#333333",       # the whole country, as a comparison
    "other": "#949494",       # other units of the same kind (the other centres in the funnel plot)
    "fc": "#009E73",          # family centre (FC): coverage, open preschools in a family centre
    "fclv": "#A65E00",        # family-centre-like activity only (FCLV)
    "uncovered": "#D4D4D4",   # a municipality with neither; a fill behind data, never a mark (see contrast test)
    "missing": "#F0F0F0",     # no figure in the source
    "up": "#1A7F37",          # a change beyond chance, upwards (only then is a change coloured)
    "down": "#B3261E",        # a change beyond chance, downwards
    "limit": "#555555",       # funnel-plot control limits, reference lines
}
# Meanings that are fills behind the data, not marks the reader must tell apart from the page.
BACKGROUND_FILLS = {"uncovered", "missing"}

# The goals as five lines of one unit, and the gender/language groups: calm colours none of the above.
GOAL_COLOURS = {1: "#332288", 2: "#1F7A7A", 3: "#882255", 4: "#AA4499", 5: "#6B6B00"}
SEGMENT_COLOURS = {"kvinna": "#8B4A9C", "man": "#2E7D6B", "annat": "#806600",
                   "svenska": "#4B5AA0", "annat språk": "#9C5A1E"}
# Diverging scales (answers 1..5, self-reflection 1..6): brown through grey to teal, never the chosen blue.
ANSWER_COLOURS = {1: "#8C510A", 2: "#D8B365", 3: "#D9D9D9", 4: "#5AB4AC", 5: "#01665E"}
SCORE_SCALE = [[0.0, "#8C510A"], [0.5, "#F5F5F5"], [1.0, "#01665E"]]
SEQUENTIAL_FC = [[0, "#EAF6F2"], [0.35, "#7CCBB2"], [1, PALETTE["fc"]]]

STATUS_COLOURS = {"FC": PALETTE["fc"], "FCLV": PALETTE["fclv"], "ingen": PALETTE["uncovered"]}
STATUS_LABELS = {"FC": "Familjecentral (FC)", "FCLV": "Endast familjecentralsliknande (FCLV)", "ingen": "Ingen"}
TYPE_COLOURS = {"FC": PALETTE["fc"], "FCLV": PALETTE["fclv"], "other": PALETTE["other"]}
# The levels of a comparison chart: position 1 the chosen unit, 2 its county, 3 the nation.
LEVEL_COLOURS = {"unit": PALETTE["chosen"], "lan": PALETTE["county"], "riket": PALETTE["riket"]}
POSITION_COLOURS = {1: PALETTE["chosen"], 2: PALETTE["county"], 3: PALETTE["riket"]}

FONT = "Source Sans Pro, Arial, sans-serif"
# Registered once as the default template, so a chart builder sets only what is its own (a per-figure
# update_layout of these was 14 % of Måluppfyllelse's server time). separators: decimal comma, space for
# thousands (d3 format: first the decimal, then the thousands character).
_base = copy.deepcopy(pio.templates["plotly_white"])
_base.layout.update(
    separators=", ", colorway=list(GOAL_COLOURS.values()),
    font={"size": 16, "family": FONT, "color": TEXT}, paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND,
    # The title and, under it, the source and note (the subtitle) push the top margin; the legend stands on the
    # right, so neither it nor rotated tick labels can collide with them.
    title={"font": {"size": 18}, "x": 0, "xanchor": "left", "xref": "container", "automargin": True,
           "subtitle": {"font": {"size": 12, "color": "#555555"}}},
    margin={"l": 10, "r": 10, "t": 40, "b": 10},
    legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top", "title": {"text": ""}},
    hoverlabel={"font": {"size": 15, "family": FONT}, "bgcolor": BACKGROUND},
    xaxis={"automargin": True}, yaxis={"automargin": True},
)
pio.templates["fc"] = _base
pio.templates.default = "fc"

# Axis of shares held as 0..1: ticks "20 %" (plotly's ".0%" gives "20%"; Swedish puts a space before %).
PERCENT_AXIS = {"tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1.0], "ticktext": ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"]}
DIVERGING_PERCENT_AXIS = {"tickvals": [-1, -0.5, 0, 0.5, 1], "ticktext": ["100 %", "50 %", "0 %", "50 %", "100 %"]}

# Image for slides: the modebar's camera button downloads a PNG of 1600×900 at scale 2 with the title,
# source and note that the chart carries in its layout.
IMAGE = {"format": "png", "width": 1600, "height": 900, "scale": 2}
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": "app/static/topojson/", "locale": "sv",
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]}


def config(file_name: str, portrait: bool = False, height: int | None = None) -> dict:
    """Plotly config for one chart: the image download named `file_name` (portrait for a map of Sweden).

    A chart taller than the slide (a heatmap of 30 statements) keeps its own height rather than being squeezed."""
    image = {**IMAGE, "filename": file_name}
    if portrait:
        image.update(width=1000, height=1400)
    elif height and height > IMAGE["height"]:
        image.update(height=height)
    return {**PLOTLY_CONFIG, "toImageButtonOptions": image}
