"""The scoring engine: plain Python (no Streamlit), one step a module; see engine.py for the pipeline."""
