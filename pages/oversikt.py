"""Översikt: coverage, goal fulfilment against last year, reporting and a small map for the chosen scope."""
import streamlit as st

from fc import db, filters, fmt, heading, maps, safe, stats, targets, ui
from fc.charts import coverage, texts

scope = filters.current()
st.title(heading.title("Översikt", scope))

# Coverage is counted per municipality, so these figures are for a chosen centre's municipality.
st.subheader(heading.municipal_title("Verksamheter och inrapportering", scope))
if note := heading.wider_note(scope, scope.municipal[0], "Täckning räknas per kommun."):
    st.caption(note)
counts = db.query("oversikt_coverage", year=scope.year, lan=scope.lan_code, kommun=scope.kommun_code).iloc[0]
reports = db.query("reporting_year", year=scope.year, lan=scope.lan_code, kommun=scope.kommun_code, centre="")
complete = (reports["status"] == "Komplett").sum()
cols = st.columns(4)
cols[0].metric("Familjecentraler (FC)", fmt.number(counts["n_fc"]))
cols[1].metric("Familjecentralsliknande (FCLV)", fmt.number(counts["n_fclv"]))
setting = db.query("county_setting", lan=scope.lan_code).iloc[0] if scope.lan_code else None
cols[2].metric(targets.covered_label(setting), f"{counts['n_covered']} av {counts['n_kommuner']}",
               help=targets.county_line(setting) if setting is not None else targets.NATIONAL)
cols[3].metric("Komplett inrapportering", fmt.percent(complete / len(reports)) if len(reports) else fmt.MISSING,
               help="Andel aktiva verksamheter som lämnat föräldraenkät, självreflektion och verksamhetsstatistik.")

st.caption(targets.county_line(setting) if setting is not None
           else targets.NATIONAL + " " + targets.national_counts(counts))

st.subheader(f"{heading.title('Föräldrarnas bild av målen', scope)} jämfört med {scope.year - 1}")
goals = db.query("goal_unit_years", level=scope.level, unit=scope.unit_code, year=scope.year)
if not (goals["year"] == scope.year).any():
    st.info(heading.no_survey(scope))
else:
    cols = st.columns(5)
    for col, (goal, rows) in zip(cols, goals.groupby("goal")):
        now = rows[rows["year"] == scope.year]
        before = rows[rows["year"] == scope.year - 1]
        now_row = now.iloc[0] if len(now) else None
        value = fmt.share(now_row["share_positive"], now_row["suppression"]) if now_row is not None else fmt.MISSING
        delta, colour = stats.metric_delta(now_row, before.iloc[0] if len(before) else None)
        col.metric(f"Mål {goal}: {safe.md(rows['short_name'].iloc[0])}", value, delta, delta_color=colour,
                   delta_arrow="auto" if colour == "normal" else "off", help=safe.md(rows["goal_text"].iloc[0]))
    st.caption("Andel föräldrar som i genomsnitt svarat 4 eller 5 på målets frågor. " + fmt.HIDDEN_NOTE + " "
               + stats.CHANGE_NOTE)
    figures_box = st.expander("Visa siffror: måluppfyllelse", key="oversikt_goals_figures", on_change="rerun")
    if figures_box.open:  # built only when opened
        with figures_box:
            ui.table(goals[["year", "goal", "short_name", "n", "n_positive", "share_positive", "ci_low", "ci_high",
                            "suppression"]], "Måluppfyllelse", "oversikt_goals")

map_level = "lan" if scope.lan_code else "riket"  # the map shows the whole county around a chosen municipality
st.subheader(heading.title("Täckning", scope, map_level))
if note := heading.wider_note(scope, map_level):
    st.caption(note)
kommuner = db.query("coverage_kommun_year", year=scope.year, lan=scope.lan_code)
centres = db.query("coverage_centres_year", year=scope.year, lan=scope.lan_code)
fig = coverage.coverage_map(kommuner, maps.boundaries("kommun", scope.lan_code), maps.boundaries("lan", scope.lan_code),
                            centres, chosen_kommun=scope.kommun_code, chosen_centre=scope.centre_id,
                            label_at=maps.label_point("kommun", scope.kommun_code))
ui.chart(fig, kommuner.drop(columns=["children_per_centre"]), f"Täckning per kommun {scope.year}", "oversikt_map",
         **texts.COVERAGE_MAP, source=texts.registry(scope.year),
         aside=not scope.lan_code, portrait=not scope.lan_code)
