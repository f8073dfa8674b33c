"""Familjecentral (placeholder until its issue lands)."""
import streamlit as st

st.title("Familjecentral")
st.info("Sidan byggs.")
