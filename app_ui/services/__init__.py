"""Cached calls into the engine for the session's data, model and scenario: what pages call.

Every cache is bounded and keyed by values (the config's JSON, a data key naming the content, a
scenario's JSON, a goal's target), never by object ids. Results are shared read-only objects
(`cache_resource`): `cache_data` would unpickle a fresh copy on every call, which costs more than
most of these computations. Nothing changes them in place; a test renders every page and then
compares the shared data set with a fresh load.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from app_ui import session
from app_ui.services import editions
from scoring.config import ModelConfig, load_config, parse_config_text
from scoring.data import Dataset, load_dataset
from scoring.drift import with_peer_drift
from scoring.engine import Model, SimulationResult, simulate
from scoring.goal import GoalResult, GoalTarget, goal_seek
from scoring.nowcast import AnchoredModel
from scoring.share import ScenarioState


@st.cache_resource(max_entries=4, show_spinner=False)
def bundled_dataset() -> Dataset:
    """The files in data/ (the first edition's source): the Data page's provenance."""
    return load_dataset()


@st.cache_resource(max_entries=16, show_spinner=False)
def config_from_text(text: str | None) -> ModelConfig:
    """The model file in use: config/kpis.yaml, or an uploaded one (validated)."""
    return load_config() if text is None else parse_config_text(text, "uploaded model")


def file_config() -> ModelConfig:
    """The session's model file, before the scenario's own weights and assumptions."""
    return config_from_text(session.config_yaml())


def dataset() -> Dataset:
    """The session's data: the edition it looks at, with a previewed upload on top."""
    return editions.dataset()


def data_key() -> str:
    return editions.shown().key


def config_for(state: ScenarioState) -> ModelConfig:
    """The model file with a scenario's weights and assumptions (ScoringInputError if they do
    not fit it)."""
    config = file_config()
    if state.weights:
        config = config.with_weights(state.weights)
    if state.assumptions:
        config = config.with_assumptions(**state.assumptions)
    return config


def current_config() -> ModelConfig:
    return config_for(session.scenario())


def frame_key(frame: pd.DataFrame | None) -> str:
    """A short digest of a table's content, for cache keys."""
    if frame is None:
        return ""
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ModelRef:
    """A model and the value that names it (config, data, full mode and peer drift)."""

    key: str
    model: Model


@st.cache_resource(max_entries=32, show_spinner=False)
def _model(
    key: str,
    _config: ModelConfig,
    _data: editions.Shown,
    _state_kpis: pd.DataFrame | None,
    _drift: float | dict[str, float] | None,
) -> Model:
    model = editions.anchored(_config, _data).model
    if _state_kpis is not None:
        # Imported here: it brings scipy.optimize (about 0.3 s), which only full mode needs.
        from scoring.calibration import with_full_mode

        model = with_full_mode(model, _state_kpis)
    if _drift:
        model = with_peer_drift(model, _drift)
    return model


def model_ref(state: ScenarioState | None = None, *, with_drift: bool = True) -> ModelRef:
    """The model a scenario runs under (the session's by default): its weights and assumptions
    on its edition (the session's preview on top), with the session's full mode and peer drift,
    exactly as the simulator shows it."""
    state = session.scenario() if state is None else state
    config = config_for(state)
    data = editions.shown(state)
    kpis = session.state_kpis() if session.full_mode() else None
    drift = session.peer_drift() if with_drift else None
    key = hashlib.sha256(
        json.dumps(
            [config.model_dump_json(), data.key, frame_key(kpis), drift],
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()[:24]
    return ModelRef(key, _model(key, config, data, kpis, drift))


def current_model(*, with_drift: bool = True) -> Model:
    return model_ref(with_drift=with_drift).model


def plain_model(config: ModelConfig) -> Model:
    """A model of a config on the session's data, without full mode or drift (for comparing a
    model file with another)."""
    data = editions.shown()
    key = hashlib.sha256(f"{config.model_dump_json()}|{data.key}".encode()).hexdigest()[:24]
    return _model(f"plain:{key}", config, data, None, None)


def anchored() -> AnchoredModel:
    """The session's model on its edition with the dates it stands on and the nowcast if any
    (without full mode or drift): what the dates view states."""
    return editions.anchored(current_config(), editions.shown())


@st.cache_resource(max_entries=256, show_spinner=False)
def _simulate(
    model_key: str, scenario_json: str, _model: Model, _state: ScenarioState
) -> SimulationResult:
    return simulate(_model, _state.to_scenario())


def simulation(state: ScenarioState | None = None, ref: ModelRef | None = None) -> SimulationResult:
    """A scenario (the session's by default) under its model (ScoringInputError if it does not
    fit the data or the model)."""
    state = session.scenario() if state is None else state
    ref = model_ref(state) if ref is None else ref
    levers_only = ScenarioState(levers=state.levers)
    return _simulate(ref.key, levers_only.model_dump_json(), ref.model, levers_only)


@st.cache_resource(max_entries=64, show_spinner=False)
def _goal(model_key: str, rank: int | None, beat: str | None, _model: Model) -> GoalResult:
    return goal_seek(_model, GoalTarget(rank=rank, beat=beat))


def goal(target: GoalTarget, ref: ModelRef | None = None) -> GoalResult:
    """The fewest extra completers for a target under a model (the session's by default)."""
    ref = model_ref() if ref is None else ref
    return _goal(ref.key, target.rank, target.beat, ref.model)


def added_key(added: np.ndarray) -> str:
    """A short digest of an additions vector, for cache keys."""
    return hashlib.sha256(np.ascontiguousarray(added, dtype=float).tobytes()).hexdigest()[:16]
