"""Page parts shared by every page: chart with its figures one click away, downloads, banners."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from fc import db, export, safe
from fc.theme import LAYOUT, PLOTLY_CONFIG


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower().translate(str.maketrans("åäöé", "aaoe"))).strip("_")


def file_stem(name: str, official: bool = False) -> str:
    """A download's file name; demo downloads say so in the name (not official statistics, which are real)."""
    return ("fiktiva_demodata_" if db.is_demo() and not official else "") + slug(name)


def downloads(frame: pd.DataFrame, name: str, key: str, official: bool = False) -> None:
    """CSV and Excel download buttons for one table; the files are made when a button is clicked.

    `official`: real public statistics, never marked as demo data even in a demo database."""
    left, right = st.columns(2)
    stem, demo = file_stem(name, official), db.is_demo() and not official
    left.download_button("Ladda ner CSV", lambda: export.csv_bytes(frame), file_name=f"{stem}.csv",
                         mime="text/csv", key=f"{key}_csv", on_click="ignore")
    right.download_button("Ladda ner Excel", lambda: export.excel_bytes({name: frame}, demo=demo),
                          file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", on_click="ignore")


def table(frame: pd.DataFrame, name: str, key: str, official: bool = False, **dataframe_args) -> None:
    """A table with its downloads."""
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table", **dataframe_args)
    downloads(frame, name, key, official)


def chart(fig, figures: pd.DataFrame, name: str, key: str, official: bool = False) -> None:
    """A chart, with the figures behind it as a table and downloads one click away."""
    fig.update_layout(**LAYOUT)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch")
    with st.expander(f"Visa siffror: {safe.md(name)}"):
        table(figures, name, key, official)


def database_unreadable() -> None:
    """What a visitor sees when the database is missing or damaged: what to do, no traceback or server path."""
    st.error("**Databasen kan inte läsas just nu.** Den saknas, är skadad eller är inte byggd av FC-kompassen. "
             "Be den som förvaltar FC-kompassen att bygga databasen på nytt (`python -m etl build`, eller "
             "`python -m etl demo` för demodata) och att kontrollera miljövariabeln FC_DB. Sidan fungerar igen "
             "utan omstart när en fungerande databas är publicerad: ladda om sidan.", icon="⚠️")


def demo_banner() -> None:
    if db.available() and db.is_demo():
        st.warning("**Fiktiva demodata.** Alla familjecentraler, svar och siffror här är påhittade och "
                   "beskriver inga verkliga verksamheter.", icon="⚠️")
