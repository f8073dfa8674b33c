"""Excel templates ("Ladda ner mall") for the source file kinds, generated from the catalogues.

Each workbook has the data sheet with the contract's headers (row 1) and drop-down data validation, an
instructions sheet in Swedish and a hidden sheet of lists. The build reads the data sheet (the one whose
header holds the required columns), so a filled template loads as it is. Values from the catalogues and the
registry are written as text, never as formulas.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from etl.sources import KINDS

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "data" / "catalogues"
KOMMUNER = ROOT / "data" / "reference" / "kommuner.csv"
LAST_ROW = 5000          # validation and text format reach this far down the data sheet
DATA_SHEET = "Data"
LISTS_SHEET = "Listor"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Columns the build ignores (named in its summary): the statement beside its id in a pre-filled form.
STATEMENT_AREA, STATEMENT_TEXT = "område", "påstående"
CENTRE_NAME = "familjecentral"

TITLES = {
    "centres": "Familjecentralsregister",
    "parent_survey": "Föräldraenkät",
    "self_reflection": "Självreflektion",
    "activity": "Verksamhetsstatistik",
}

YES_NO = "ja/nej"
DESCRIPTIONS = {
    "centre_id": "Familjecentralens id (samma som i registret).",
    "name": "Familjecentralens namn.",
    "kommun_code": "Kommunkod, fyra siffror (0180 = Stockholm). Välj i listan.",
    "mhv": f"Mödrahälsovård/barnmorskemottagning finns: {YES_NO}.",
    "bhv": f"Barnhälsovård/BVC finns: {YES_NO}.",
    "open_preschool": f"Öppen förskola finns: {YES_NO}.",
    "social_services": f"Förebyggande socialtjänst finns: {YES_NO}.",
    "opened": "Öppnade: år (2015) eller datum (2015-08-20). Tomt = fanns före all data.",
    "closed": "Stängde: år eller datum. Tomt = är öppen.",
    "lat": "Latitud (WGS84, till exempel 59,3251). Frivillig.",
    "lon": "Longitud (WGS84, till exempel 18,0711). Frivillig.",
    "coordinator": f"Har samordnare: {YES_NO}. Frivillig; tomt = nej.",
    "steering_group": f"Har styrgrupp: {YES_NO}. Frivillig; tomt = nej.",
    "agreement": f"Har undertecknat samverkansavtal: {YES_NO}. Frivillig; tomt = nej.",
    "response_id": "Svarets id, unikt inom familjecentral och år (till exempel löpnummer).",
    "year": "Året uppgifterna gäller (till exempel 2025).",
    "gender": "Kön: kvinna, man eller annat. Tomt = okänt.",
    "language": "Språk som mest talas hemma: svenska eller annat. Tomt = okänt.",
    "statement_id": "Påståendets id (s01–s30). Välj i listan.",
    "score": "Gruppens gemensamma bedömning 1–6 (1 = behöver utvecklas, 6 = fungerar); decimaler går bra.",
    "n_staff": "Antal personal som deltog. Frivillig.",
    "comment": "Kommentar. Frivillig.",
    "visits": "Antal besök under året. Frivillig.",
    "pregnant": "Antal inskrivna gravida. Frivillig.",
    "enrolled_children": "Antal inskrivna barn på BVC. Frivillig.",
    "families_joint_support": "Antal familjer med behov av särskilt stöd där två eller fler professioner samverkat. "
                              "Frivillig.",
    "parent_groups": "Antal föräldragrupper. Frivillig.",
    "supervision": f"Personalen har haft handledning: {YES_NO}. Frivillig.",
    "report_received": "Datum då verksamhetsberättelsen kom in (ÅÅÅÅ-MM-DD); jämförs med länets sista dag. Frivillig.",
    STATEMENT_AREA: "Påståendets område (bara för läsning; läses inte in).",
    STATEMENT_TEXT: "Påståendet (bara för läsning; läses inte in).",
    CENTRE_NAME: "Familjecentralens namn (bara för läsning; läses inte in). Ta bort raden för en familjecentral "
                 "som inte lämnar några siffror, annars räknas den som inrapporterad.",
}
BOOLEANS = ("mhv", "bhv", "open_preschool", "social_services", "coordinator", "steering_group", "agreement",
            "supervision")
COUNTS = ("visits", "pregnant", "enrolled_children", "families_joint_support", "parent_groups", "n_staff")
TEXT_COLUMNS = ("centre_id", "kommun_code", "response_id", "statement_id", "name", "comment")


def read_catalogue(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def survey_items() -> list[dict[str, str]]:
    return read_catalogue(CATALOGUES / "survey_items.csv")


def statements() -> list[dict[str, str]]:
    return read_catalogue(CATALOGUES / "statements.csv")


def kommuner() -> list[dict[str, str]]:
    return read_catalogue(KOMMUNER)


def columns(kind: str) -> list[str]:
    """The data sheet's headers: the contract's required and optional columns (and the survey's items)."""
    spec = KINDS[kind]
    items = [row["item"] for row in survey_items()] if spec.item_columns else []
    return [*spec.required, *spec.optional, *items]


def _put(cell, value) -> None:
    """Write a value literally: a text that starts with `=` stays text, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _book(kind: str, headers: list[str], centres: list[tuple[str, str]], today: dt.date):
    """A workbook with the data sheet (headers, validation), the instructions and the hidden lists."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    info = book.create_sheet("Instruktioner")
    lists.sheet_state = "hidden"

    # The lists' headers are Swedish words, not contract columns, so the build never takes this sheet for data.
    ranges = {}
    for col, (title, values) in enumerate((
        ("Kommunkod", [k["kommun_kod"] for k in kommuner()]),
        ("Kommun", [k["kommun"] for k in kommuner()]),
        ("Påstående", [s["statement_id"] for s in statements()]),
        ("Familjecentral", [c for c, _ in centres]),
    ), start=1):
        letter = get_column_letter(col)
        _put(lists.cell(1, col), title)
        for row, value in enumerate(values, start=2):
            _put(lists.cell(row, col), value)
        ranges[title] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(values), 1) + 1}"

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, name in enumerate(headers, start=1):
        cell = data.cell(1, col)
        _put(cell, name)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(col)
        data.column_dimensions[letter].width = max(12, min(len(name) + 4, 40))
        if name in TEXT_COLUMNS:
            data.column_dimensions[letter].number_format = "@"  # 0180 stays 0180
        rule = _validation(kind, name, ranges, centres, today)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            data.add_data_validation(rule)
    data.freeze_panes = "A2"

    _put(info.cell(1, 1), f"Mall: {TITLES[kind]} ({KINDS[kind].label})")
    info.cell(1, 1).font = Font(bold=True, size=14)
    lines = [
        f"Fyll i en rad per {_row_meaning(kind)} på bladet {DATA_SHEET}, med början på rad 2.",
        "Ändra inte rubrikraden (rad 1). Kolumner med listpil har en lista att välja ur; "
        "Excel varnar för värden utanför listan eller intervallet.",
        "Spara som Excel-arbetsbok (.xlsx). Filnamnet ska börja med "
        f"{KINDS[kind].pattern.split('*')[0]} (till exempel {file_name(kind)}).",
        "Läs in filen på sidan Importera eller lägg den i källmappen. Rader som inte går att läsa in "
        "visas med radnummer och skäl.",
        "",
        "Kolumn",
    ]
    for row, text in enumerate(lines, start=3):
        _put(info.cell(row, 1), text)
    info.cell(3 + len(lines) - 1, 1).font = bold
    _put(info.cell(3 + len(lines) - 1, 2), "Beskrivning")
    info.cell(3 + len(lines) - 1, 2).font = bold
    texts = {row["item"]: row["text"] for row in survey_items()}
    for row, name in enumerate(headers, start=3 + len(lines)):
        required = " (krävs)" if name in KINDS[kind].required or name in texts else ""
        text = DESCRIPTIONS.get(name) or (
            f"Fråga: {texts[name]} Svar 1–5 (1 = stämmer inte alls, 5 = stämmer helt och hållet); "
            "tomt eller 0 = vet ej." if name in texts else "")
        _put(info.cell(row, 1), name + required)
        _put(info.cell(row, 2), text)
        info.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 100
    return book, data


def _row_meaning(kind: str) -> str:
    return {"centres": "familjecentral", "parent_survey": "svarande förälder",
            "self_reflection": "påstående (familjecentral och år)", "activity": "familjecentral och år"}[kind]


def _validation(kind: str, name: str, ranges: dict[str, str], centres, today: dt.date) -> DataValidation | None:
    def listed(formula: str, what: str) -> DataValidation:
        return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                              errorTitle="Ogiltigt värde", error=f"Välj {what} i listan.")

    def number(kind_: str, low, high=None, what: str = "") -> DataValidation:
        operator = "between" if high is not None else "greaterThanOrEqual"
        return DataValidation(type=kind_, operator=operator, formula1=str(low),
                              formula2=None if high is None else str(high), allow_blank=True,
                              showErrorMessage=True, errorTitle="Ogiltigt värde", error=what)

    items = {row["item"] for row in survey_items()} if KINDS[kind].item_columns else set()
    if name == "kommun_code":
        return listed(ranges["Kommunkod"], "en kommunkod")
    if name in BOOLEANS:
        return listed('"ja,nej"', "ja eller nej")
    if name == "gender":
        return listed('"kvinna,man,annat"', "kvinna, man eller annat")
    if name == "language":
        return listed('"svenska,annat"', "svenska eller annat")
    if name == "statement_id":
        return listed(ranges["Påstående"], "ett påstående")
    if name == "centre_id" and kind != "centres" and centres:
        return listed(ranges["Familjecentral"], "en familjecentral")
    if name == "year":
        return number("whole", 2000, today.year + 1, f"Ett år mellan 2000 och {today.year + 1}.")
    if name == "score":
        return number("decimal", 1, 6, "Ett värde från 1 till 6.")
    if name in items:
        return number("whole", 0, 5, "Ett svar 1–5, eller 0 eller tomt för vet ej.")
    if name in COUNTS:
        return number("whole", 0, what="Ett heltal, 0 eller större.")
    return None


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(kind: str, suffix: str = "mall") -> str:
    """A name the build recognises: `centres_mall.xlsx`, `self_reflection_<centre>_2025.xlsx`."""
    return f"{KINDS[kind].pattern.split('*')[0]}_{suffix}.xlsx"


def template(kind: str, centres: list[tuple[str, str]] = (), today: dt.date | None = None) -> bytes:
    """An empty form of one kind: headers, drop-downs and instructions. `centres` (id, name) feed centre_id's list."""
    if kind not in TITLES:
        raise ValueError(kind)
    book, _ = _book(kind, columns(kind), list(centres), today or dt.date.today())
    return _bytes(book)


def self_reflection_form(centre_id: str, year: int, centres: list[tuple[str, str]] = (),
                         today: dt.date | None = None) -> bytes:
    """One centre's self-reflection for one year: the 30 statements pre-filled, score left for the team."""
    headers = [*columns("self_reflection"), STATEMENT_AREA, STATEMENT_TEXT]
    book, data = _book("self_reflection", headers, list(centres), today or dt.date.today())
    position = {name: col for col, name in enumerate(headers, start=1)}
    for row, statement in enumerate(statements(), start=2):
        _put(data.cell(row, position["centre_id"]), str(centre_id))
        data.cell(row, position["year"]).value = int(year)
        _put(data.cell(row, position["statement_id"]), statement["statement_id"])
        _put(data.cell(row, position[STATEMENT_AREA]), statement["area"])
        _put(data.cell(row, position[STATEMENT_TEXT]), statement["text"])
        data.cell(row, position[STATEMENT_TEXT]).alignment = Alignment(wrap_text=True, vertical="top")
    data.column_dimensions[get_column_letter(position[STATEMENT_TEXT])].width = 80
    return _bytes(book)


def activity_form(centres: list[tuple[str, str]], year: int, today: dt.date | None = None) -> bytes:
    """The activity form for one year: one pre-filled row per centre (id and year), figures left to fill in."""
    headers = [*columns("activity"), CENTRE_NAME]
    book, data = _book("activity", headers, list(centres), today or dt.date.today())
    for row, (centre_id, name) in enumerate(centres, start=2):
        _put(data.cell(row, 1), str(centre_id))
        data.cell(row, 2).value = int(year)
        _put(data.cell(row, len(headers)), str(name))
    data.column_dimensions[get_column_letter(len(headers))].width = 40
    return _bytes(book)
