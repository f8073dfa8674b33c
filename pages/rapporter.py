"""Rapporter (placeholder until its issue lands)."""
import streamlit as st

st.title("Rapporter")
st.info("Sidan byggs.")
