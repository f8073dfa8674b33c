"""Inrapportering: which active centres have sent the year's three reports, and what the annual wheel says is due."""
import datetime as dt

import pandas as pd
import streamlit as st

from fc import annual_wheel, db, filters, fmt, heading, safe, ui

scope = filters.current()
st.title(heading.title("Inrapportering", scope))

today = dt.date.today()
# A county's own deadline (county_settings); the nation shows the default, each centre is judged by its county's.
setting = db.query("county_setting", lan=scope.lan_code).iloc[0] if scope.lan_code else None
deadline = setting["report_deadline"] if setting is not None else annual_wheel.DEFAULT_DEADLINE
st.subheader(f"Det här gäller nu ({today.isoformat()})")
for name, about, status in annual_wheel.due(today, deadline):
    st.markdown(f"- **{name}** för {about}: {status}")

reports = db.query("reporting_year", year=scope.year, lan=scope.lan_code, kommun=scope.kommun_code,
                   centre=scope.centre_id)
if reports.empty:
    st.info(f"Ingen aktiv familjecentral år {scope.year}: {safe.md(scope.unit_name)}.")
    st.stop()
counts = reports["status"].value_counts()
cols = st.columns(4)
cols[0].metric("Aktiva verksamheter", fmt.number(len(reports)))
for col, status in zip(cols[1:], ("Komplett", "Delvis", "Saknas")):
    col.metric(status, fmt.number(counts.get(status, 0)), help={
        "Komplett": "Föräldraenkät, självreflektion och verksamhetsstatistik inlämnade.",
        "Delvis": "Minst en men inte alla tre rapporter inlämnade.",
        "Saknas": "Ingen rapport inlämnad."}[status])
st.caption("En föräldraenkät räknas som inlämnad vid minst ett svar; resultat visas bara för grupper med "
           "minst fem svarande.")

st.subheader("Per familjecentral")
ui.table(pd.DataFrame({
    "Status": reports["status"],
    "Familjecentral": reports["name"],
    "Kommun": reports["kommun_name"],
    "Län": reports["lan_name"],
    "Föräldraenkät (svar)": reports["n_responses"],
    "Självreflektion": reports["has_self_reflection"].map({True: "inlämnad", False: "saknas"}),
    "Verksamhetsstatistik": reports["has_activity"].map({True: "inlämnad", False: "saknas"}),
    "Verksamhetsberättelse inkom": pd.to_datetime(reports["report_received"]).dt.strftime("%Y-%m-%d").fillna("–"),
    "Sista dag": pd.to_datetime(reports["report_deadline"]).dt.strftime("%Y-%m-%d"),
    "Berättelse i tid": reports["on_time"].map(annual_wheel.on_time_label),
}), f"Inrapportering {scope.year}", "reporting_centres")
st.caption("I tid = verksamhetsberättelsen kom in senast länets sista dag (året efter uppföljningsåret); Sen = efter; "
           "Okänt = inget datum i kolumnen report_received i verksamhetsstatistiken.")

st.subheader(heading.title("Per län", scope, "lan" if scope.lan_code else "riket"))
by_lan = db.query("reporting_by_lan", year=scope.year, lan=scope.lan_code)
ui.table(by_lan.rename(columns={"lan_name": "Län", "n_active": "Aktiva", "n_survey": "Föräldraenkät",
                                "n_self_reflection": "Självreflektion", "n_activity": "Verksamhetsstatistik",
                                "n_complete": "Komplett", "n_on_time": "Berättelse i tid", "n_late": "Berättelse sen",
                                "report_deadline": "Sista dag"}).drop(columns=["lan_code"]),
         f"Inrapportering per län {scope.year}", "reporting_lan")

st.subheader("Årshjul")
ui.table(pd.DataFrame({"Månad": [m.capitalize() for m in annual_wheel.MONTHS],
                       "Aktiviteter": ["; ".join(a) or "–" for a in annual_wheel.wheel(deadline).values()],
                       "Nu": ["◀ nu" if i == today.month else "" for i in range(1, 13)]}),
         "Årshjul", "reporting_wheel")
st.caption("Årshjul enligt länsövergripande riktlinje för familjecentraler i Jämtlands län (Bilaga 6), med "
           + (f"länets sista dag för verksamhetsberättelsen ({annual_wheel.deadline_text(deadline)})."
              if setting is not None else "standarddagen 28/2 för verksamhetsberättelsen; välj ett län för länets egen."))
