"""Report downloads in the dashboard: the same builders as the command line, on the dashboard's database."""
from __future__ import annotations

import streamlit as st

from fc import db, export
from fc.report import centre, county

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DESCRIPTIONS = {
    "centre": "Mallen i Jämtlands riktlinje (Bilaga 3), avsnitt för avsnitt och i dess ordning: familjecentralen, "
              "det gemensamma arbetet utifrån mål 1–5, förra årets prioriterade mål, resultat från föräldraenkäten "
              "(per mål och per fråga) och självreflektionen (per område och påstående, med antal svarande och "
              "kommentarer), analys, nästa års prioriterade mål och egna reflektioner. Siffrorna är ifyllda; det "
              "arbetslaget skriver är markerat [Att fylla i].",
    "county": "Den årliga sammanställningen och analysen av statistik och annan utdata (Region Örebro läns "
              "överenskommelse): familjecentraler per typ och kommuner med verksamhet mot länets eget mål, "
              "täckning, verksamhetsstatistik per kommun och län, föräldraenkäten per mål, självreflektionen, "
              "familjecentralernas prioriterade mål och inrapporteringen.",
}


@st.cache_data(max_entries=16, show_spinner="Skapar rapporten …")
def _files(kind: str, unit: str, year: int, real_path: str) -> tuple[bytes, bytes]:
    builder = centre.build if kind == "centre" else county.build
    report = builder(db.query, unit, year)
    return report.bytes(), export.excel_bytes(report.sheets, demo=report.is_demo)


def download(kind: str, unit: str, year: int, file_stem: str, key: str) -> None:
    """Buttons for the Word report and its Excel workbook; the report is built on the first click."""
    real_path = db.generation()
    left, right = st.columns(2)
    left.download_button("Ladda ner Word (.docx)", lambda: _files(kind, unit, year, real_path)[0], f"{file_stem}.docx",
                         DOCX, key=f"{key}_docx", on_click="ignore", type="primary")
    right.download_button("Ladda ner Excel (.xlsx)", lambda: _files(kind, unit, year, real_path)[1],
                          f"{file_stem}.xlsx", XLSX, key=f"{key}_xlsx", on_click="ignore")
