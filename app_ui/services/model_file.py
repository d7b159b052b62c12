"""The model file to download: the file in use (uploaded or bundled) with the session's weights,
comments kept; cached by value."""

from __future__ import annotations

import streamlit as st

from app_ui import session
from scoring.config import DEFAULT_CONFIG_PATH, ModelConfig, dump_config
from scoring.errors import ScoringInputError
from scoring.model_text import with_weights_text


@st.cache_data(max_entries=16, show_spinner=False)
def _text(source: str, weights: tuple[tuple[str, float], ...]) -> str:
    return with_weights_text(source, dict(weights))


def download_text(config: ModelConfig) -> str:
    """YAML of `config` (the model in use) as the file it came from, with its weights."""
    source = session.config_yaml() or DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    try:
        return _text(source, tuple((k.id, float(k.weight)) for k in config.kpis))
    except ScoringInputError:  # not expected for a file that loaded; a plain dump still works
        return dump_config(config)
