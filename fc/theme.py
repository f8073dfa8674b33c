"""One colour scheme for the whole dashboard, safe for colour-blind viewers (Okabe–Ito palette)."""
from __future__ import annotations

STATUS_COLOURS = {"FC": "#0072B2", "FCLV": "#E69F00", "ingen": "#D9D9D9"}
STATUS_LABELS = {"FC": "Familjecentral (FC)", "FCLV": "Endast familjecentralsliknande (FCLV)", "ingen": "Ingen"}
TYPE_COLOURS = {"FC": "#0072B2", "FCLV": "#E69F00", "other": "#999999"}
GOAL_COLOURS = {1: "#0072B2", 2: "#E69F00", 3: "#009E73", 4: "#CC79A7", 5: "#D55E00"}
# Diverging answer scale 1..5: vermillion through grey to blue.
ANSWER_COLOURS = {1: "#D55E00", 2: "#F0A875", 3: "#CFCFCF", 4: "#7FB5DB", 5: "#0072B2"}
LEVEL_COLOURS = {"unit": "#0072B2", "lan": "#E69F00", "riket": "#555555"}

# Plotly layout shared by every chart: Swedish separators, large readable fonts for a meeting-room wall.
LAYOUT = {
    "separators": ", ",
    "font": {"size": 16},
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
}
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": "app/static/topojson/", "locale": "sv"}
