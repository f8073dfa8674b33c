"""Täckning (placeholder until its issue lands)."""
import streamlit as st

st.title("Täckning")
st.info("Sidan byggs.")
