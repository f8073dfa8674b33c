"""Load the bundled reference data: municipalities, counties, boundaries, children 0–5 and the goals."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
CATALOGUES = Path(__file__).resolve().parents[1] / "data" / "catalogues"
SETTINGS = Path(__file__).resolve().parents[1] / "data" / "settings"
CHILDREN_SOURCE = "SCB via Kolada (N01952, invånare 0–5 år)"
OPEN_PRESCHOOL_SOURCE = "Skolverket via Kolada (N24013, N24012)"
BIRTHS_SOURCE = "SCB via Kolada (N01804, födda)"


def boundary_rows(path: Path, level: str, code: str, name: str) -> pd.DataFrame:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return pd.DataFrame(
        {
            "level": level,
            "code": [f["properties"][code] for f in features],
            "name": [f["properties"][name] for f in features],
            "geojson": [json.dumps(f["geometry"], separators=(",", ":")) for f in features],
        }
    )


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Create and fill the reference tables from the files bundled under data/."""
    con.execute(
        """
        CREATE TABLE lan AS
        SELECT lan_kod AS lan_code, lan AS lan_name
        FROM read_csv(?, header=true, columns={'lan_kod': 'VARCHAR', 'lan': 'VARCHAR'}) ORDER BY 1
        """,
        [str(REFERENCE / "lan.csv")],
    )
    con.execute(
        """
        CREATE TABLE kommun AS
        SELECT kommun_kod AS kommun_code, kommun AS kommun_name, lan_kod AS lan_code
        FROM read_csv(?, header=true,
                      columns={'kommun_kod': 'VARCHAR', 'kommun': 'VARCHAR', 'lan_kod': 'VARCHAR', 'lan': 'VARCHAR'})
        ORDER BY 1
        """,
        [str(REFERENCE / "kommuner.csv")],
    )
    con.execute(
        """
        CREATE TABLE children_0_5 AS
        SELECT kommun_kod AS kommun_code, ar AS year, barn_0_5 AS children, ? AS source
        FROM read_csv(?, header=true, types={'kommun_kod': 'VARCHAR', 'ar': 'INTEGER', 'barn_0_5': 'INTEGER'})
        ORDER BY 1, 2
        """,
        [CHILDREN_SOURCE, str(REFERENCE / "barn_0_5_kommun.csv")],
    )
    load_official(con)
    # The bundled county defaults (Örebro: FC only; Skåne: FC or FCLV); a source folder's county_settings*.csv overrides.
    con.execute(
        "CREATE TABLE county_setting_default AS SELECT lan_code, coverage_rule, report_deadline, target_text, source "
        "FROM read_csv(?, header=true, all_varchar=true) ORDER BY 1",
        [str(SETTINGS / "county_settings.csv")],
    )
    con.execute(
        """
        CREATE TABLE goal AS
        SELECT CAST(goal AS INTEGER) AS goal, short_name, text
        FROM read_csv(?, header=true, all_varchar=true) ORDER BY 1
        """,
        [str(CATALOGUES / "goals.csv")],
    )
    kommun = boundary_rows(REFERENCE / "kommun.geojson", "kommun", "kommun_kod", "kommun")
    lan = boundary_rows(REFERENCE / "lan.geojson", "lan", "lan_kod", "lan")
    boundaries = pd.concat([kommun, lan], ignore_index=True)
    con.register("boundaries", boundaries)
    con.execute("CREATE TABLE boundary AS SELECT * FROM boundaries ORDER BY level, code")
    con.unregister("boundaries")


def kommun_year_table(con: duckdb.DuckDBPyConnection, table: str, file: str, columns: dict[str, str],
                      source: str) -> None:
    """A table of integer figures per municipality and year from a bundled file; an empty cell stays NULL.

    `columns` maps the file's column to the table's."""
    types = ", ".join(f"'{c}': 'INTEGER'" for c in columns)
    selected = ", ".join(f"{c} AS {name}" for c, name in columns.items())
    con.execute(
        f"""
        CREATE TABLE {table} AS
        SELECT kommun_kod AS kommun_code, ar AS year, {selected}, ? AS source
        FROM read_csv(?, header=true, types={{'kommun_kod': 'VARCHAR', 'ar': 'INTEGER', {types}}})
        ORDER BY 1, 2
        """,
        [source, str(REFERENCE / file)],
    )


def load_official(con: duckdb.DuckDBPyConnection) -> None:
    """The official statistics (real public data, also in a demo build): open preschools, births, national facts."""
    kommun_year_table(con, "official_open_preschool", "oppen_forskola_familjecentral_kommun.csv",
                      {"oppna_forskolor_i_familjecentral": "in_family_centre", "oppna_forskolor_totalt": "total"},
                      OPEN_PRESCHOOL_SOURCE)
    kommun_year_table(con, "official_births", "levande_fodda_kommun.csv", {"levande_fodda": "births"}, BIRTHS_SOURCE)
    con.execute(
        """
        CREATE TABLE official_fact AS
        SELECT fakta_id AS fact_id, omrade AS area, CAST(ar AS INTEGER) AS year, CAST(varde AS INTEGER) AS value,
               enhet AS unit, beskrivning AS description, kalla_utgivare AS publisher, kalla_url AS url
        FROM read_csv(?, header=true, all_varchar=true)
        """,
        [str(REFERENCE / "familjecentraler_fakta.csv")],
    )
