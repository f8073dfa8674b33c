"""The annual wheel of family-centre follow-up (Jämtland guideline, Bilaga 6) and what is due on a date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Month -> activities (who), as in the seed's "Årshjul familjecentraler".
WHEEL = {
    1: ["Självreflektion (samordnare)", "Gå igenom årshjulet (ledningsgruppen)"],
    2: ["Verksamhetsberättelsen lämnas in senast 28/2 (samordnare)"],
    3: ["Ledningsgruppen sammanställer verksamhetsberättelserna", "Överenskomma och godkänna gemensam plan"],
    4: ["Ledningsgruppen gör verksamhetsbesök"],
    5: ["Verksamhetsbesök", "Familjecentralens dag", "FFFF:s årliga konferens"],
    6: [], 7: [], 8: [],
    9: ["Hälsovecka v. 39", "Gå igenom samverkansavtalet och rutiner för säkerhet (samordnare)"],
    10: ["Verksamhetsbesök med arbetsmiljörond (ledningsgruppen)"],
    11: ["Föräldraenkäten delas ut v. 45–46", "Barnkonventionens dag", "Verksamhetsbesök"],
    12: ["Självreflektion (samordnare)"],
}
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]


@dataclass(frozen=True)
class Report:
    name: str
    start: dt.date
    end: dt.date
    about_year: int

    def status(self, today: dt.date) -> str:
        if today < self.start:
            return f"nästa: {self.start.isoformat()}–{self.end.isoformat()} (om {(self.start - today).days} dagar)"
        return f"pågår nu, senast {self.end.isoformat()}"


def windows(year: int) -> list[Report]:
    """The three reports about follow-up year `year` with the dates they are due."""
    survey_start = dt.date.fromisocalendar(year, 45, 1)
    survey_end = dt.date.fromisocalendar(year, 46, 7)
    next_march = dt.date(year + 1, 3, 1)
    return [
        Report("Föräldraenkät (v. 45–46)", survey_start, survey_end, year),
        Report("Självreflektion (december–januari)", dt.date(year, 12, 1), dt.date(year + 1, 1, 31), year),
        Report("Verksamhetsberättelse (senast sista februari)", dt.date(year + 1, 1, 1),
               next_march - dt.timedelta(days=1), year),
    ]


def due(today: dt.date) -> list[tuple[str, int, str]]:
    """For each report: (name, follow-up year it is about, whether it is under way or when it is next due)."""
    result = []
    for index in range(3):
        for year in (today.year - 1, today.year, today.year + 1):
            report = windows(year)[index]
            if today <= report.end:
                result.append((report.name, report.about_year, report.status(today)))
                break
    return result
