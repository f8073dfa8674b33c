"""Refresh the bundled Kolada reference files from Kolada's open API v3 (`python -m etl kolada`).

Fetches `{base}/data/kpi/{kpi}/year/{years}` (at most 25 years a request, following `next_page`), keeps the
290 municipalities of data/reference/kommuner.csv and writes the same CSV layout as the bundled files, with
`<file>.kolada.json` beside each (fetch time, URLs, "Källa: Kolada"). A partial result (a page that fails or
holds fewer values than it says, a municipality missing from a KPI) is refused: nothing is written. Files are
replaced atomically, all of them only after every KPI was fetched. Standard library only (urllib).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from etl.reference import REFERENCE

DEFAULT_BASE = "https://api.kolada.se/v3"
BASE_ENV = "FC_KOLADA_URL"  # another API base (a mirror, or a local server in the tests)
MAX_YEARS = 25  # Kolada answers at most 25 years a request
TIMEOUT_S = 30
ATTRIBUTION = "Källa: Kolada (RKA), https://www.kolada.se"

# Each bundled file and the KPI behind each of its value columns; a file is fetched whole.
FILES: dict[str, dict[str, str]] = {
    "oppen_forskola_familjecentral_kommun.csv": {"oppna_forskolor_totalt": "N24012",
                                                 "oppna_forskolor_i_familjecentral": "N24013"},
    "barn_0_5_kommun.csv": {"barn_0_5": "N01952", "barn_1_5": "N01926", "folkmangd": "N01951"},
    "levande_fodda_kommun.csv": {"levande_fodda": "N01804"},
}
DERIVED = {"barn_0_5_kommun.csv": "andel_0_5_pct"}  # 100 · barn_0_5 / folkmangd, 2 decimals


class Refused(Exception):
    """The answer is incomplete or not what was asked for; nothing was written."""


class Offline(Exception):
    """Kolada could not be reached at all."""


def base_url(base: str | None = None) -> str:
    return (base or os.environ.get(BASE_ENV) or DEFAULT_BASE).rstrip("/")


def year_chunks(years: list[int]) -> list[list[int]]:
    """The years in requests of at most MAX_YEARS."""
    years = sorted(set(years))
    return [years[i:i + MAX_YEARS] for i in range(0, len(years), MAX_YEARS)]


def files_for(kpis: list[str]) -> list[str]:
    """The bundled files holding the requested KPIs (a file needs every KPI of its columns)."""
    unknown = [k for k in kpis if not any(k in columns.values() for columns in FILES.values())]
    if unknown:
        known = ", ".join(sorted(k for columns in FILES.values() for k in columns.values()))
        raise Refused(f"okänt nyckeltal {', '.join(unknown)}; kända: {known}")
    return [name for name, columns in FILES.items() if set(columns.values()) & set(kpis)]


def kommun_codes() -> list[str]:
    with open(REFERENCE / "kommuner.csv", encoding="utf-8", newline="") as f:
        return sorted(row["kommun_kod"] for row in csv.DictReader(f))


def get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "FC-kompassen"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise Refused(f"Kolada svarade {exc.code} på {url}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Offline(f"{url}: {reason}") from exc
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise Refused(f"svaret från {url} är inte JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise Refused(f"svaret från {url} saknar listan values")
    return data


def total_value(entry: dict):
    """The value for both sexes ('T') of one municipality-year, or None when Kolada has none."""
    for item in entry.get("values") or []:
        if item.get("gender") == "T":
            return item.get("value")
    return None


def fetch_kpi(kpi: str, years: list[int], base: str, codes: list[str]) -> tuple[dict, list[str]]:
    """Every value of one KPI for the municipalities, {(code, year): value}, and the URLs read."""
    wanted, values, urls = set(codes), {}, []
    for chunk in year_chunks(years):
        url = f"{base}/data/kpi/{kpi}/year/{','.join(str(y) for y in chunk)}"
        counts, received = [], []
        while url:
            if url in urls:
                raise Refused(f"sidan {url} kom tillbaka två gånger (next_page går i cirkel)")
            urls.append(url)
            page = get_json(url)
            count = page.get("count")
            if not isinstance(count, int) or count < len(page["values"]):
                raise Refused(f"{url}: count ({count}) stämmer inte med svaret ({len(page['values'])} värden)")
            counts.append(count)
            received.append(len(page["values"]))
            for entry in page["values"]:
                if entry.get("kpi") != kpi or entry.get("period") not in chunk:
                    raise Refused(f"{url}: svaret gäller {entry.get('kpi')} {entry.get('period')}, inte det som begärdes")
                code = str(entry.get("municipality"))
                if code in wanted:
                    values[(code, int(entry["period"]))] = total_value(entry)
            url = page.get("next_page")
        # `count` is either the values on each page or the total of the answer; anything else is a gap.
        if counts != received and counts[0] != sum(received):
            raise Refused(f"{kpi}: svaret är ofullständigt ({sum(received)} värden av {max(counts[0], sum(counts))})")
    missing = sorted(wanted - {code for code, _ in values})
    if missing:
        raise Refused(f"{kpi}: {len(missing)} kommuner saknas i svaret (t.ex. {', '.join(missing[:5])})")
    return values, urls


def _number(value) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def file_text(name: str, fetched: dict[str, dict], codes: list[str]) -> tuple[str, int, list[int]]:
    """The CSV of one file in the bundled layout: municipalities × the years with any value, empty where none."""
    columns = FILES[name]
    years = sorted({y for kpi in columns.values() for (_, y), v in fetched[kpi].items() if v is not None})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kommun_kod", "ar", *columns, *([DERIVED[name]] if name in DERIVED else [])])
    for year in years:
        for code in codes:
            cells = [fetched[kpi].get((code, year)) for kpi in columns.values()]
            row = [code, year, *(_number(v) for v in cells)]
            if name in DERIVED:
                children, population = cells[0], cells[-1]
                row.append(f"{round(100 * children / population, 2):.2f}" if children is not None and population else "")
            writer.writerow(row)
    return out.getvalue(), len(years) * len(codes), years


def write_atomically(out: Path, texts: dict[str, str]) -> None:
    """Write every file beside its target first, then rename them into place; on failure nothing is replaced."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    try:
        for name, text in texts.items():
            handle, temporary = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".part")
            written[name] = temporary
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temporary, 0o644)
    except OSError:
        for temporary in written.values():
            Path(temporary).unlink(missing_ok=True)
        raise
    for name, temporary in written.items():
        os.replace(temporary, out / name)


def refresh(kpis: list[str], out: Path, years: list[int], base: str | None = None,
            now: dt.datetime | None = None) -> dict[str, int]:
    """Fetch the files holding `kpis` and replace them in `out`; returns rows written per file."""
    base = base_url(base)
    names = files_for(kpis)
    codes = kommun_codes()
    fetched, urls = {}, {}
    for name in names:
        for kpi in FILES[name].values():
            if kpi not in fetched:
                fetched[kpi], urls[kpi] = fetch_kpi(kpi, years, base, codes)
    stamp = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    texts, rows = {}, {}
    for name in names:
        text, rows[name], file_years = file_text(name, fetched, codes)
        if not file_years:
            raise Refused(f"{name}: Kolada har inga värden för åren {years[0]}–{years[-1]}")
        texts[name] = text
        texts[f"{name}.kolada.json"] = json.dumps({
            "källa": ATTRIBUTION, "hämtad": stamp, "fil": name,
            "nyckeltal": FILES[name], "år": [file_years[0], file_years[-1]], "rader": rows[name],
            "urls": [u for kpi in FILES[name].values() for u in urls[kpi]],
            "anmärkning": "Tomma celler: Kolada har inget värde (inte 0). Kommuner enligt data/reference/kommuner.csv.",
        }, ensure_ascii=False, indent=2) + "\n"
    write_atomically(out, texts)
    return rows


def parse_years(text: str) -> list[int]:
    """'2007-2022' or '2020,2021' -> the years."""
    years: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        years += list(range(int(first), int(last or first) + 1))
    if not years or min(years) < 1990 or max(years) > 2100:
        raise ValueError(text)
    return sorted(set(years))
