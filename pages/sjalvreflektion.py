"""Självreflektion: the staff's own view on the 30 statements, by area, and next year's proposed priorities."""
import streamlit as st

from fc import db, filters, fmt, heading, instrument, safe, stats, ui
from fc.charts import reflection as charts
from fc.charts import texts
from fc.report import centre as report

scope = filters.current()
st.title(heading.title("Självreflektion", scope))
st.caption("Personalgruppens gemensamma bedömning av 30 påståenden på skalan 1 (behöver utvecklas) "
           "till 6 (fungerar). För län och riket är områdespoängen medelvärdet av familjecentralernas poäng.")


def statements_part() -> None:
    """The 30 statements per year, centre or county, and a centre's own respondents and comments."""
    heat = db.query("reflection_heatmap", level=scope.level, unit=scope.unit_code, year=scope.year)
    columns = {"centre": "år", "kommun": "familjecentraler", "lan": "familjecentraler", "riket": "län"}[scope.level]
    st.subheader(f"Påståenden per {columns[:-2] if columns.endswith('er') else columns}")
    if heat.empty:
        st.info(heading.no_self_reflection(scope))
    else:
        if scope.level == "riket":
            st.caption("Hela riket: varje kolumn är ett län (medelvärde av länets familjecentraler). "
                       "Välj ett län för att se dess familjecentraler.")
        ui.chart(charts.heatmap(heat), heat.drop(columns=["position", "area_position", "column_detail"]),
                 f"Självreflektion per påstående {scope.unit_name} {scope.year}", "reflection_heatmap",
                 **texts.REFLECTION_HEATMAP, source=texts.reflection(scope.year))
        st.caption(instrument.REFLECTION_SCALE)

    if scope.level == "centre":
        # Comments are free text from uploads: st.dataframe shows them as text, never as Markdown.
        statements = db.query("report_statements", centre=scope.unit_code, year=scope.year)
        if statements["score"].notna().any():
            st.subheader(f"Antal svarande och kommentarer {scope.year}")
            st.caption(report.respondents_text(statements["n_staff"]))
            ui.table(report.statement_table(statements), f"Självreflektion per påstående {scope.unit_name} {scope.year}",
                     "reflection_statements")


def areas_part() -> None:
    """The unit's area profile beside its county and the nation, its change, and next year's proposal."""
    profile = db.query("reflection_profile", level=scope.level, unit=scope.unit_code, year=scope.year)
    unit_now = profile[(profile["position"] == 1) & (profile["year"] == scope.year)]
    if unit_now.empty:
        st.info(heading.no_self_reflection(scope))
        return

    st.subheader("Områdesprofil jämfört med länet och riket")
    ui.chart(charts.profile(profile, scope.year), profile.drop(columns=["position"]),
             f"Områdesprofil {scope.unit_name} {scope.year}", "reflection_profile", **texts.REFLECTION_PROFILE,
             source=texts.reflection(scope.year))

    st.subheader(f"Förändring sedan {scope.year - 1}")
    change = db.query("reflection_change", level=scope.level, unit=scope.unit_code, year=scope.year)
    ui.table(change.assign(**{
        "Område": change["area"],
        str(scope.year - 1): change["score_before"].map(lambda v: fmt.number(v, 1)),
        str(scope.year): change["score_now"].map(lambda v: fmt.number(v, 1)),
        "Förändring": change["change"].map(lambda v: fmt.change(v / 100, 1, "poäng")),
    })[["Område", str(scope.year - 1), str(scope.year), "Förändring"]], f"Förändring per område {scope.unit_name}",
        "reflection_change")
    st.caption(stats.REFLECTION_CHANGE_NOTE)

    weakest = stats.priority_areas(unit_now)
    st.subheader("Förslag på prioriterade områden inför nästa år")
    st.info("**Förslag (Steg IV) – ett underlag för diskussion, inte ett beslut.** De två områden där "
            f"{safe.md(scope.unit_name)} har lägst poäng {scope.year}: "
            + " och ".join(f"**{safe.md(a)}**" for a in weakest)
            + ". Arbetslaget väljer själv sina prioriterade mål och formulerar gärna mätbara mål att följa upp.")


# One part at a time: each is a tab in the link, and only the open one is built and drawn.
ui.parts({"Påståenden": statements_part, "Områden": areas_part})
