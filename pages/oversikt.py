"""Översikt (placeholder until its issue lands)."""
import streamlit as st

st.title("Översikt")
st.info("Sidan byggs.")
