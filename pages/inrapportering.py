"""Inrapportering (placeholder until its issue lands)."""
import streamlit as st

st.title("Inrapportering")
st.info("Sidan byggs.")
