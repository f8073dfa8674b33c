"""Utforska: a read-only SQL console over the analytical views, with a schema browser and downloads."""
import streamlit as st

from fc import console, ui

st.title("Utforska – SQL-konsol")
st.caption("Skrivskyddad: bara SELECT mot tabellerna nedan. Konsolen kan inte skriva, läsa filer, koppla in "
           f"databaser, ladda tillägg eller nå nätet. Högst {console.ROW_LIMIT:,} rader och "
           f"{console.TIMEOUT_S:g} sekunder per fråga. Enkätsvar per person finns inte här; små grupper är dolda."
           .replace(",", " "))

examples = console.examples()
choice = st.selectbox("Exempelfrågor", list(examples), index=None, placeholder="Välj ett exempel …", key="console_example")
sql = st.text_area("SQL", value=examples.get(choice, "SELECT * FROM coverage_lan LIMIT 10"), height=180, key=f"sql_{choice}")
limit = st.number_input("Max antal rader", min_value=1, max_value=console.ROW_LIMIT, value=1000, step=100)

if st.button("Kör fråga", type="primary"):
    try:
        result = console.run(sql, row_limit=int(limit))
    except console.Refused as refusal:
        st.error(str(refusal))
    else:
        if result.truncated:
            st.warning(f"Resultatet kortades till {int(limit)} rader.")
        st.caption(f"{len(result.frame)} rader")
        ui.table(result.frame, "Frågeresultat", "console_result")

st.subheader("Schema")
schema = console.schema()
for relation, part in schema.groupby("relation", sort=False):
    with st.expander(f"{relation} – {part.iloc[0]['description']}"):
        st.dataframe(part.iloc[1:][["column", "type", "description"]], hide_index=True, width="stretch")
