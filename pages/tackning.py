"""Täckning: which municipalities have a family centre, how coverage grew, and where none exists."""
import streamlit as st

from fc import db, filters, fmt, heading, maps, safe, targets, ui
from fc.charts import coverage, texts

scope = filters.current()
level = "lan" if scope.lan_code else "riket"  # coverage is shown for the whole county around a chosen municipality
st.title(heading.title("Täckning", scope, level))
if note := heading.wider_note(scope, level, "Täckning visas för hela länet."):
    st.caption(note)
year = scope.year  # the sidebar's year, kept in the link
kommuner = db.query("coverage_kommun_year", year=year, lan=scope.lan_code)
centres = db.query("coverage_centres_year", year=year, lan=scope.lan_code)
source = db.query("children_source", year=year).iloc[0]

counts = kommuner["status"].value_counts()
setting = db.query("county_setting", lan=scope.lan_code).iloc[0] if scope.lan_code else None
target = db.query("oversikt_coverage", year=year, lan=scope.lan_code, kommun="").iloc[0]
st.markdown(targets.county_line(setting) if setting is not None else targets.NATIONAL)
cols = st.columns(4)
cols[0].metric(f"{targets.covered_label(setting)} (målet)", f"{target['n_covered']} av {target['n_kommuner']}")
cols[1].metric("Kommuner med familjecentral (FC)", fmt.number(counts.get("FC", 0)))
cols[2].metric("Kommuner med endast FCLV", fmt.number(counts.get("FCLV", 0)))
cols[3].metric("Kommuner utan verksamhet", fmt.number(counts.get("ingen", 0)))
if setting is None:
    st.caption(targets.national_counts(target))


def map_part() -> None:
    """Coverage per municipality, on the map."""
    fig = coverage.coverage_map(kommuner, maps.boundaries("kommun", scope.lan_code),
                                maps.boundaries("lan", scope.lan_code), centres, chosen_kommun=scope.kommun_code,
                                chosen_centre=scope.centre_id,
                                label_at=maps.label_point("kommun", scope.kommun_code))
    ui.chart(fig, kommuner, f"Täckning per kommun {year}", "tackning_map", **texts.COVERAGE_MAP,
             source=texts.registry(year), aside=not scope.lan_code, portrait=not scope.lan_code)
    if source["year"] is not None and not (isinstance(source["year"], float)):
        st.caption(f"Barn 0–5 år: {safe.md(source['source'])}, {int(source['year'])} "
                   f"(senaste tillgängliga år ≤ {year}).")


def counties_part() -> None:
    """The share of municipalities that meet their county's target, per county."""
    st.subheader(f"Andel kommuner som når länets eget mål per län {year}")
    counties = db.query("coverage_lan_year", year=year)
    st.caption("Varje län räknas efter sin egen regel: " + "; ".join(
        f"{safe.md(name)}: {targets.COUNTS[rule]}" for name, rule in zip(counties["lan_name"], counties["coverage_rule"])
        if rule == "fc") + "; övriga län: " + targets.COUNTS["fc_or_fclv"] + ".")
    ui.chart(coverage.coverage_by_county(counties, scope.lan_code), counties, f"Täckning per län {year}", "tackning_lan",
             **texts.COVERAGE_COUNTY, source=texts.registry(year))


def uncovered_part() -> None:
    """The working group's list: municipalities that do not meet the target."""
    st.subheader(f"Kommuner som inte når länets mål {year}")
    uncovered = db.query("tackning_uncovered", year=year, lan=scope.lan_code)
    if uncovered.empty:
        st.success("Alla kommuner i urvalet når sitt läns mål.")
    else:
        st.caption("Arbetsgruppens åtgärdslista, kommuner med flest barn 0–5 år först. En kommun med endast FCLV står "
                   "här när länet bara räknar familjecentraler.")
        ui.table(uncovered.assign(status=uncovered["status"].map({"FCLV": "endast FCLV", "ingen": "ingen verksamhet"}))
                 .rename(columns={"lan_name": "Län", "kommun_code": "Kommunkod", "kommun_name": "Kommun",
                                  "status": "Finns", "children": "Barn 0–5 år", "children_year": "År (barn 0–5)"}),
                 f"Kommuner utan verksamhet {year}", "tackning_uncovered")


# One part at a time: each is a tab in the link, and only the open one is built and drawn.
ui.parts({"Karta": map_part, **({} if scope.lan_code else {"Per län": counties_part}),
          "Kommuner som inte når målet": uncovered_part})
