"""Cached calls behind the Sensitivity page: Monte Carlo over weights, tornado, marginal gains,
the calibration fit, the rank history and Bihar's pace.

Keys are values (a ModelRef's key, an additions digest from services.added_key, draws,
concentration, seed, a table digest), never object ids; the model and arrays ride along as
underscore arguments that Streamlit does not hash. Results are shared read-only objects
(`cache_resource`, as in app_ui.services): callers copy before they change a frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
import streamlit as st

from app_ui import services
from app_ui.services import ModelRef, editions
from scoring.calibration import CalibrationResult, fit_weights
from scoring.history import Pace, load_bihar_history, pace
from scoring.sensitivity import (
    RankDistribution,
    draw_weights,
    marginal_gain_by_department,
    rank_distribution,
    tornado,
)
from scoring.trends import history_table


@st.cache_resource(max_entries=16, show_spinner=False)
def _rank_odds(
    model_key: str,
    added_key: str,
    concentration: float | None,
    draws: int,
    seed: int,
    _ref: ModelRef,
    _added: np.ndarray,
) -> RankDistribution:
    model = _ref.model
    weights = draw_weights(model.weights, draws, concentration, seed)
    return rank_distribution(model, _added, weights)


def rank_odds(
    ref: ModelRef, added: np.ndarray, concentration: float | None, draws: int, seed: int
) -> RankDistribution:
    """Probability of each rank at baseline and with `added`, over `draws` weightings drawn
    around the model's weights (uniform on the simplex when `concentration` is None)."""
    key = services.added_key(added)
    return _rank_odds(ref.key, key, concentration, int(draws), int(seed), ref, added)


@st.cache_resource(max_entries=32, show_spinner=False)
def _tornado(model_key: str, added_key: str, _ref: ModelRef, _added: np.ndarray) -> pd.DataFrame:
    return tornado(_ref.model, _added)


def weight_swings(ref: ModelRef, added: np.ndarray) -> pd.DataFrame:
    """The scenario's score and rank with each KPI's weight halved and doubled (scoring's
    tornado), biggest swing first."""
    return _tornado(ref.key, services.added_key(added), ref, added)


@st.cache_resource(max_entries=32, show_spinner=False)
def _gains(model_key: str, added_key: str, _ref: ModelRef, _added: np.ndarray) -> pd.DataFrame:
    return marginal_gain_by_department(_ref.model, _added)


def marginal_gains(ref: ModelRef, added: np.ndarray) -> pd.DataFrame:
    """Points per 1,000 more completers in each department, on top of `added`."""
    return _gains(ref.key, services.added_key(added), ref, added)


@st.cache_resource(max_entries=8, show_spinner=False)
def _fit(model_key: str, kpis_key: str, _ref: ModelRef, _kpis: pd.DataFrame) -> CalibrationResult:
    model = _ref.model
    return fit_weights(_kpis, model.data.ranking, model.config)


def calibration(ref: ModelRef, state_kpis: pd.DataFrame) -> CalibrationResult:
    """Non-negative weights that best reproduce the published scores from the states' KPI values
    (ScoringInputError when the table does not fit the model)."""
    return _fit(ref.key, services.frame_key(state_kpis), ref, state_kpis)


@st.cache_resource(max_entries=8, show_spinner=False)
def _history(
    data_key: str,
    months_key: tuple[tuple[str, str], ...],
    ranking_as_of: dt.date,
    _ranking: pd.DataFrame,
    _months: Mapping[str, pd.DataFrame],
) -> pd.DataFrame:
    return history_table(ranking_as_of, _ranking, _months)


def rank_history(months: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The session data's ranking, at the ranking's own date (not a newer department table's),
    and the uploaded months ({ISO date: ranking}) as one long table, ranks recomputed per
    month."""
    key = tuple((iso, services.frame_key(frame)) for iso, frame in sorted(months.items()))
    shown = editions.shown()
    data = shown.data
    return _history(shown.key, key, data.ranking_as_of, data.dataset.ranking, months)


@st.cache_resource(max_entries=1, show_spinner=False)
def bihar_pace() -> tuple[pd.DataFrame, Pace]:
    """Bihar's aggregate snapshots (data/bihar_history.csv) and the pace between them."""
    snapshots = load_bihar_history()
    return snapshots, pace(snapshots)
