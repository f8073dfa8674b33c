"""Inrapportering: which active centres have sent the year's three reports, and what the annual wheel says is due."""
import datetime as dt

import pandas as pd
import streamlit as st

from fc import annual_wheel, db, filters, fmt, safe, ui

scope = filters.current()
place = scope.unit_name if scope.level in ("lan", "kommun") else "Sverige"
st.title(f"Inrapportering {scope.year} – {safe.md(place)}")

today = dt.date.today()
st.subheader(f"Det här gäller nu ({today.isoformat()})")
for name, about, status in annual_wheel.due(today):
    st.markdown(f"- **{name}** för {about}: {status}")

reports = db.query("reporting_year", year=scope.year, lan=scope.lan_code, kommun=scope.kommun_code, centre="")
if reports.empty:
    st.info(f"Inga aktiva familjecentraler {scope.year} i urvalet.")
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
}), f"Inrapportering {scope.year}", "reporting_centres")

st.subheader("Per län")
by_lan = db.query("reporting_by_lan", year=scope.year, lan=scope.lan_code)
ui.table(by_lan.rename(columns={"lan_name": "Län", "n_active": "Aktiva", "n_survey": "Föräldraenkät",
                                "n_self_reflection": "Självreflektion", "n_activity": "Verksamhetsstatistik",
                                "n_complete": "Komplett"}).drop(columns=["lan_code"]),
         f"Inrapportering per län {scope.year}", "reporting_lan")

st.subheader("Årshjul")
ui.table(pd.DataFrame({"Månad": [m.capitalize() for m in annual_wheel.MONTHS],
                       "Aktiviteter": ["; ".join(a) or "–" for a in annual_wheel.WHEEL.values()],
                       "Nu": ["◀ nu" if i == today.month else "" for i in range(1, 13)]}),
         "Årshjul", "reporting_wheel")
st.caption("Årshjul enligt länsövergripande riktlinje för familjecentraler i Jämtlands län (Bilaga 6).")
