"""Every shared session key of the app, typed, with its default, in one place.

Pages never touch these keys directly: they call the accessors below. Widget keys are the other
kind of session key: each belongs to the page that draws the widget and starts with its prefix
(overview_, sim_, dept_, w_, sens_, scn_, data_); no page reads another page's widget keys. Values
that must outlive a page switch are either here or kept by Streamlit itself
(`persist_state="session"` on the widget).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
import streamlit as st

from scoring.data import Dataset
from scoring.goal import GoalTarget
from scoring.share import LeverState, ScenarioState


@dataclass(frozen=True)
class UploadedData:
    """A validated uploaded data set with a key naming its content (for cache keys: a value,
    never an object id) and what was replaced (for the Data page's summary)."""

    key: str
    dataset: Dataset
    replaced: tuple[str, ...]  # "ranking", "departments"
    totals: pd.Series | None  # the uploaded published totals, if any


@dataclass(frozen=True)
class Notice:
    """A message to show once, on the page that asked for it, after a callback."""

    page: str
    kind: str  # "success" | "info" | "warning" | "error"
    text: str
    problems: tuple[str, ...] = ()


# key -> default. The one list of shared keys; init() sets them once per session, in app.py.
LANG: Final = "lang"
PRESENTER: Final = "presenter"
SCENARIO: Final = "scenario"
PRESET: Final = "scenario_source"
CONFIG_YAML: Final = "config_yaml"
DATA: Final = "uploaded_data"
GOAL: Final = "goal_request"
GOAL_SCENARIO: Final = "goal_scenario"
PEER_DRIFT: Final = "peer_drift"
STATE_KPIS: Final = "state_kpis"
FULL_MODE: Final = "full_mode"
HISTORY: Final = "history_months"
NOTICES: Final = "notices"
LINK_APPLIED: Final = "link_applied"

DEFAULTS: Final[dict[str, Any]] = {
    LANG: "en",  # sidebar language switch (a widget key as well)
    PRESENTER: False,  # sidebar presenter switch (a widget key as well)
    SCENARIO: ScenarioState(),  # levers, assumptions, weights: one validated model
    PRESET: None,  # id of the preset or "plan" the levers came from; None = made by hand
    CONFIG_YAML: None,  # uploaded model YAML text; None = config/kpis.yaml
    DATA: None,  # UploadedData; None = bundled data
    GOAL: None,  # GoalTarget last asked of goal seek; its result comes from services.goal()
    GOAL_SCENARIO: None,  # ScenarioState in the simulator when that goal was asked
    PEER_DRIFT: None,  # float (every state) or {state: points per month}
    STATE_KPIS: None,  # validated table of other states' raw KPI values
    FULL_MODE: False,  # score every state by the model (needs STATE_KPIS)
    HISTORY: {},  # {as_of ISO date: ranking DataFrame}
    NOTICES: (),  # tuple[Notice, ...]
    LINK_APPLIED: False,  # a shared link's scenario is applied once per session
}


def init() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def _get(key: str) -> Any:
    return st.session_state.get(key, DEFAULTS[key])


# --- language and presenter ---------------------------------------------------------------


def lang() -> str:
    value = st.session_state.get(LANG, "en")
    return value if value in ("en", "hi") else "en"


def presenter() -> bool:
    return bool(_get(PRESENTER))


# --- the scenario ----------------------------------------------------------------------------


def scenario() -> ScenarioState:
    value = _get(SCENARIO)
    return value if isinstance(value, ScenarioState) else ScenarioState()


def set_scenario(state: ScenarioState, source: str | None = None) -> None:
    """Replace the whole scenario; `source` names the preset or plan it came from."""
    st.session_state[SCENARIO] = state
    st.session_state[PRESET] = source


def levers() -> tuple[LeverState, ...]:
    return scenario().levers


def set_levers(levers: tuple[LeverState, ...], source: str | None = None) -> None:
    """Replace the levers (assumptions and weights stay); `source` as in set_scenario."""
    st.session_state[SCENARIO] = scenario().model_copy(update={"levers": tuple(levers)})
    st.session_state[PRESET] = source


def set_assumptions(assumptions: dict[str, Any] | None) -> None:
    st.session_state[SCENARIO] = scenario().model_copy(
        update={"assumptions": dict(assumptions) if assumptions else None}
    )


def set_weights(weights: dict[str, float] | None) -> None:
    st.session_state[SCENARIO] = scenario().model_copy(
        update={"weights": dict(weights) if weights else None}
    )


def scenario_source() -> str | None:
    value = _get(PRESET)
    return value if isinstance(value, str) else None


# --- model and data ----------------------------------------------------------------------------


def config_yaml() -> str | None:
    value = _get(CONFIG_YAML)
    return value if isinstance(value, str) else None


def set_config_yaml(text: str | None) -> None:
    st.session_state[CONFIG_YAML] = text


def uploaded_data() -> UploadedData | None:
    value = _get(DATA)
    return value if isinstance(value, UploadedData) else None


def set_uploaded_data(data: UploadedData | None) -> None:
    st.session_state[DATA] = data


def goal_request() -> GoalTarget | None:
    value = _get(GOAL)
    return value if isinstance(value, GoalTarget) else None


def set_goal_request(target: GoalTarget | None) -> None:
    """Ask for a goal; the scenario of the moment is kept with it (its plan belongs to that
    scenario: scoring.plan_scope)."""
    st.session_state[GOAL] = target
    st.session_state[GOAL_SCENARIO] = scenario() if target is not None else None


def goal_scenario() -> ScenarioState | None:
    value = _get(GOAL_SCENARIO)
    return value if isinstance(value, ScenarioState) else None


# --- sensitivity ------------------------------------------------------------------------------


def peer_drift() -> float | dict[str, float] | None:
    value = _get(PEER_DRIFT)
    return value if isinstance(value, float | int | dict) and value else None


def set_peer_drift(drift: float | dict[str, float] | None) -> None:
    st.session_state[PEER_DRIFT] = drift


def state_kpis() -> pd.DataFrame | None:
    value = _get(STATE_KPIS)
    return value if isinstance(value, pd.DataFrame) else None


def set_state_kpis(frame: pd.DataFrame | None) -> None:
    st.session_state[STATE_KPIS] = frame


def full_mode() -> bool:
    return bool(_get(FULL_MODE)) and state_kpis() is not None


def set_full_mode(on: bool) -> None:
    st.session_state[FULL_MODE] = bool(on)


def history_months() -> dict[str, pd.DataFrame]:
    value = _get(HISTORY)
    return dict(value) if isinstance(value, dict) else {}


def set_history_months(months: dict[str, pd.DataFrame]) -> None:
    st.session_state[HISTORY] = dict(months)


# --- messages shown once ------------------------------------------------------------------------


def notify(page: str, kind: str, text: str, problems: tuple[str, ...] | list[str] = ()) -> None:
    """Keep a message for `page` to show on its next run (callbacks cannot draw)."""
    st.session_state[NOTICES] = (*_get(NOTICES), Notice(page, kind, text, tuple(problems)))


def take_notices(page: str) -> list[Notice]:
    """The messages waiting for `page`, removed from the session."""
    waiting = [n for n in _get(NOTICES) if isinstance(n, Notice)]
    st.session_state[NOTICES] = tuple(n for n in waiting if n.page != page)
    return [n for n in waiting if n.page == page]


# --- shared links -------------------------------------------------------------------------------


def link_applied() -> bool:
    return bool(_get(LINK_APPLIED))


def mark_link_applied() -> None:
    st.session_state[LINK_APPLIED] = True


def data_as_of() -> dt.date | None:
    data = uploaded_data()
    return data.dataset.as_of if data else None
