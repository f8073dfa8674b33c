"""Täckning: which municipalities have a family centre, how coverage grew, and where none exists."""
import streamlit as st

from fc import db, filters, fmt, maps, safe, ui
from fc.charts import coverage, texts

scope = filters.current()
place = scope.lan_name or "Sverige"
st.title(f"Täckning – {safe.md(place)}")

years = sorted(int(y) for y in db.query("filter_years")["year"])
year = st.select_slider("År (dra för att se hur täckningen vuxit)", options=years, value=scope.year,
                        key="tackning_ar")
kommuner = db.query("coverage_kommun_year", year=year, lan=scope.lan_code)
centres = db.query("coverage_centres_year", year=year, lan=scope.lan_code)
source = db.query("children_source", year=year).iloc[0]

counts = kommuner["status"].value_counts()
cols = st.columns(3)
cols[0].metric("Kommuner med familjecentral (FC)", fmt.number(counts.get("FC", 0)))
cols[1].metric("Kommuner med endast FCLV", fmt.number(counts.get("FCLV", 0)))
cols[2].metric("Kommuner utan verksamhet", fmt.number(counts.get("ingen", 0)))

fig = coverage.coverage_map(kommuner, maps.boundaries("kommun", scope.lan_code), maps.boundaries("lan", scope.lan_code),
                            centres, chosen_kommun=scope.kommun_code, chosen_centre=scope.centre_id,
                            label_at=maps.label_point("kommun", scope.kommun_code))
ui.chart(fig, kommuner, f"Täckning per kommun {year}", "tackning_map", **texts.COVERAGE_MAP,
         source=texts.registry(year), aside=True, portrait=True)
if source["year"] is not None and not (isinstance(source["year"], float)):
    st.caption(f"Barn 0–5 år: {safe.md(source['source'])}, {int(source['year'])} (senaste tillgängliga år ≤ {year}).")

if not scope.lan_code:
    st.subheader(f"Andel kommuner med FC eller FCLV per län {year}")
    counties = db.query("coverage_lan_year", year=year)
    ui.chart(coverage.coverage_by_county(counties, scope.lan_code), counties, f"Täckning per län {year}", "tackning_lan",
             **texts.COVERAGE_COUNTY, source=texts.registry(year))

st.subheader(f"Kommuner utan familjecentral eller FCLV {year}")
uncovered = db.query("tackning_uncovered", year=year, lan=scope.lan_code)
if uncovered.empty:
    st.success("Alla kommuner i urvalet har minst en familjecentral eller familjecentralsliknande verksamhet.")
else:
    st.caption("Arbetsgruppens åtgärdslista, kommuner med flest barn 0–5 år först.")
    ui.table(uncovered.rename(columns={"lan_name": "Län", "kommun_code": "Kommunkod", "kommun_name": "Kommun",
                                       "children": "Barn 0–5 år", "children_year": "År (barn 0–5)"}),
             f"Kommuner utan verksamhet {year}", "tackning_uncovered")
