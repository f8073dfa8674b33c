"""Importera (placeholder until its issue lands)."""
import streamlit as st

st.title("Importera")
st.info("Sidan byggs.")
