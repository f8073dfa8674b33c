"""Måluppfyllelse (placeholder until its issue lands)."""
import streamlit as st

st.title("Måluppfyllelse")
st.info("Sidan byggs.")
