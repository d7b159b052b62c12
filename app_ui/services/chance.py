"""Cached calls behind the chance of a rank: a scenario's chance, a plan's chance, and the price of
certainty (the plans that hold in 50 to 95% of plausible weightings).

Keys are values (a ModelRef's key, an additions digest, the target, P, the prior), never object
ids. The plausible-weighting sample itself is kept per model object by scoring.chance.sample_for
(the model is a shared cached object, so a lever change reuses it: about 1 ms a chance).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from app_ui import services
from app_ui.services import ModelRef
from scoring.chance import DEFAULT_PRIOR, Chance, Prior, chance_of_rank, chance_of_score, wilson
from scoring.goal import GoalResult, GoalTarget
from scoring.robust import LEVELS, RobustPlan, price_of_certainty

CHANCE_LEVELS = tuple(round(p * 100) for p in LEVELS)  # 50, 75, 90, 95
DEFAULT_LEVEL = 90


@st.cache_resource(max_entries=256, show_spinner=False)
def _scenario_chance(
    model_key: str, added_key: str, prior: Prior, _ref: ModelRef, _added: np.ndarray
) -> Chance:
    return chance_of_rank(_ref.model, _added, None, prior)


def scenario_chance(
    added: np.ndarray, ref: ModelRef | None = None, prior: Prior = DEFAULT_PRIOR
) -> Chance:
    """The chance that additions (M,) give at least the rank they give under the configured
    weights, over plausible weightings and the model file's variants."""
    ref = services.model_ref() if ref is None else ref
    return _scenario_chance(ref.key, services.added_key(added), prior, ref, added)


@st.cache_resource(max_entries=128, show_spinner=False)
def _plan_chance(
    model_key: str, added_key: str, needed: float, prior: Prior, _ref: ModelRef, _added: np.ndarray
) -> tuple[float, tuple[float, float]]:
    hits, draws = chance_of_score(_ref.model, _added, needed, prior)
    return hits / draws, wilson(hits, draws)


def plan_chance(
    result: GoalResult, ref: ModelRef | None = None, prior: Prior = DEFAULT_PRIOR
) -> tuple[float, tuple[float, float]]:
    """The share of plausible weightings under which a goal plan reaches the goal's own needed
    score (passing a state means scoring above it), with its 95% interval."""
    ref = services.model_ref() if ref is None else ref
    added = np.asarray(result.allocation, dtype=float)
    key = services.added_key(added)
    return _plan_chance(ref.key, key, float(result.needed_score), prior, ref, added)


@st.cache_resource(max_entries=16, show_spinner=False)
def _price(
    model_key: str, rank: int | None, beat: str | None, prior: Prior, _ref: ModelRef
) -> tuple[RobustPlan, ...]:
    return price_of_certainty(_ref.model, GoalTarget(rank=rank, beat=beat), LEVELS, prior)


def price(
    target: GoalTarget, ref: ModelRef | None = None, prior: Prior = DEFAULT_PRIOR
) -> tuple[RobustPlan, ...]:
    """Plans for a 50, 75, 90 and 95% chance of the target, each checked on a fresh sample
    (4 to 9 s of CPU the first time: the page asks for it only with a chance plan or the chart)."""
    ref = services.model_ref() if ref is None else ref
    return _price(ref.key, target.rank, target.beat, prior, ref)
