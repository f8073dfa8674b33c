"""Utforska: a read-only SQL console over the analytical views, with a schema browser and downloads."""
import streamlit as st

from fc import console, filters, fmt, labels, ui

if "scope" not in st.session_state:
    # app.py has not run: a server whose first visitor opened this page switches to its navigation.
    # Only then, since the switch reruns and would drop a button click.
    filters.current()
st.title("Utforska – SQL-konsol")
st.caption("Skrivskyddad: bara SELECT mot tabellerna nedan. Varje fråga körs för sig i en egen, begränsad process "
           "mot en kopia av de publicerade tabellerna; den kan inte skriva, läsa filer, koppla in databaser, ladda "
           f"tillägg eller nå nätet. Högst {fmt.count(console.ROW_LIMIT, 'rad', 'rader')} och "
           f"{fmt.number(console.TIMEOUT_S)} sekunder per fråga. Enkätsvar per person finns inte här; små grupper är "
           "dolda.")

examples = console.examples()
choice = st.selectbox("Exempelfrågor", list(examples), index=None, placeholder="Välj ett exempel …", key="console_example")
sql = st.text_area("SQL", value=examples.get(choice, "SELECT * FROM coverage_lan LIMIT 10"), height=180, key=f"sql_{choice}")
limit = st.number_input("Max antal rader", min_value=1, max_value=console.ROW_LIMIT, value=1000, step=100)

if st.button("Kör fråga", type="primary"):
    with st.spinner("Kör frågan …"):
        try:
            result = console.run(sql, row_limit=int(limit))
        except console.Refused as refusal:
            result = None
            st.error(str(refusal))
    if result is not None:
        if result.truncated:
            st.warning(f"Resultatet kortades till {fmt.count(int(limit), 'rad', 'rader')}.")
        if result.bytes_truncated:
            st.warning(f"Resultatet kortades till {fmt.count(len(result.frame), 'rad', 'rader')}: det blev större än konsolen visar "
                       f"({console.MAX_RESULT_BYTES // 2**20} MB). Välj färre kolumner.")
        if result.cells_truncated:
            st.info(f"Text längre än {console.CELL_CHARS} tecken kortades (slutar med …).")
        st.caption(fmt.count(len(result.frame), "rad", "rader"))
        st.dataframe(console.shown(result.frame), hide_index=True, width="stretch", key="console_result_table")
        # An analyst's own result: column names as written in the query, values as DuckDB returned them.
        ui.downloads(result.frame, "Frågeresultat", "console_result", raw=True)

st.subheader("Schema")
try:
    schema = console.schema()
except console.Refused as refusal:
    st.info(str(refusal))
else:
    for relation, part in schema.groupby("relation", sort=False):
        with st.expander(f"{relation} – {part.iloc[0]['description']}"):
            st.dataframe(part.iloc[1:][["column", "type", "description"]].rename(columns=labels.label), hide_index=True,
                         width="stretch")
