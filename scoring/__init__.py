"""The scoring engine: plain Python (no Streamlit), one step a module; engine.py chains them."""
