"""Importera: upload this year's files, see what will load and what will be rejected, then rebuild."""
import streamlit as st

from fc import auth, db, importer, ui

SHOWN_REJECTS = 50
KINDS = {"centres": "familjecentralsregister", "parent_survey": "föräldraenkät", "self_reflection": "självreflektion",
         "activity": "verksamhetsstatistik", "survey_items": "enkätfrågor", "statements": "påståenden"}

st.title("Importera filer")
info = db.query("build_info").set_index("key")["value"]
if not auth.authorised(is_demo=info.get("is_demo") == "true"):
    st.stop()

source = importer.source_dir(db.db_path())
st.caption(f"Filerna sparas i {source} och databasen {db.db_path()} byggs om. Pågående sessioner fortsätter "
           "mot den gamla databasen tills bygget är klart.")
files = st.file_uploader("CSV-filer (centres…, parent_survey…, self_reflection…, activity…)", type="csv",
                         accept_multiple_files=True, key="import_files")
if not files:
    st.stop()

uploads = {f.name: f.getvalue() for f in files}
checks = importer.check(uploads, source)
for result in checks:
    with st.container(border=True):
        kind = KINDS.get(result.kind, "okänd filtyp")
        st.markdown(f"**{result.name}** – {kind}")
        if result.refused:
            st.error(f"Filen kan inte läsas in: {result.refused}")
            continue
        rejected = len(result.rejects)
        st.markdown(f"{result.rows_loaded} rader läses in, {rejected} rader avvisas.")
        if rejected:
            st.dataframe(result.rejects.head(SHOWN_REJECTS), hide_index=True, width="stretch")
            if rejected > SHOWN_REJECTS:
                st.caption(f"Visar de första {SHOWN_REJECTS} av {rejected} avvisade raderna.")
            ui.downloads(result.rejects, f"avvisade rader {result.name}", f"rejects_{ui.slug(result.name)}")

usable = {r.name: uploads[r.name] for r in checks if not r.refused}
left, right = st.columns(2)
accept = left.button("Godkänn och läs in", type="primary", disabled=not usable, key="import_accept")
if right.button("Avbryt", key="import_cancel"):
    st.session_state.pop("import_files", None)
    st.rerun()
if accept:
    archived = importer.accept(usable, source)
    bar = st.progress(0.0, text="Bygger om databasen …")
    try:
        result = importer.rebuild(source, db.db_path(), progress=lambda share, text: bar.progress(share, text=text))
    except importer.BuildBusy as busy:
        st.error(f"Bygget startades inte: {busy}")
    except importer.BuildFailed as failed:
        st.error("Bygget avbröts; databasen som används är oförändrad. " +
                 " ".join(f"{name}: {reason}" for name, reason in failed.refusals))
    else:
        bar.progress(1.0, text="Klart")
        st.success(f"Databasen är ombyggd: {result.rows_loaded} rader inlästa, {result.rows_rejected} avvisade. "
                   "Alla sidor visar de nya siffrorna vid nästa klick.")
        if archived:
            st.caption("Tidigare versioner sparades: " + ", ".join(p.name for p in archived))
