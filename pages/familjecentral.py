"""Familjecentral: one centre's profile, its goal fulfilment, self-reflection, activity and reporting."""
import datetime as dt

import pandas as pd
import streamlit as st

from fc import annual_wheel, auth, db, filters, fmt, heading, importer, maps, priorities, safe, ui
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

st.subheader(f"Prioriterade mål {scope.year} och hur det gick")
st.caption(f"De två områden som valdes i verksamhetsberättelsen för {scope.year - 1} (självreflektionens steg IV) med "
           f"uppföljningen (steg V), bredvid resultatet i området {scope.year} och {scope.year - 1}: självreflektionens "
           "medelpoäng (1 = behöver utvecklas … 6 = fungerar) eller andelen positiva föräldrar för ett mål.")
chosen = db.query("centre_priorities", centre=centre_id, year=scope.year)
if chosen.empty:
    st.info(f"Inga prioriterade mål är registrerade för {scope.year}.")
else:
    ui.table(priorities.shown(chosen, scope.year), f"Prioriterade mål {profile['name']} {scope.year}",
             "centre_priorities")
upcoming = db.query("centre_priorities", centre=centre_id, year=scope.year + 1)
if not upcoming.empty:
    st.markdown(f"**Prioriterade mål {scope.year + 1}** (valda i verksamhetsberättelsen för {scope.year})")
    ui.table(priorities.shown(upcoming, scope.year + 1, with_results=False),
             f"Prioriterade mål {profile['name']} {scope.year + 1}", "centre_priorities_next")


def priority_form() -> None:
    """Record a year's two priorities for an authenticated coordinator; saved as a priorities file and rebuilt."""
    access = auth.access(is_demo=db.is_demo())
    if access is auth.Access.NONE:
        return
    if access is auth.Access.PREVIEW:
        st.info("Demoläge: prioriterade mål kan inte sparas här.")
        return
    last = dt.date.today().year + 1
    year = int(st.number_input("År som målen gäller", min_value=2000, max_value=last,
                               value=min(scope.year + 1, last), step=1, key="priority_year"))
    areas = db.query("priority_areas")
    labels = dict(zip(areas["area"], areas["label"]))
    present = db.query("centre_priorities", centre=centre_id, year=year).set_index("rank")
    with st.form(f"priority_form_{year}"):
        entries = []
        for rank in (1, 2):
            row = present.loc[rank] if rank in present.index else None
            st.markdown(f"**Prioritering {rank}**")
            area = st.selectbox("Område", list(labels), format_func=labels.get, key=f"priority_area_{rank}_{year}",
                                index=list(labels).index(row["area"]) if row is not None else None,
                                placeholder="Välj område …")
            goal = st.text_input("Mätbart mål", value="" if row is None else row["measurable_goal"],
                                 key=f"priority_goal_{rank}_{year}")
            outcome = st.text_input("Hur det gick (uppföljning, kan fyllas i senare)",
                                    value="" if row is None or pd.isna(row["outcome"]) else row["outcome"],
                                    key=f"priority_outcome_{rank}_{year}")
            entries.append(priorities.Entry(rank, area or "", goal, outcome))
        submitted = st.form_submit_button("Spara och bygg om databasen", type="primary", key="priority_save")
    if not submitted:
        return
    if found := priorities.problems(entries):
        for problem in found:
            st.error(problem)
        return
    bar = st.progress(0.0, text="Bygger om databasen …")
    try:
        priorities.save(centre_id, year, entries, importer.source_dir(db.db_path()), db.db_path(),
                        progress=lambda share, text: bar.progress(share, text=text))
    except (importer.BuildBusy, importer.BuildFailed, importer.ImportFailed) as failed:
        st.error(f"Inget sparades: {safe.md(failed)}")
        return
    rejected = db.query("file_rejects", file=priorities.form_file(centre_id))
    if len(rejected):
        st.session_state["priority_done"] = ("error", "Sparat, men raderna avvisades vid inläsningen: " + "; ".join(
            f"rad {line}: {safe.md(reason)}" for line, reason in zip(rejected["line_number"], rejected["reason"])))
    else:
        st.session_state["priority_done"] = ("success", f"Prioriterade mål {year} är sparade och databasen är ombyggd.")
    st.rerun()


if done := st.session_state.pop("priority_done", None):
    (st.error if done[0] == "error" else st.success)(done[1])
with st.expander("Registrera prioriterade mål (samordnare)", expanded=done is not None):
    priority_form()

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
    "Berättelse i tid": reporting["on_time"].map(annual_wheel.on_time_label),
}), f"Inrapportering {profile['name']}", "centre_reporting")

st.subheader(f"Verksamhetsberättelse {scope.year}")
st.caption("Word-dokument enligt mallen för verksamhetsberättelse, med föräldraenkät, självreflektion och "
           "verksamhetsstatistik ifyllda och tomma avsnitt för arbetslagets analys.")
report_ui.download("centre", centre_id, scope.year, ui.file_stem(f"verksamhetsberattelse {profile['name']} {scope.year}"),
                   "centre_report")
