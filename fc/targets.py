"""Each county's own coverage target in words: what counts, the county's wording, and the national reading."""
from __future__ import annotations

from fc import safe

COUNTS = {"fc": "familjecentral (FC)",
          "fc_or_fclv": "familjecentral eller familjecentralsliknande verksamhet (FC eller FCLV)"}
COVERED_LABEL = {"fc": "Kommuner med FC", "fc_or_fclv": "Kommuner med FC eller FCLV"}
NATIONAL = ("Riket: varje kommun bedöms efter sitt eget läns mål (Örebro län räknar till exempel bara "
            "familjecentraler, Skåne län även familjecentralsliknande verksamheter).")


def county_line(setting) -> str:
    """The county's target as it words it (escaped: the wording is data), and what counts towards it."""
    return f"Länets mål: {safe.md(setting['target_text'])}. Det som räknas är {COUNTS[setting['coverage_rule']]}."


def covered_label(setting) -> str:
    """The metric label for municipalities meeting the target: the county's rule, or each county's own in the nation."""
    return COVERED_LABEL[setting["coverage_rule"]] if setting is not None else "Kommuner som når länets mål"


def national_counts(counts) -> str:
    """Both readings for the nation, beside the one that follows each county's rule."""
    return (f"Med minst en FC: {counts['n_covered_fc']} av {counts['n_kommuner']} kommuner; med minst en FC eller "
            f"FCLV: {counts['n_covered_fc_or_fclv']} av {counts['n_kommuner']}.")
