"""Officiell statistik: real public figures (Skolverket, SCB via Kolada; Folkhälsomyndigheten), never demo data."""
import streamlit as st

from fc import db, filters, fmt, heading, maps, safe, ui
from fc.charts import official, texts

scope = filters.current()
level, unit = scope.municipal  # the official figures go down to municipalities
years = db.query("official_year", year=scope.year).iloc[0]
year, first, last = int(years["year"]), int(years["first_year"]), int(years["last_year"])
trend = db.query("official_unit_trend", level=level, unit=unit)
place = scope.name_at(level)
row = trend[trend["year"] == year].iloc[0]
sources = dict(db.query("official_sources").itertuples(index=False))

st.title(heading.title("Officiell statistik", scope, level, year))
if wider := heading.wider_note(scope, level, "Den officiella statistiken går inte finare än kommun."):
    st.caption(wider)
note = ("Verkliga, publicerade siffror från Skolverket och SCB (via Kolada) och Folkhälsomyndigheten, "
        "inte FC-kompassens egna inrapporterade uppgifter.")
if db.is_demo():
    note += " De är verkliga även när resten av FC-kompassen visar fiktiva demodata."
st.info(f"**Officiell statistik.** {note}", icon=":material/verified:")
if year != scope.year:
    st.warning(f"Den officiella statistiken finns för {first}–{last}; {scope.year} saknas, så sidan visar "
               f"{'senaste tillgängliga år' if year < scope.year else 'första tillgängliga år'}, {year}.")

st.subheader(heading.title("Öppna förskolor i familjecentral, antal verksamheter", scope, level, year))
cols = st.columns(4)
cols[0].metric(official.IN_FC, official.count(row["in_family_centre"]))
cols[1].metric(official.TOTAL, official.count(row["total"]))
if level == "kommun":
    cols[2].metric("Levande födda", official.count(row["births"]))
else:
    cols[2].metric("Kommuner med öppen förskola i familjecentral",
                   f"{fmt.number(row['kommuner_with_fc'])} av {fmt.number(row['kommuner'])}")
cols[3].metric("Barn 0–5 år", official.count(row["children_0_5"]))
st.caption(
    f"Källa: {safe.md(sources['open_preschool'])}; barn 0–5 år: {safe.md(sources['children_0_5'])}; "
    f"levande födda: {safe.md(sources['births'])}. Källa: Kolada. "
    "Antalet öppna förskolor i familjecentral är ett närmevärde (proxy), inte ett register över familjecentraler: "
    "Skolverkets och Folkhälsomyndighetens definitioner skiljer sig. "
    "2022 lämnade Kolada uppgiften tom för kommuner som inte rapporterade någon öppen förskola i familjecentral; "
    "tomma uppgifter visas som tomma (”uppgift saknas”), inte som 0, och räknas inte i summorna. "
    "Skövde saknar uppgift om öppna förskolor totalt 2019–2021."
)
if level != "kommun" and row["kommuner_reported_fc"] < row["kommuner"]:
    st.caption(f"{year}: uppgift om öppen förskola i familjecentral finns för {fmt.number(row['kommuner_reported_fc'])} "
               f"av {fmt.number(row['kommuner'])} kommuner.")


def map_part() -> None:
    """Open preschools in a family centre per municipality, on the map."""
    map_lan = scope.lan_code
    kommuner = db.query("official_kommun_year", year=year, lan=map_lan)
    fig = official.kommun_map(kommuner, maps.boundaries("kommun", map_lan), maps.boundaries("lan", map_lan),
                              highlight=scope.kommun_code, label_at=maps.label_point("kommun", scope.kommun_code))
    ui.chart(fig, official.figures(kommuner), f"Öppna förskolor i familjecentral per kommun {year}", "official_map",
             official=True, **texts.OFFICIAL_MAP, source=texts.official(sources["open_preschool"]),
             aside=not map_lan, portrait=not map_lan)


def trend_part() -> None:
    """The unit's figures over the years."""
    st.subheader(f"Utveckling {first}–{last} – {safe.md(place)}")
    ui.chart(official.trend(trend), official.figures(trend), f"Öppna förskolor {first}–{last} {place}",
             "official_trend", official=True, **texts.OFFICIAL_TREND, source=texts.official(sources["open_preschool"]))
    st.caption("Barn 0–5 år och levande födda finns per kommun för 2015–2022 (i tabellen under ”Visa siffror”).")


def counties_part() -> None:
    """The nation's counties side by side."""
    st.subheader(f"Öppna förskolor i familjecentral per län {year}")
    counties = db.query("official_lan_year", year=year)
    ui.chart(official.by_area(counties, "lan_name"), official.figures(counties),
             f"Öppna förskolor i familjecentral per län {year}", "official_lan", official=True, **texts.OFFICIAL_AREA,
             source=texts.official(sources["open_preschool"]))


def municipalities_part() -> None:
    """A county's municipalities side by side."""
    st.subheader(f"Öppna förskolor i familjecentral per kommun {year}")
    kommuner = db.query("official_kommun_year", year=year, lan=scope.lan_code)
    ui.chart(official.by_area(kommuner, "kommun_name"), official.figures(kommuner),
             f"Öppna förskolor i familjecentral per kommun {year} {place}", "official_kommuner", official=True,
             **texts.OFFICIAL_AREA, source=texts.official(sources["open_preschool"]))


def facts_part() -> None:
    """The national survey's figures on family centres."""
    st.subheader("Familjecentraler i riket: nationella uppgifter")
    st.caption("Folkhälsomyndighetens och Socialstyrelsens kartläggning 2023 räknade familjecentraler och "
               "familjecentralsliknande verksamheter; uppgifterna är avskrivna från de angivna källorna.")
    ui.table(official.figures(db.query("official_facts")), "Familjecentraler nationella uppgifter", "official_facts",
             official=True)


# One part at a time: each is a tab in the link, and only the open one is built and drawn.
by_area = {"riket": {"Per län": counties_part}, "lan": {"Per kommun": municipalities_part}}.get(level, {})
ui.parts({"Karta": map_part, "Utveckling": trend_part, **by_area, "Nationella uppgifter": facts_part})
