"""The floor for the interaction benchmark: a one-widget Streamlit page."""

import streamlit as st

value = st.number_input("Value", value=0, step=1, key="value")
st.metric("Double", f"{value * 2:,}")
