"""The source file kinds of the data contract (section 2): how they are recognised and their columns."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Kind:
    name: str
    pattern: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    label: str = ""
    # Columns whose names come from the item catalogue (parent survey only).
    item_columns: bool = False
    key: tuple[str, ...] = field(default=())

    @property
    def patterns(self) -> tuple[str, ...]:
        """The name patterns of the kind: the CSV pattern and the same name as an Excel workbook."""
        return (self.pattern, self.pattern[: -len(".csv")] + EXCEL_SUFFIX)


EXCEL_SUFFIX = ".xlsx"


def is_excel(path: Path) -> bool:
    return path.name.lower().endswith(EXCEL_SUFFIX)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "centres",
            "centres*.csv",
            required=("centre_id", "name", "kommun_code", "mhv", "bhv", "open_preschool", "social_services"),
            optional=("opened", "closed", "lat", "lon", "coordinator", "steering_group", "agreement"),
            label="familjecentralsregister",
            key=("centre_id",),
        ),
        Kind(
            "parent_survey",
            "parent_survey*.csv",
            required=("response_id", "centre_id", "year"),
            optional=("gender", "language"),
            label="föräldraenkät",
            item_columns=True,
            key=("centre_id", "year", "response_id"),
        ),
        Kind(
            "self_reflection",
            "self_reflection*.csv",
            required=("centre_id", "year", "statement_id", "score"),
            optional=("n_staff", "comment"),
            label="självreflektion",
            key=("centre_id", "year", "statement_id"),
        ),
        Kind(
            "activity",
            "activity*.csv",
            required=("centre_id", "year"),
            optional=("visits", "pregnant", "enrolled_children", "families_joint_support", "parent_groups", "supervision",
                      "report_received"),
            label="verksamhetsstatistik",
            key=("centre_id", "year"),
        ),
        Kind(
            "priorities",
            "priorities*.csv",
            required=("centre_id", "year", "rank", "area", "goal"),
            optional=("outcome",),
            label="prioriterade mål",
            key=("centre_id", "year", "rank"),
        ),
        Kind(
            "county_settings",
            "county_settings*.csv",
            required=("lan_code",),
            optional=("coverage_rule", "report_deadline", "target_text", "source"),
            label="länsinställningar",
            key=("lan_code",),
        ),
        Kind("survey_items", "survey_items.csv", required=("item", "goal", "text"), label="enkätfrågor", key=("item",)),
        Kind(
            "statements",
            "statements.csv",
            required=("statement_id", "area", "title", "text"),
            label="påståenden (självreflektion)",
            key=("statement_id",),
        ),
    )
}

# Catalogues load before the data files that refer to them; centres before the reports on them.
LOAD_ORDER = ("survey_items", "statements", "county_settings", "centres", "parent_survey", "self_reflection", "activity",
              "priorities")


def kind_of(path: Path) -> Kind | None:
    """The kind a file name announces (case-insensitive; `.csv` or `.xlsx`), or None for files the build ignores."""
    name = path.name.lower()
    # Exact catalogue names first: "statements.csv" must not be taken for a data file.
    for kind in sorted(KINDS.values(), key=lambda k: "*" in k.pattern):
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in kind.patterns):
            return kind
    return None


def classify(source: Path) -> tuple[dict[str, list[Path]], list[Path]]:
    """Split a source folder into recognised files per kind (sorted by name) and ignored files."""
    by_kind: dict[str, list[Path]] = {name: [] for name in KINDS}
    ignored: list[Path] = []
    for path in sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith(".")):
        kind = kind_of(path)
        if kind is None:
            ignored.append(path)
        else:
            by_kind[kind.name].append(path)
    return by_kind, ignored
