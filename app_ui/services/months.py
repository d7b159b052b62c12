"""Cached call behind the calibration from the focus state's own months: the usable editions
and the weights fitted to the score changes between them.

Keyed by values: the database URL, editions.state_token (changes with every publication or
withdrawal) and the model config's JSON (KPIs, weights and focus state); the config rides along
unhashed. The result is shared read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app_ui.services import editions
from scoring import db
from scoring.config import ModelConfig
from scoring.month_calibration import (
    NEEDED,
    MonthCalibration,
    MonthInputs,
    fit_months,
    month_inputs,
)


@dataclass(frozen=True)
class MonthFit:
    """What the editions offer, and the fit when there are enough of them (None otherwise)."""

    inputs: MonthInputs
    fit: MonthCalibration | None


@st.cache_resource(max_entries=8, show_spinner=False)
def _month_fit(url: str, state: editions.Token, config_json: str, _config: ModelConfig) -> MonthFit:
    inputs = month_inputs(editions.database(), _config)
    if len(inputs.points) < NEEDED:
        return MonthFit(inputs, None)
    return MonthFit(inputs, fit_months(inputs.points, _config, inputs.without_focus))


def month_fit(config: ModelConfig) -> MonthFit:
    """The fit from every edition with both a ranking and a department table of the same date
    (ScoringInputError if a linear program fails)."""
    return _month_fit(db.default_url(), editions.token(), config.model_dump_json(), config)
