"""Shared pieces of the Streamlit interface: state, translation, formatting, charts."""
