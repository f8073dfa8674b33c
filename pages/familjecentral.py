"""Familjecentral: one centre's profile, its goal fulfilment, self-reflection, activity and reporting."""
import pandas as pd
import streamlit as st

from fc import db, filters, fmt, heading, maps, safe, ui
from fc.charts import coverage
from fc.charts import goals as goal_charts
from fc.charts import reflection as reflection_charts
from fc.charts import texts
from fc.report import ui as report_ui

LEGS = {"mhv": "Mödrahälsovård (MHV)", "bhv": "Barnhälsovård (BHV)", "open_preschool": "Öppen förskola",
        "social_services": "Förebyggande socialtjänst"}
TYPES = {"FC": "Familjecentral (alla fyra verksamheter)",
         "FCLV": "Familjecentralsliknande verksamhet (FCLV)",
         "other": "Uppfyller varken FC- eller FCLV-definitionen"}

scope = filters.current()
centre_id = scope.centre_id
if not centre_id:
    choices = db.query("centre_choices", lan=scope.lan_code, kommun=scope.kommun_code)
    labels = dict(zip(choices["centre_id"], choices["name"] + " – " + choices["kommun_name"]))
    st.title("Familjecentral")
    centre_id = st.selectbox("Välj familjecentral (eller välj i sidopanelen)", list(labels), index=None,
                             format_func=labels.get, key="centre_pick", placeholder="Sök familjecentral …")
    if not centre_id:
        st.stop()

profile = db.query("centre_profile", centre=centre_id).iloc[0]
st.title(heading.text("Familjecentral", f"{profile['name']}, {profile['kommun_name']}", scope.year))
st.caption(f"{safe.md(profile['kommun_name'])}, {safe.md(profile['lan_name'])} · {TYPES[profile['centre_type']]}")

left, right = st.columns([3, 2])
with left:
    facts = pd.DataFrame({
        "Uppgift": [*LEGS.values(), "Öppnade", "Stängde", "Samordnare", "Styrgrupp", "Samverkansavtal"],
        "Värde": [fmt.yes_no(profile[k]) for k in LEGS] + [profile["opened"] or "före uppföljningen",
                  profile["closed"] or "–", fmt.yes_no(profile["coordinator"]), fmt.yes_no(profile["steering_group"]),
                  fmt.yes_no(profile["agreement"])],
    })
    ui.table(facts, f"Fakta {profile['name']}", "centre_facts")
with right:
    if pd.notna(profile["lat"]):
        fig = coverage.centre_location(maps.boundaries("kommun", profile["lan_code"]), profile["kommun_code"],
                                       profile["lat"], profile["lon"], profile["name"])
        ui.chart(fig, pd.DataFrame([profile[["name", "kommun_name", "lat", "lon"]]]), f"Läge {profile['name']}",
                 "centre_map", **texts.CENTRE_LOCATION, source=texts.registry(scope.year))
    else:
        st.info("Ingen position är registrerad för familjecentralen.")

st.subheader("Föräldrarnas bild av målen över åren")
trend = db.query("goals_trend", level="centre", unit=centre_id)
if trend.empty:
    st.info("Inga enkätsvar har rapporterats.")
else:
    ui.chart(goal_charts.trend(trend), trend, f"Måluppfyllelse {profile['name']}", "centre_goals",
             **texts.GOALS_TREND, source=texts.survey())
    hidden = trend[trend["suppressed"]]
    if len(hidden):
        st.caption("Visas inte: " + ", ".join(f"{year} mål {goal} ({fmt.hidden(why)})" for year, goal, why in
                                             zip(hidden["year"], hidden["goal"], hidden["suppression"])) + ".")

st.subheader("Självreflektion över åren")
heat = db.query("reflection_heatmap", level="centre", unit=centre_id, year=scope.year)
if heat.empty:
    st.info("Ingen självreflektion har rapporterats.")
else:
    ui.chart(reflection_charts.heatmap(heat), heat.drop(columns=["position", "area_position", "column_detail"]),
             f"Självreflektion {profile['name']}", "centre_reflection", **texts.REFLECTION_HEATMAP,
             source=texts.reflection())

st.subheader("Verksamhetsstatistik")
activity = db.query("centre_activity", centre=centre_id)
if activity.empty:
    st.info("Ingen verksamhetsstatistik har rapporterats.")
else:
    ui.table(activity, f"Verksamhetsstatistik {profile['name']}", "centre_activity")

st.subheader("Inrapportering")
reporting = db.query("centre_reporting", centre=centre_id)
ui.table(pd.DataFrame({
    "År": reporting["year"],
    "Föräldraenkät": [f"{n} svar" if n else "saknas" for n in reporting["n_responses"]],
    "Självreflektion": reporting["has_self_reflection"].map({True: "inlämnad", False: "saknas"}),
    "Verksamhetsstatistik": reporting["has_activity"].map({True: "inlämnad", False: "saknas"}),
}), f"Inrapportering {profile['name']}", "centre_reporting")

st.subheader(f"Verksamhetsberättelse {scope.year}")
st.caption("Word-dokument enligt mallen för verksamhetsberättelse, med föräldraenkät, självreflektion och "
           "verksamhetsstatistik ifyllda och tomma avsnitt för arbetslagets analys.")
report_ui.download("centre", centre_id, scope.year, ui.file_stem(f"verksamhetsberattelse {profile['name']} {scope.year}"),
                   "centre_report")
