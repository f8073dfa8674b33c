"""Måluppfyllelse: the parents' view of the five goals for the chosen unit, its county and the nation."""
import streamlit as st

from fc import db, filters, fmt, heading, instrument, safe, stats, ui
from fc.charts import goals as charts
from fc.charts import texts

scope = filters.current()
st.title(heading.title("Måluppfyllelse", scope))
st.caption("Andel föräldrar som i genomsnitt svarat 4 eller 5 (av 5) på målets frågor, med 95 % "
           "konfidensintervall. " + fmt.HIDDEN_NOTE)

compare = db.query("goals_compare", level=scope.level, unit=scope.unit_code, year=scope.year)
if not (compare["position"] == 1).any():  # the county and the nation may still have answers
    st.info(heading.no_survey(scope))
    if compare.empty:
        st.stop()


def compare_part() -> None:
    """The unit beside its county and the nation."""
    st.subheader("Jämfört med länet och riket")
    ui.chart(charts.compare(compare), compare,
             f"Måluppfyllelse {scope.unit_name} {scope.year}", "goals_compare", **texts.GOALS_COMPARE,
             source=texts.survey(scope.year))


def trend_part() -> None:
    """Each goal over the years, with intervals."""
    st.subheader("Utveckling över åren")
    trend = db.query("goals_trend", level=scope.level, unit=scope.unit_code)
    ui.chart(charts.trend(trend), trend, f"Måluppfyllelse över tid {scope.unit_name}", "goals_trend",
             **texts.GOALS_TREND, source=texts.survey())


def segments_part() -> None:
    """By gender and by language."""
    st.subheader("Efter kön och språk")
    segments = db.query("goals_segments", level=scope.level, unit=scope.unit_code, year=scope.year)
    hidden = segments[segments["suppressed"]]
    left, right = st.columns(2)
    for column, breakdown in ((left, "Kön"), (right, "Språk")):
        with column:
            part = segments[segments["breakdown"] == breakdown]
            st.markdown(f"**{breakdown}**")
            name = f"Måluppfyllelse efter {breakdown.lower()} {scope.unit_name} {scope.year}"
            ui.chart(charts.segments(part), part, name, f"goals_segments_{breakdown}", **texts.GOALS_SEGMENTS,
                     source=texts.survey(scope.year))
    if len(hidden):
        st.caption("Visas inte: " + ", ".join(sorted({f"{charts.SEGMENT_LABELS[s]} mål {g} ({fmt.hidden(why)})"
                                                      for s, g, why in zip(hidden["segment"], hidden["goal"],
                                                                           hidden["suppression"])})))


def items_part() -> None:
    """The answers to each question."""
    st.subheader("Svar per fråga")
    st.caption(instrument.note(db.query("report_instrument")))
    items = db.query("goals_items", level=scope.level, unit=scope.unit_code, year=scope.year)
    suppressed_items = items[items["suppressed"]]["item"].unique()
    if len(suppressed_items) == items["item"].nunique():
        why = fmt.hidden(items["suppression"].iloc[0]) if len(items) else "inga svar"
        st.info(f"Svaren per fråga visas inte ({why}) för {safe.md(scope.unit_name)} {scope.year}.")
    else:
        ui.chart(charts.item_distribution(items), items, f"Svar per fråga {scope.unit_name} {scope.year}",
                 "goals_items", **texts.GOALS_ITEMS, source=texts.survey(scope.year))


def funnel_part() -> None:
    """The county's centres in a funnel plot: which differ beyond chance."""
    lan_code, reference_name = db.query("scope_lan", level=scope.level, unit=scope.unit_code).iloc[0]
    st.subheader(heading.text("Vilka familjecentraler skiljer sig på riktigt?", reference_name, scope.year))
    goal_names = dict(zip(compare["goal"], compare["short_name"]))
    goal = st.selectbox("Mål", list(goal_names), format_func=lambda g: f"Mål {g}: {goal_names[g]}",
                        key="funnel_goal")
    funnel = db.query("goals_funnel", lan=lan_code, year=scope.year, goal=goal)
    reference = funnel["reference_share"].dropna()
    if funnel.empty or reference.empty:
        st.info("Inga familjecentraler med enkätsvar att jämföra.")
    else:
        shown, share = funnel[~funnel["suppressed"]], float(reference.iloc[0])
        positions = [stats.funnel_position(s, n, share) for s, n in zip(shown["share_positive"], shown["n"])]
        ui.chart(charts.funnel(funnel, share, reference_name, chosen=scope.centre_id,
                               chosen_kommun=scope.kommun_code, chosen_name=scope.unit_name),
                 shown.assign(Läge=positions).drop(columns=["reference_share"]),
                 f"Trattdiagram mål {goal} {scope.year}", "goals_funnel", **texts.GOALS_FUNNEL,
                 source=texts.survey(scope.year))
        hidden = fmt.count(int(funnel["suppressed"].sum()), "familjecentral", "familjecentraler")
        st.caption(f"Punkter innanför de streckade linjerna skiljer sig inte mer från {safe.md(reference_name)} "
                   f"än slumpen väntas ge vid så många svar. {hidden} visas inte: för få svar eller dolda för att "
                   "skydda en liten grupp.")


# One part at a time: each is a tab in the link, and only the open one is built and drawn.
ui.parts({"Jämförelse": compare_part, "Utveckling": trend_part, "Kön och språk": segments_part,
          "Per fråga": items_part, "Familjecentraler": funnel_part})
