"""The shared sidebar filters (year, county, municipality, centre), kept in the URL so a copied link opens the same view."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from fc import db

ALL = ""
COUNTRY = "Riket"  # the whole country, as the data names it (unit code SE), in every heading and chart
LEVELS = ("centre", "kommun", "lan", "riket")


@dataclass(frozen=True)
class Scope:
    year: int
    lan_code: str = ALL
    kommun_code: str = ALL
    centre_id: str = ALL
    names: tuple = ()  # (code, name for headings) of every county, municipality and centre

    @property
    def level(self) -> str:
        """The most specific level chosen: centre, kommun, lan or riket."""
        if self.centre_id:
            return "centre"
        if self.kommun_code:
            return "kommun"
        if self.lan_code:
            return "lan"
        return "riket"

    @property
    def municipal(self) -> tuple[str, str]:
        """(level, unit code) no finer than a municipality: a chosen centre counts as its municipality."""
        if self.kommun_code:
            return "kommun", self.kommun_code
        return ("lan", self.lan_code) if self.lan_code else ("riket", "SE")

    def code_at(self, level: str) -> str:
        """The code of the chosen unit's centre, municipality, county or nation ('' when not chosen)."""
        return {"centre": self.centre_id, "kommun": self.kommun_code, "lan": self.lan_code, "riket": "SE"}[level]

    def name_at(self, level: str) -> str:
        """The name of the chosen unit at `level` (a chosen centre also names its municipality and county)."""
        return COUNTRY if level == "riket" else dict(self.names).get(self.code_at(level), "")

    @property
    def unit_code(self) -> str:
        return self.code_at(self.level)

    @property
    def unit_name(self) -> str:
        return self.name_at(self.level)

    @property
    def lan_name(self) -> str:
        return self.name_at("lan")


def default_year(years) -> int:
    """The latest year with survey answers, so a first visit shows figures rather than an empty year."""
    with_survey = years[years["has_survey"]]
    return int((with_survey if len(with_survey) else years)["year"].max())


def loaded(year: int) -> dict:
    """Whether a parent survey and a self-reflection were loaded at all for the year (anywhere in the country)."""
    years = db.query("filter_years").set_index("year")
    if year not in years.index:
        return {"survey": False, "self_reflection": False}
    return {"survey": bool(years.at[year, "has_survey"]), "self_reflection": bool(years.at[year, "has_self_reflection"])}


def _reset(*keys: str) -> None:
    """A narrower choice that no longer fits the wider one is dropped, from the view and from the link."""
    for key in keys:
        st.session_state[key] = ALL


def sidebar() -> Scope:
    """Draw the filters in the sidebar and return the chosen scope; every list narrows to the chosen county."""
    years = db.query("filter_years")
    units = db.query("filter_units")
    names = dict(zip(units["code"], units["name"]))  # the labels in the lists and in a shared link
    year_options = [int(y) for y in years["year"]]
    preferred = default_year(years)
    st.sidebar.header("Urval")
    year = st.sidebar.selectbox("År", year_options, index=year_options.index(preferred), key="ar",
                                bind="query-params")
    lans = units[units["level"] == "lan"]
    lan = st.sidebar.selectbox("Län", [ALL, *lans["code"]], key="lan", bind="query-params",
                               format_func=lambda c: names.get(c, "Hela riket"), on_change=_reset, args=("kommun", "fc"))
    kommuner = units[(units["level"] == "kommun") & ((units["lan_code"] == lan) if lan else True)]
    kommun = st.sidebar.selectbox("Kommun", [ALL, *kommuner["code"]], key="kommun", bind="query-params",
                                  format_func=lambda c: names.get(c, "Alla kommuner"), on_change=_reset, args=("fc",))
    centres = units[units["level"] == "centre"]
    if kommun:
        centres = centres[centres["kommun_code"] == kommun]
    elif lan:
        centres = centres[centres["lan_code"] == lan]
    centre = st.sidebar.selectbox("Familjecentral", [ALL, *centres["code"]], key="fc", bind="query-params",
                                  format_func=lambda c: names.get(c, "Alla familjecentraler"))
    st.sidebar.toggle("Visningsläge", key="visning", bind="query-params",
                      help="För projektor: utan sidopanel, större text och ett diagram i taget.")
    # A centre or municipality chosen on its own still belongs to its municipality and county.
    if centre:
        row = units[units["code"] == centre].iloc[0]
        kommun, lan = kommun or row["kommun_code"], lan or row["lan_code"]
    elif kommun:
        lan = lan or units[units["code"] == kommun].iloc[0]["lan_code"]
    return Scope(int(year), lan or ALL, kommun or ALL, centre or ALL, tuple(zip(units["code"], units["title"])))


def presenting() -> bool:
    """Whether the link asks for presentation mode (?visning=true): no sidebar, large type, one chart at a time."""
    return bool(st.session_state.get("visning", False))


def current() -> Scope:
    """The scope app.py chose for this run; a page run on its own draws the filters itself."""
    scope = st.session_state.get("scope")
    if scope is not None:
        # app.py ran: its navigation is in place. Checking the legacy flag first would rerun every page run and
        # drop the button click that started it (the flag reads true again in each script run).
        return scope
    if PagesManager.uses_pages_directory:
        # A server whose first visitor opened a page URL starts in Streamlit's legacy pages/ mode and
        # never runs app.py; switch to app.py's st.navigation (which would do the same) and rerun.
        PagesManager.uses_pages_directory = False
        st.rerun()
    scope = st.session_state.get("scope")
    return scope if scope is not None else sidebar()
