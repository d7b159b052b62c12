"""Session state defaults and cached loading of data and model, shared by every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import streamlit as st

from app_ui.format import md_escape
from app_ui.i18n import date_text, goal_reason_text, translate
from scoring.calibration import with_full_mode
from scoring.config import ModelConfig, load_config, parse_config_text
from scoring.data import Dataset, load_dataset
from scoring.drift import with_peer_drift
from scoring.engine import Model, build_model
from scoring.goal import GoalResult
from scoring.scenario import Lever, LeverKind, Scenario

# Keys say which page owns them; all are initialised once, in app.py, via init_state().
DEFAULTS: dict[str, Any] = {
    "lang": "en",
    "presenter": False,  # app.py: presenter mode (large type, editing controls hidden)
    "sim_levers": [],  # list of {"target": str, "kind": "add"|"reach", "value": float}
    "sim_assumptions": None,  # dict of scenario assumptions; None = from the config
    "weights_override": None,  # dict kpi_id -> weight; None = from the config
    "config_yaml": None,  # uploaded model YAML text; None = config/kpis.yaml
    "data_override": None,  # validated uploaded Dataset; None = bundled data
    "goal_result": None,
    "peer_drift": None,  # sensitivity page: float (all states) or {state: points per month}
    "state_kpis": None,  # sensitivity page: validated table of other states' raw KPI values
    "full_mode": False,  # sensitivity page: score every state by the model
    "history_months": {},  # sensitivity page: {as_of ISO date: ranking DataFrame}
}


def init_state() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def t(key: str, **values: Any) -> str:
    """Translate for the current session language."""
    return translate(st.session_state.get("lang", "en"), key, **values)


# The bundled data and parsed configs are shared read-only objects (cache_resource, not
# cache_data): cache_data would hand every call a fresh unpickled copy, which costs time on each
# rerun and gives the model cache below a new key each time, so the model was rebuilt twice per
# lever change. Nothing changes them in place; a test renders every page and then compares the
# shared data set with a fresh load.
@st.cache_resource(max_entries=4, show_spinner=False)
def bundled_dataset() -> Dataset:
    return load_dataset()


@st.cache_resource(max_entries=16, show_spinner=False)
def config_from_text(text: str | None) -> ModelConfig:
    return load_config() if text is None else parse_config_text(text, "uploaded model")


def current_dataset() -> Dataset:
    override = st.session_state.get("data_override")
    return override if override is not None else bundled_dataset()


def current_config() -> ModelConfig:
    config = config_from_text(st.session_state.get("config_yaml"))
    weights = st.session_state.get("weights_override")
    if weights:
        config = config.with_weights(weights)
    assumptions = st.session_state.get("sim_assumptions")
    if assumptions:
        config = config.with_assumptions(**assumptions)
    return config


@st.cache_resource(max_entries=32, show_spinner=False)
def _model(config_json: str, _config: ModelConfig, data_key: int, _data: Dataset) -> Model:
    return build_model(_config, _data)


def cached_model(config: ModelConfig, data: Dataset) -> Model:
    """A model for any config and data set, from the shared bounded cache."""
    return _model(config.model_dump_json(), config, id(data), data)


def current_model(*, with_drift: bool = True) -> Model:
    """The model every page uses: config and data, then full mode and peer drift if set."""
    config = current_config()
    data = current_dataset()
    model = cached_model(config, data)
    state_kpis = st.session_state.get("state_kpis")
    if st.session_state.get("full_mode") and state_kpis is not None:
        model = with_full_mode(model, state_kpis)
    drift = st.session_state.get("peer_drift")
    if drift and with_drift:
        model = with_peer_drift(model, drift)
    return model


def current_scenario() -> Scenario:
    """The simulator's levers as an engine Scenario (invalid entries raise ScoringInputError)."""
    levers = st.session_state.get("sim_levers") or []
    return Scenario(
        tuple(Lever(str(x["target"]), LeverKind(x["kind"]), float(x["value"])) for x in levers)
    )


def local_date(day: dt.date) -> str:
    """A date in the session language: 31 Mar 2026 / 31 मार्च 2026."""
    return date_text(st.session_state.get("lang", "en"), day)


def goal_reason(result: GoalResult) -> str:
    """Why a goal is out of reach, in the session language."""
    return goal_reason_text(st.session_state.get("lang", "en"), result)


def report_problems(problems: Iterable[str], heading: str, source: str = "") -> None:
    """Input problems as one error box; their text quotes files and names, so it is escaped."""
    lead = f"**{md_escape(source)}**: " if source else ""
    st.error("\n".join([lead + heading, *[f"- {md_escape(p)}" for p in problems]]))
