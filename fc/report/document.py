"""Word document parts shared by the reports: title page with demo notice, charts with tables, empty sections."""
from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Cm, Pt, RGBColor

from fc import fmt

DEMO_NOTICE = ("FIKTIVA DEMODATA: alla verksamheter, svar och siffror i den här rapporten är påhittade och "
               "beskriver inga verkliga familjecentraler.")
PLACEHOLDER = "[Att fylla i]"
# Characters that XML 1.0 cannot hold: python-docx refuses them, so a control character in an uploaded
# comment or name must not stop the whole report.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(value) -> str:
    """A value as the literal text of a Word paragraph or cell (Word interprets no markup in it)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return _NOT_XML.sub("", str(value))


class Report:
    """A Word document being written, and the tables behind it (for the Excel workbook)."""

    def __init__(self, title: str, subtitle: str, is_demo: bool):
        self.doc = Document()
        self.is_demo = is_demo
        self.sheets: dict[str, pd.DataFrame] = {}
        self.doc.styles["Normal"].font.name = "Calibri"
        self.doc.styles["Normal"].font.size = Pt(10.5)
        self.doc.core_properties.title = title
        self.doc.add_heading(title, level=0)
        self.doc.add_paragraph(subtitle)
        if is_demo:
            notice = self.doc.add_paragraph().add_run(DEMO_NOTICE)
            notice.bold = True
            notice.font.color.rgb = RGBColor(0xB0, 0x3A, 0x00)
        self.doc.add_paragraph(f"Skapad {dt.date.today().isoformat()} med FC-kompassen. {fmt.HIDDEN_NOTE}"
                               ).runs[0].italic = True

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(plain(text), level=level)

    def text(self, text: str) -> None:
        self.doc.add_paragraph(plain(text))

    def quote(self, text: str) -> None:
        self.doc.add_paragraph(plain(text), style="Intense Quote")

    def to_fill_in(self, heading: str | None, guidance: str, level: int = 2, lines: list[str] | None = None) -> None:
        """A place for the team to write: the template's guiding sentence and a marked placeholder (or lines)."""
        if heading:
            self.doc.add_heading(plain(heading), level=level)
        self.doc.add_paragraph().add_run(plain(guidance)).italic = True
        for line in lines or [PLACEHOLDER]:
            run = self.doc.add_paragraph(style="List Bullet" if lines else None).add_run(plain(line))
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def table(self, frame: pd.DataFrame, sheet: str, data: pd.DataFrame | None = None) -> None:
        """A table of formatted (Swedish) text; its figures as numbers (`data`, else the table) become a sheet."""
        self.sheets[sheet] = frame if data is None else data
        table = self.doc.add_table(rows=1, cols=len(frame.columns))
        table.style = "Light Grid Accent 1"
        for cell, header in zip(table.rows[0].cells, frame.columns):
            cell.text = plain(header)
        for row in frame.itertuples(index=False):
            for cell, value in zip(table.add_row().cells, row):
                cell.text = plain(value)
        self.doc.add_paragraph("")

    def chart(self, png: bytes, caption: str, width_cm: float = 15.5) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.doc.add_paragraph(plain(caption), style="Caption")

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
