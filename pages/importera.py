"""Importera: upload this year's files, see what will load and what will be rejected, then rebuild."""
from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import streamlit as st

from fc import auth, db, filters, fmt, importer, labels, safe, templates, ui

SHOWN_REJECTS = 50
KINDS = {"centres": "familjecentralsregister", "parent_survey": "föräldraenkät", "self_reflection": "självreflektion",
         "activity": "verksamhetsstatistik", "survey_items": "enkätfrågor", "statements": "påståenden"}
NO_REPLACE = "ingen – filen läggs till"
UNEXPECTED = ("Något gick fel på sidan Importera. Källfilerna och databasen är oförändrade. Försök igen, "
              "eller be den som driftar FC-kompassen titta i serverns logg.")
# Streamlit draws the drop zone's own texts in English ("Drag and drop files here", "Browse files", "Limit 200MB
# per file") and has no parameter for them; the label, this help and the caption above say it in Swedish.
UPLOAD_HELP = ("Dra filerna till rutan eller klicka på knappen ”Browse files” (bläddra) för att välja dem. "
               "Högst 200 MB per fil, CSV eller Excel (.xlsx).")
LOG = logging.getLogger(__name__)


def main() -> None:
    if "scope" not in st.session_state:
        # app.py has not run: a server whose first visitor opened this page switches to its navigation.
        # Only then, since the switch reruns and would drop a button click.
        filters.current()
    st.title("Importera filer")
    template_downloads()
    info = db.query("build_info").set_index("key")["value"]
    access = auth.access(is_demo=info.get("is_demo") == "true")
    if access is auth.Access.NONE:
        return
    if done := st.session_state.pop("import_done", None):
        st.success(done)
    source = importer.source_dir(db.db_path())
    if access is auth.Access.FULL:
        st.caption("Godkända filer sparas i källmappen och databasen byggs om. Pågående sessioner fortsätter "
                   "mot den gamla databasen tills bygget är klart.")
    # A new key empties the uploader after an accepted import.
    round_ = st.session_state.setdefault("import_round", 0)
    files = st.file_uploader("CSV-filer eller Excel-arbetsböcker (centres…, parent_survey…, self_reflection…, "
                             "activity…)", type=["csv", "xlsx"], accept_multiple_files=True,
                             key=f"import_files_{round_}", help=UPLOAD_HELP)
    if not files:
        return

    uploads = importer.receive([(f.name, f.getvalue()) for f in files], source)
    boxes = []
    for upload, file in zip(uploads, files):
        box = st.container(border=True)
        box.text(f"{upload.name} – {KINDS.get(upload.kind, 'okänd filtyp')}")  # the client's name, never markdown
        if upload.stored and "*" in importer.KINDS[upload.kind].pattern:
            options = [NO_REPLACE, *importer.existing(source, upload.kind)]
            if len(options) > 1:
                choice = box.selectbox("Ersätter befintlig fil (den flyttas till arkiv/)", options,
                                       index=options.index(upload.replaces) if upload.replaces in options else 0,
                                       key=f"import_replace_{file.file_id}")
                upload.replaces = None if choice == NO_REPLACE else choice
        elif upload.replaces:
            box.caption(f"Ersätter den befintliga filen {upload.replaces} (den flyttas till arkiv/).")
        if (matches := importer.export_columns(upload, source)) is not None:
            with box:
                export_mapping(upload, matches, source, editable=access is auth.Access.FULL, key=file.file_id)
        boxes.append(box)

    checks = importer.check(uploads, source)
    for index, (result, box) in enumerate(zip(checks, boxes)):
        if result.refused:
            box.error(f"Filen kan inte läsas in: {safe.md(result.refused)}")
            continue
        rejected = len(result.rejects)
        box.markdown(f"{fmt.count(result.rows_loaded, 'rad', 'rader')} läses in, {fmt.count(rejected, 'rad', 'rader')} avvisas.")
        if rejected:
            with box:
                st.dataframe(labels.text(labels.present(result.rejects.head(SHOWN_REJECTS))), hide_index=True,
                             width="stretch")
                if rejected > SHOWN_REJECTS:
                    st.caption(f"Visar de första {SHOWN_REJECTS} av {fmt.number(rejected)} avvisade raderna.")
                ui.downloads(result.rejects, f"avvisade rader {ui.slug(result.name)}", f"rejects_{index}")

    usable = [r.upload for r in checks if not r.refused]
    if access is not auth.Access.FULL:
        st.info("Demoläge: förhandsgranskningen ovan sparas inte, och här kan inga filer godkännas eller läsas in.")
        return
    left, right = st.columns(2)
    accept = left.button("Godkänn och läs in", type="primary", disabled=not usable, key="import_accept")
    if right.button("Avbryt", key="import_cancel"):
        st.session_state["import_round"] = round_ + 1
        st.rerun()
    if accept and usable:
        run_import(usable, source, round_)


ROLE_NAMES = {"timestamp": "tidstämpel (ger året)", "year": "år", "centre_id": "familjecentral", "gender": "kön",
              "language": "språk"}
HOW = {"exakt": "frågans text", "normaliserad": "frågans text (skiftläge, mellanslag, skiljetecken)",
       "sparad": "sparad koppling", "roll": "kolumnens namn", "ingen": "–"}
IGNORED = "läses inte in"


def export_mapping(upload: importer.Upload, matches, source, editable: bool, key: str) -> None:
    """A survey tool's export: which column answers which question; an admin links the columns left over."""
    items = dict(importer.catalogue_items(source))
    st.caption("Filen är en export från ett enkätverktyg: kolumnerna kopplas till enkätens frågor och svaren "
               "(Stämmer helt och hållet … Stämmer inte alls, Vet ej) räknas om till 1–5.")
    frame = pd.DataFrame({
        "kolumn i filen": [m.column for m in matches],
        "kopplad till": [ROLE_NAMES.get(m.target) or (f"{m.target}: {items.get(m.target, '')}" if m.target else IGNORED)
                         for m in matches],
        "hittad genom": [HOW[m.how] for m in matches],
    })
    st.dataframe(frame, hide_index=True, width="stretch")
    open_columns = [m.column for m in matches if m.target is None]
    missing = [item for item in items if item not in {m.target for m in matches}]
    if missing:
        st.warning("Frågor utan kolumn: " + ", ".join(safe.md(f"{i} ({items[i]})") for i in missing))
    if not editable or not open_columns:
        return
    st.markdown("**Koppla kolumner** (kopplingen sparas i källmappen och används nästa år)")
    options = [IGNORED, *missing, *[i for i in items if i not in missing]]
    for n, column in enumerate(open_columns):
        choice = st.selectbox(f"Kolumnen {safe.md(column)}", options, key=f"export_map_{key}_{n}",
                              format_func=lambda i: i if i == IGNORED else f"{i}: {items[i]}")
        if choice != IGNORED:
            upload.mapping[column] = choice


def template_downloads() -> None:
    """Ladda ner mall: Excel forms with the contract's headers and drop-downs; open to everyone (they reveal nothing
    that the dashboard does not show)."""
    with st.expander("Ladda ner mall (Excel)"):
        st.caption("Tomma mallar med rätt rubriker, listor att välja ur och instruktioner. En ifylld mall läses in "
                   "som den är, här eller i källmappen.")
        choices = db.query("centre_choices", lan="", kommun="")
        centres = list(zip(choices["centre_id"], choices["name"]))
        columns = st.columns(len(templates.TITLES))
        for column, (kind, title) in zip(columns, templates.TITLES.items()):
            column.download_button(title, lambda kind=kind: templates.template(kind, centres),
                                   file_name=templates.file_name(kind), mime=templates.MIME,
                                   key=f"template_empty_{kind}", on_click="ignore")
        if not centres:
            return
        st.markdown("**Ifyllda formulär**")
        labels = dict(zip(choices["centre_id"], choices["name"] + " – " + choices["kommun_name"]))
        left, right = st.columns([3, 1])
        year = right.number_input("År", min_value=2000, max_value=dt.date.today().year + 1,
                                  value=dt.date.today().year, step=1, key="template_year")
        centre = left.selectbox("Familjecentral (självreflektion)", list(labels), format_func=labels.get,
                                key="template_centre")
        left, right = st.columns(2)
        left.download_button("Självreflektion med de 30 påståendena",
                             lambda: templates.self_reflection_form(centre, int(year), centres),
                             file_name=templates.file_name("self_reflection", f"{ui.slug(str(centre))}_{int(year)}"),
                             mime=templates.MIME, key="template_reflection", on_click="ignore")
        right.download_button("Verksamhetsstatistik för alla familjecentraler",
                              lambda: templates.activity_form(centres, int(year)),
                              file_name=templates.file_name("activity", str(int(year))), mime=templates.MIME,
                              key="template_activity", on_click="ignore")


def run_import(usable: list[importer.Upload], source, round_: int) -> None:
    bar = st.progress(0.0, text="Bygger om databasen …")
    names = {u.stored: u.name for u in usable}
    try:
        done = importer.accept(usable, source, db.db_path(),
                               progress=lambda share, text: bar.progress(share, text=text))
    except importer.BuildBusy as busy:
        st.error(f"Inläsningen startades inte: {safe.md(busy)}")
    except importer.BuildFailed as failed:
        st.error("Inläsningen avbröts; källfilerna och databasen är oförändrade. " + " ".join(
            f"{safe.md(names.get(name, name))}: {safe.md(reason)}" for name, reason in failed.refusals))
    except importer.ImportFailed as failed:
        st.error(safe.md(failed))
    else:
        text = (f"Databasen är ombyggd: {fmt.count(done.result.rows_loaded, 'rad', 'rader')} inlästa, "
                f"{fmt.number(done.result.rows_rejected)} avvisade. Alla sidor visar de nya siffrorna vid nästa klick.")
        if done.archived:
            text += " Ersatta filer sparades i arkiv/: " + ", ".join(safe.md(n) for n in done.archived)
        st.session_state["import_done"] = text
        st.session_state["import_round"] = round_ + 1
        st.rerun()


try:
    main()
except Exception:  # st.stop and st.rerun are BaseExceptions and pass through
    LOG.exception("Importera failed")
    st.error(UNEXPECTED)
