"""Presentation mode (?visning=true): no sidebar or chrome, large type, the page's key figures or one chart at a time."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from fc import filters

CSS = Path(__file__).resolve().parent.parent / "static" / "presentation.css"
SUMMARY = "Nyckeltal"
# Chart height for a 1280×720 projector: the frame less the demo banner, the controls and the heading.
CHART_HEIGHT = 420
# On a chart slide, only these stay visible in the page body (everything else is on the key-figures slide).
CHART_SLIDE_CSS = """
.stMain [data-testid="stElementContainer"]:not(:has(h1, [data-testid="stPlotlyChart"], [data-testid="stAlert"])):not(
  .st-key-visning_kontroller [data-testid="stElementContainer"]) { display: none !important; }
"""
# On the key-figures slide: no chart is drawn, and neither is the heading just above each left-out chart.
SUMMARY_SLIDE_CSS = """
.stMain [data-testid="stElementContainer"]:has(+ [data-testid="stElementContainer"] .visning-utelamnat),
.stMain [data-testid="stElementContainer"]:has(.visning-utelamnat) { display: none !important; }
"""


def begin(page_id: str) -> None:
    """Start a page run: in presentation mode, style the frame and place the controls above the page."""
    st.session_state["_visning"] = {"page": page_id, "charts": []} if filters.presenting() else None
    if st.session_state["_visning"] is None:
        return
    slide = current()
    st.html(f"<style>{CSS.read_text(encoding='utf-8')}{CHART_SLIDE_CSS if slide else SUMMARY_SLIDE_CSS}</style>")
    st.session_state["_visning"]["controls"] = st.container(key="visning_kontroller")


def active() -> bool:
    """Whether this page run is in presentation mode."""
    return bool(st.session_state.get("_visning"))


def current() -> int:
    """The slide shown: 0 is the page's key figures and text, n the page's n-th chart."""
    state = st.session_state.get("_visning")
    return int(st.session_state.get(f"visning_bild_{state['page']}", 0)) if state else 0


def hides(fig, name: str) -> bool:
    """Whether presentation mode leaves this chart out; the one it shows is sized to the projector's frame."""
    state = st.session_state.get("_visning")
    if not state:
        return False
    state["charts"].append(name)
    if current() != len(state["charts"]):
        st.html('<span class="visning-utelamnat"></span>')  # marks the place, for the CSS above
        return True
    fig.update_layout(height=CHART_HEIGHT)
    return False


def _leave() -> None:
    st.session_state["visning"] = False


def _move(key: str, step: int, count: int) -> None:
    st.session_state[key] = min(max(st.session_state.get(key, 0) + step, 0), count - 1)


def finish() -> None:
    """After the page has run: the slide picker (key figures, then each chart by name) and the way back."""
    state = st.session_state.get("_visning")
    if not state:
        return
    slides = [SUMMARY, *state["charts"]]
    key = f"visning_bild_{state['page']}"
    if st.session_state.get(key, 0) >= len(slides):
        st.session_state[key] = 0
    with state["controls"]:
        back, pick, previous, following = st.columns([3, 6, 3, 2], vertical_alignment="bottom")
        back.button("Avsluta visningsläge", on_click=_leave, key="visning_avsluta", icon=":material/close:")
        pick.selectbox("Visa", range(len(slides)), key=key, label_visibility="collapsed",
                       format_func=lambda i: f"{i + 1} av {len(slides)}: {slides[i]}")
        previous.button("Föregående", on_click=_move, args=(key, -1, len(slides)), key="visning_foregaende",
                        icon=":material/chevron_left:", disabled=current() == 0, width="stretch")
        following.button("Nästa", on_click=_move, args=(key, 1, len(slides)), key="visning_nasta",
                         icon=":material/chevron_right:", disabled=current() == len(slides) - 1, width="stretch")
