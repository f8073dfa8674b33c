"""Rapporter: the centre's annual report and the county's or nation's yearly compilation as Word and Excel."""
import streamlit as st

from fc import filters, fmt, heading, ui
from fc.report import ui as report_ui

scope = filters.current()
st.title(heading.title("Rapporter", scope))
st.caption("Rapporterna fylls med siffrorna i databasen för valt år. " + fmt.HIDDEN_NOTE
           + " Samma rapporter kan skapas från kommandoraden med python -m fc.report.")

kinds = {"centre": "Verksamhetsberättelse och plan för en familjecentral", "county": "Sammanställning för länet",
         "nation": "Sammanställning för riket"}
available = [k for k in kinds if (k != "centre" or scope.centre_id) and (k != "county" or scope.lan_code)]
kind = st.radio("Rapport", available, format_func=kinds.get, key="report_kind")
if len(available) < len(kinds):
    st.caption("Välj en familjecentral eller ett län i sidopanelen för fler rapporter.")

unit, name = {"centre": (scope.centre_id, scope.unit_name), "county": (scope.lan_code, scope.lan_name),
              "nation": ("SE", filters.COUNTRY)}[kind]
st.subheader(heading.text(kinds[kind], name, scope.year))
st.caption(report_ui.DESCRIPTIONS["centre" if kind == "centre" else "county"])
report_ui.download("centre" if kind == "centre" else "county", unit, scope.year,
                   ui.file_stem(f"{'verksamhetsberattelse' if kind == 'centre' else 'sammanstallning'} {name} {scope.year}"),
                   f"report_{kind}")
