"""Page parts shared by every page: chart with its figures one click away, downloads, banners."""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from fc import db, export, labels, presentation, safe, theme
from fc.charts import wrap


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower().translate(str.maketrans("åäöé", "aaoe"))).strip("_")


def file_stem(name: str, official: bool = False) -> str:
    """A download's file name; demo downloads say so in the name (not official statistics, which are real)."""
    return ("fiktiva_demodata_" if db.is_demo() and not official else "") + slug(name)


SOURCE = ("FC-kompassen: familjecentralernas inrapporterade uppgifter (register, föräldraenkät, självreflektion, "
          "verksamhetsstatistik)")
OFFICIAL_SOURCE = "Officiell statistik: Skolverket och SCB via Kolada, Folkhälsomyndigheten och Socialstyrelsen"


def _source(official: bool) -> str:
    built = db.query("build_info").set_index("key")["value"].get("built_at", "")
    return (OFFICIAL_SOURCE if official else SOURCE) + (f"; data inläst {built.replace('T', ' ')[:16]}" if built else "")


def _years(table: labels.Table) -> str:
    """The years a table's figures are for: its own year column, else the year chosen in the sidebar."""
    for header, entry in zip(table.frame.columns, table.columns):
        if entry is not None and entry.kind == "year" and entry.name == "year":
            years = sorted({int(y) for y in table.frame[header].dropna()})
            if years:
                return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    scope = st.session_state.get("scope")
    return str(scope.year) if scope is not None else "–"


def downloads(frame: pd.DataFrame | labels.Table, name: str, key: str, official: bool = False,
              raw: bool = False) -> None:
    """CSV and Excel download buttons for one table; the files are made when a button is clicked.

    Published tables go out as the page shows them (Swedish headers, rounding, Ja/Nej, a definitions sheet);
    `raw` keeps an analyst's query result as it came (its own column names, full precision).
    `official`: real public statistics, never marked as demo data even in a demo database."""
    left, right = st.columns(2)
    stem, demo = file_stem(name, official), db.is_demo() and not official
    if raw:
        make_csv, make_excel = (lambda: export.csv_bytes(frame)), (lambda: export.excel_bytes({name: frame}, demo=demo))
    else:
        table = frame if isinstance(frame, labels.Table) else labels.present(frame)
        source = _source(official)
        make_csv = lambda: export.table_csv(table)  # noqa: E731
        make_excel = lambda: export.table_excel(table, name, source, _years(table), demo=demo)  # noqa: E731
    left.download_button("Ladda ner CSV", make_csv, file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv",
                         on_click="ignore")
    right.download_button("Ladda ner Excel", make_excel, file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", on_click="ignore")


def table(frame: pd.DataFrame, name: str, key: str, official: bool = False, **dataframe_args) -> None:
    """A table with its downloads, in Swedish: labelled headers, the charts' rounding, Ja/Nej, hidden cells hidden."""
    shown = labels.present(frame)
    st.dataframe(labels.text(shown), hide_index=True, width="stretch", key=f"{key}_table", **dataframe_args)
    downloads(shown, name, key, official)


def image_texts(fig, name: str, source: str, note: str = "", width: int = 150) -> None:
    """Title, source and note inside the figure, so a downloaded image for slides carries them."""
    footer = " ".join(part for part in (f"Källa: {source}." if source else "", note) if part)
    fig.update_layout(title={"text": safe.plot(name), "subtitle": {"text": wrap(footer, width)}})


def explain(how_to_read: str, definition: str = "", source: str = "") -> None:
    """'Så läser du diagrammet', the definition and the source, in one caption beside a chart."""
    parts = [f"**Så läser du diagrammet:** {safe.md(how_to_read)}"]
    if definition:
        parts.append(f"**Definition:** {safe.md(definition)}")
    if source:
        parts.append(f"**Källa:** {safe.md(source)}")
    st.caption("  \n".join(parts))


def chart(fig, figures: pd.DataFrame, name: str, key: str, official: bool = False, *, how_to_read: str,
          definition: str = "", source: str = "", note: str = "", aside: bool = False, portrait: bool = False,
          width: int | str = "stretch") -> None:
    """A chart that explains itself (how to read it, definition, source), its figures and downloads one click away.

    The title, source and note are also drawn inside the figure so the modebar's image download carries them;
    `aside` puts the explanation beside a narrow chart (a map of Sweden), `portrait` shapes its image."""
    if presentation.hides(fig, name):  # presentation mode shows one chart at a time
        return
    if db.is_demo() and not official:
        note = f"{note} Fiktiva demodata.".strip()
    image_texts(fig, name, source, note, width=55 if portrait else 150)
    config = theme.config(file_stem(name, official), portrait=portrait, height=fig.layout.height)
    if aside:
        left, right = st.columns([2, 3], vertical_alignment="center")
        left.plotly_chart(fig, config=config, key=key, width=width, theme=None)
        with right:
            explain(how_to_read, definition, source)
    else:
        st.plotly_chart(fig, config=config, key=key, width=width, theme=None)
        explain(how_to_read, definition, source)
    # Built only when opened: a closed expander with on_change="rerun" runs none of its content.
    figures_box = st.expander(f"Visa siffror: {safe.md(name)}", key=f"{key}_figures", on_change="rerun")
    if figures_box.open:
        with figures_box:
            table(figures, name, key, official)


def parts(drawers: dict[str, Callable[[], None]], key: str = "del") -> None:
    """A page's parts as tabs named in the link (`?del=…`, so a shared link opens the same part). Only the open
    part runs, so a page builds and draws one part's charts, not all of them. Presentation mode runs every part:
    it shows one chart at a time itself."""
    if presentation.active():
        for draw in drawers.values():
            draw()
        return
    for tab, draw in zip(st.tabs(list(drawers), key=key, bind="query-params"), drawers.values()):
        if tab.open:
            with tab:
                draw()


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
