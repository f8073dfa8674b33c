"""Headings that name exactly the unit and year a page's figures are for, and why a year has no figures."""
from __future__ import annotations

from fc import filters, safe
from fc.filters import Scope

CHOSEN = {"centre": "den valda familjecentralen", "kommun": "den valda kommunen", "lan": "det valda länet"}


def text(label: str, name: str, year: int) -> str:
    """The one heading pattern, '<label> – <unit> <year>', with the unit's name escaped for Markdown."""
    return f"{label} – {safe.md(name)} {year}"


def title(label: str, scope: Scope, level: str | None = None, year: int | None = None) -> str:
    """The heading for the chosen unit, or for its municipality, county or the nation at `level`."""
    return text(label, scope.name_at(level or scope.level), scope.year if year is None else year)


def municipal_title(label: str, scope: Scope) -> str:
    """The heading of figures that go no finer than a municipality: a chosen centre's municipality."""
    return title(label, scope, scope.municipal[0])


def wider_note(scope: Scope, level: str, why: str = "") -> str | None:
    """Say that figures are for a wider unit than the chosen one, and which; None when they are for the chosen one."""
    if filters.LEVELS.index(level) <= filters.LEVELS.index(scope.level):
        return None
    where = (f"hela riket, inte bara {CHOSEN[scope.level]}" if level == "riket"
             else f"{safe.md(scope.name_at(level))}, där {CHOSEN[scope.level]} ligger")
    return f"{why} Siffrorna här gäller {where}.".strip()


def no_survey(scope: Scope, level: str | None = None) -> str:
    """Why a unit has no parent-survey figures for the year: no survey that year at all, or no answers from it."""
    if not filters.loaded(scope.year)["survey"]:
        return f"Ingen föräldraenkät genomfördes {scope.year}."
    return f"Inga svar i föräldraenkäten för {safe.md(scope.name_at(level or scope.level))} år {scope.year}."


def no_self_reflection(scope: Scope, level: str | None = None) -> str:
    """Why a unit has no self-reflection for the year: none was done that year at all, or none from the unit."""
    if not filters.loaded(scope.year)["self_reflection"]:
        return f"Ingen självreflektion genomfördes {scope.year}."
    return f"Ingen självreflektion är inrapporterad för {safe.md(scope.name_at(level or scope.level))} år {scope.year}."
