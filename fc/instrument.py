"""Which parent survey the database holds, said honestly: the seeds give five goals but no questionnaire."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "catalogues" / "survey_items.csv"
SCALE = ("Skalan 1–5 (1 = stämmer inte alls, 5 = stämmer helt och hållet) och regeln att en förälder räknas som "
         "positiv till ett mål när medelvärdet av förälderns svar på målets frågor är minst 4 är "
         "FC-kompassens val.")
HOW_TO_REPLACE = ("Ett län som har en egen enkät lägger sin frågekatalog som survey_items.csv (kolumnerna item, "
                  "goal och text) i källmappen; frågorna kopplas till riktlinjernas fem mål.")
REFLECTION_SCALE = ("Självreflektionens mall (Bilaga 4) är en linje med två ändar, ”Behöver utvecklas” och "
                    "”Fungerar”; FC-kompassens sex steg (1 = behöver utvecklas, 6 = fungerar) är vår tolkning av "
                    "den linjen.")


def bundled_items() -> list[tuple[str, int, str]]:
    with open(BUNDLED, encoding="utf-8") as f:
        return [(r["item"], int(r["goal"]), r["text"]) for r in csv.DictReader(f)]


def is_example(items: pd.DataFrame) -> bool:
    """True when the loaded questions (report_instrument) are exactly the bundled example instrument."""
    loaded = [(i, int(g), t) for i, g, t in zip(items["item"], items["goal"], items["text"])]
    return loaded == bundled_items()


def note(items: pd.DataFrame) -> str:
    """One paragraph on the survey behind the figures: whose questions, how many, and the project's own choices."""
    n = len(items)
    if is_example(items):
        source = (f"Enkätens {n} frågor är FC-kompassens exempelinstrument: riktlinjerna anger de fem målen men "
                  "ingen enkät, så frågorna är ett förslag och inte länets eller riktlinjernas frågor.")
    else:
        source = f"Enkätens {n} frågor är länets egna (en inläst survey_items.csv), kopplade till de fem målen."
    return f"{source} {SCALE} {HOW_TO_REPLACE}"
