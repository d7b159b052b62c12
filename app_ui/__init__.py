"""Shared pieces of the Streamlit interface: session, services, texts, widgets, views, charts."""
