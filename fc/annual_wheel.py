"""The annual wheel of family-centre follow-up (Jämtland guideline, Bilaga 6) with the county's deadline, and what is due."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

# The county settings' default (etl/sql/02a_county_settings.sql): 28 February of the year after the follow-up year.
DEFAULT_DEADLINE = "02-28"

# Month -> activities (who), as in the seed's "Årshjul familjecentraler"; the report's deadline is added by `wheel`.
ACTIVITIES = {
    1: ["Självreflektion (samordnare)", "Gå igenom årshjulet (ledningsgruppen)"],
    2: [],
    3: ["Ledningsgruppen sammanställer verksamhetsberättelserna", "Planera sommarsemester (samordnare)",
        "Godkänna sommarsemestrar (respektive verksamhetschef)", "Överenskomma och godkänna gemensam plan "
        "(ledningsgruppen)"],
    4: ["Ledningsgruppen gör verksamhetsbesök"],
    5: ["Ledningsgruppen gör verksamhetsbesök", "Familjecentralens dag (samordnare)",
        "FFFF:s årliga konferens (ledningsgruppen)"],
    6: [], 7: [], 8: [],
    9: ["Hälsovecka v. 39: planera aktiviteter (samordnare)", "Tillsammans titta igenom samverkansavtalet (samordnare)",
        "Gå igenom rutiner kring hot/våld och säkerhet på familjecentralen (samordnare)"],
    10: ["Ledningsgruppen gör verksamhetsbesök med arbetsmiljörond"],
    11: ["Ledningsgruppen gör verksamhetsbesök", "Barnkonventionens dag (vecka): planera aktiviteter (samordnare)",
         "Uppmärksamhetsveckan (alkohol): planera aktiviteter (samordnare)",
         "Föräldraenkäten delas ut v. 45–46 (samordnare)"],
    12: ["Självreflektion (samordnare)"],
}
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]


def deadline_date(year: int, deadline: str = DEFAULT_DEADLINE) -> dt.date:
    """The day the report about follow-up year `year` is due: `deadline` ('MM-DD') in the year after (29/2 → 28/2)."""
    month, day = int(deadline[-5:-3]), int(deadline[-2:])
    next_month = dt.date(year + 1 + month // 12, month % 12 + 1, 1)
    return dt.date(year + 1, month, min(day, (next_month - dt.timedelta(days=1)).day))


def deadline_text(deadline: str = DEFAULT_DEADLINE) -> str:
    """The deadline as the guideline writes it: '28/2'."""
    return f"{int(deadline[-2:])}/{int(deadline[-5:-3])}"


def wheel(deadline: str = DEFAULT_DEADLINE) -> dict[int, list[str]]:
    """The wheel's activities per month, with the report due in the month of the county's deadline."""
    months = {m: list(a) for m, a in ACTIVITIES.items()}
    months[int(deadline[-5:-3])].insert(0, f"Verksamhetsberättelsen lämnas in senast {deadline_text(deadline)} "
                                           "(samordnare)")
    return months


WHEEL = wheel()


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


def windows(year: int, deadline: str = DEFAULT_DEADLINE) -> list[Report]:
    """The three reports about follow-up year `year` with the dates they are due."""
    survey_start = dt.date.fromisocalendar(year, 45, 1)
    survey_end = dt.date.fromisocalendar(year, 46, 7)
    return [
        Report("Föräldraenkät (v. 45–46)", survey_start, survey_end, year),
        Report("Självreflektion (december–januari)", dt.date(year, 12, 1), dt.date(year + 1, 1, 31), year),
        Report(f"Verksamhetsberättelse (senast {deadline_text(deadline)})", dt.date(year + 1, 1, 1),
               deadline_date(year, deadline), year),
    ]


def due(today: dt.date, deadline: str = DEFAULT_DEADLINE) -> list[tuple[str, int, str]]:
    """For each report: (name, follow-up year it is about, whether it is under way or when it is next due)."""
    result = []
    for index in range(3):
        for year in (today.year - 1, today.year, today.year + 1):
            report = windows(year, deadline)[index]
            if today <= report.end:
                result.append((report.name, report.about_year, report.status(today)))
                break
    return result


def on_time_label(on_time) -> str:
    """'I tid', 'Sen', or 'Okänt' when the arrival date is unknown (NULL, NA or NaN)."""
    if on_time is None or pd.isna(on_time):
        return "Okänt"
    return "I tid" if bool(on_time) else "Sen"
