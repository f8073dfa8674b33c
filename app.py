"""FC-kompassen: the router and frame around every page (filters, demo banner, build time)."""
from __future__ import annotations

import duckdb
import streamlit as st

from fc import db, filters, presentation, safe, ui

st.set_page_config(page_title="FC-kompassen", page_icon="🧭", layout="wide")


def _open_default_page() -> None:
    """Switch to the default page at "/", keeping the link's filters."""
    st.switch_page(OVERSIKT, query_params=st.query_params.to_dict())


# Streamlit serves the default page at "/" and resolves a page address by the page's public path, which for the
# default page is "", so its own url_path never resolves by name ("Page not found"). /oversikt (a bookmark, or
# what Streamlit's legacy pages/ mode names pages/oversikt.py on a fresh server) is therefore a hidden page of
# its own that opens the default page with the same filters.
OVERSIKT = st.Page("pages/oversikt.py", title="Översikt", icon=":material/explore:", url_path="start", default=True)
OVERSIKT_LINK = st.Page(_open_default_page, title="Översikt", url_path="oversikt", visibility="hidden")
PAGES = [
    OVERSIKT,
    OVERSIKT_LINK,
    st.Page("pages/tackning.py", title="Täckning", icon=":material/map:", url_path="tackning"),
    st.Page("pages/officiell_statistik.py", title="Officiell statistik", icon=":material/query_stats:",
            url_path="officiell_statistik"),
    st.Page("pages/maluppfyllelse.py", title="Måluppfyllelse", icon=":material/flag:", url_path="maluppfyllelse"),
    st.Page("pages/sjalvreflektion.py", title="Självreflektion", icon=":material/psychology:", url_path="sjalvreflektion"),
    st.Page("pages/familjecentral.py", title="Familjecentral", icon=":material/home:", url_path="familjecentral"),
    st.Page("pages/inrapportering.py", title="Inrapportering", icon=":material/checklist:", url_path="inrapportering"),
    st.Page("pages/rapporter.py", title="Rapporter", icon=":material/description:", url_path="rapporter"),
    st.Page("pages/utforska.py", title="Utforska", icon=":material/search:", url_path="utforska"),
    st.Page("pages/importera.py", title="Importera", icon=":material/upload:", url_path="importera"),
]
REAL_DATA_PAGES = {"officiell_statistik"}

db.pin()  # one database generation for the whole run, even if a build publishes a new one meanwhile
page = st.navigation(PAGES)
if page is OVERSIKT_LINK:
    page.run()
if not db.readable():
    ui.database_unreadable()
    st.stop()
try:
    st.session_state["scope"] = filters.sidebar()
    info = db.query("build_info").set_index("key")["value"]
    st.sidebar.caption(f"Data senast inläst {safe.md(info.get('built_at', '–').replace('T', ' '))}")
    if page.url_path not in REAL_DATA_PAGES:  # official statistics are real data, never under the demo banner
        ui.demo_banner()
    presentation.begin(page.url_path or "oversikt")
    try:
        page.run()
    finally:  # also after a page's st.stop(), so presentation mode always has its controls and way back
        presentation.finish()
except duckdb.Error as exc:  # a damaged file that opened but fails on a table
    db.LOG.warning("Database %s failed during a page run: %s", db.generation(), exc)
    ui.database_unreadable()
