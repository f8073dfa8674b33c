"""Självreflektion (placeholder until its issue lands)."""
import streamlit as st

st.title("Självreflektion")
st.info("Sidan byggs.")
