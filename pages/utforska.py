"""Utforska (placeholder until its issue lands)."""
import streamlit as st

st.title("Utforska")
st.info("Sidan byggs.")
