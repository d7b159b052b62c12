"""Every shared session key of the app, typed, with its default, in one place.

Pages never touch these keys directly: they call the accessors below. Widget keys are the other
kind of session key: each belongs to the page that draws the widget and starts with its prefix
(overview_, sim_, dept_, w_, sens_, scn_, data_); no page reads another page's widget keys. Values
that must outlive a page switch are either here or kept by Streamlit itself
(`persist_state="session"` on the widget).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


@dataclass(frozen=True)
class OtherModel:
    """A scenario opened from a link made under a model of another shape, and that shape's
    fingerprint (kept in the address while the scenario is unchanged)."""

    state: ScenarioState
    fingerprint: str


@dataclass(frozen=True)
class Step:
    """One scenario in the undo/redo history, with the preset or plan it came from."""

    state: ScenarioState
    source: str | None = None


# key -> default. The one list of shared keys; init() sets them once per session, in app.py.
LANG: Final = "lang"
PRESENTER: Final = "presenter"
SCENARIO: Final = "scenario"
PRESET: Final = "scenario_source"
CONFIG_YAML: Final = "config_yaml"
DATA: Final = "uploaded_data"
GOAL: Final = "goal_request"
GOAL_LEVEL: Final = "goal_level"
GOAL_SCENARIO: Final = "goal_scenario"
PEER_DRIFT: Final = "peer_drift"
STATE_KPIS: Final = "state_kpis"
FULL_MODE: Final = "full_mode"
HISTORY: Final = "history_months"
NOTICES: Final = "notices"
ADDRESS: Final = "address_params"
UNDO: Final = "scenario_undo"
REDO: Final = "scenario_redo"
WATCHERS: Final = "scenario_watchers"
OTHER_MODEL: Final = "link_other_model"
MAX_UNDO: Final = 50

DEFAULTS: Final[dict[str, Any]] = {
    LANG: "en",  # sidebar language switch (a widget key as well)
    PRESENTER: False,  # sidebar presenter switch (a widget key as well)
    SCENARIO: ScenarioState(),  # levers, assumptions, weights: one validated model
    PRESET: None,  # id of the preset or "plan" the levers came from; None = made by hand
    CONFIG_YAML: None,  # uploaded model YAML text; None = config/kpis.yaml
    DATA: None,  # UploadedData; None = bundled data
    GOAL: None,  # GoalTarget last asked of goal seek; its result comes from services.goal()
    GOAL_LEVEL: None,  # chance (%) the asked plan must hold in; None = the proven fewest
    GOAL_SCENARIO: None,  # ScenarioState in the simulator when that goal was asked
    PEER_DRIFT: None,  # float (every state) or {state: points per month}
    STATE_KPIS: None,  # validated table of other states' raw KPI values
    FULL_MODE: False,  # score every state by the model (needs STATE_KPIS)
    HISTORY: {},  # {as_of ISO date: ranking DataFrame}
    NOTICES: (),  # tuple[Notice, ...]
    ADDRESS: None,  # {param: value} last written to or applied from the address bar; None = new
    UNDO: (),  # tuple[Step, ...], oldest first, at most MAX_UNDO
    REDO: (),  # tuple[Step, ...], the most recently undone last
    WATCHERS: (),  # callables run after every scenario or model-file change (the address bar)
    OTHER_MODEL: None,  # OtherModel: a link's scenario made under a model of another shape
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


def set_lang(lang: str) -> None:
    """Before the sidebar's language switch is drawn (it has this key)."""
    st.session_state[LANG] = lang


def presenter() -> bool:
    return bool(_get(PRESENTER))


# --- the scenario ----------------------------------------------------------------------------


def scenario() -> ScenarioState:
    value = _get(SCENARIO)
    return value if isinstance(value, ScenarioState) else ScenarioState()


def set_scenario(state: ScenarioState, source: str | None = None) -> None:
    """Replace the whole scenario; `source` names the preset or plan it came from. A change is
    a step that Undo takes back."""
    _change(state, source)


def levers() -> tuple[LeverState, ...]:
    return scenario().levers


def set_levers(levers: tuple[LeverState, ...], source: str | None = None) -> None:
    """Replace the levers (assumptions and weights stay); `source` as in set_scenario."""
    _change(scenario().model_copy(update={"levers": tuple(levers)}), source)


def set_assumptions(assumptions: dict[str, Any] | None) -> None:
    update = {"assumptions": dict(assumptions) if assumptions else None}
    _change(scenario().model_copy(update=update), scenario_source())


def set_weights(weights: dict[str, float] | None) -> None:
    update = {"weights": dict(weights) if weights else None}
    _change(scenario().model_copy(update=update), scenario_source())


def _change(state: ScenarioState, source: str | None) -> None:
    before = Step(scenario(), scenario_source())
    if before.state == state and before.source == source:
        return
    if before.state != state:
        st.session_state[UNDO] = (*undo_steps(), before)[-MAX_UNDO:]
        st.session_state[REDO] = ()
    _store(Step(state, source))


def _store(step: Step) -> None:
    st.session_state[SCENARIO] = step.state
    st.session_state[PRESET] = step.source
    _notify_watchers()


# --- undo and redo ---------------------------------------------------------------------------


def undo_steps() -> tuple[Step, ...]:
    return tuple(_get(UNDO))


def redo_steps() -> tuple[Step, ...]:
    return tuple(_get(REDO))


def undo() -> bool:
    """Go back one scenario change; False when there is none."""
    steps = undo_steps()
    if not steps:
        return False
    st.session_state[UNDO] = steps[:-1]
    st.session_state[REDO] = (*redo_steps(), Step(scenario(), scenario_source()))[-MAX_UNDO:]
    _store(steps[-1])
    return True


def redo() -> bool:
    """Take the last undo back; False when there is none."""
    steps = redo_steps()
    if not steps:
        return False
    st.session_state[REDO] = steps[:-1]
    st.session_state[UNDO] = (*undo_steps(), Step(scenario(), scenario_source()))[-MAX_UNDO:]
    _store(steps[-1])
    return True


def clear_history() -> None:
    st.session_state[UNDO] = ()
    st.session_state[REDO] = ()


# --- who follows scenario changes --------------------------------------------------------------


def watch_scenario(watcher: Callable[[], None]) -> None:
    """Run `watcher` after every change of the scenario or of the model file, in this session
    (also inside callbacks and fragment reruns, where app.py does not run)."""
    watchers = _get(WATCHERS)
    if watcher not in watchers:
        st.session_state[WATCHERS] = (*watchers, watcher)


def _notify_watchers() -> None:
    for watcher in _get(WATCHERS):
        watcher()


def edition() -> dt.date | None:
    """The data edition the session looks at (part of the scenario, so links carry it); None
    means the latest published."""
    return scenario().edition


def set_edition(as_of: dt.date | None) -> None:
    st.session_state[SCENARIO] = scenario().model_copy(update={"edition": as_of})


def scenario_source() -> str | None:
    value = _get(PRESET)
    return value if isinstance(value, str) else None


# --- model and data ----------------------------------------------------------------------------


def config_yaml() -> str | None:
    value = _get(CONFIG_YAML)
    return value if isinstance(value, str) else None


def set_config_yaml(text: str | None) -> None:
    st.session_state[CONFIG_YAML] = text
    _notify_watchers()  # a link carries what the model file changes


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


def goal_level() -> int | None:
    """The chance (50, 75, 90, 95%) asked of the goal's plan; None for the proven fewest."""
    value = _get(GOAL_LEVEL)
    return value if isinstance(value, int) else None


def set_goal_level(level: int | None) -> None:
    st.session_state[GOAL_LEVEL] = level


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


def address() -> dict[str, str] | None:
    """The app's query parameters as last written or applied; None before the first time."""
    value = _get(ADDRESS)
    return dict(value) if isinstance(value, dict) else None


def set_address(params: dict[str, str]) -> None:
    st.session_state[ADDRESS] = dict(params)


def other_model() -> OtherModel | None:
    """A link's scenario opened under another model than the sender's, while it is unchanged
    and the model file is the bundled one; None otherwise."""
    value = _get(OTHER_MODEL)
    if not isinstance(value, OtherModel):
        return None
    if value.state != scenario() or config_yaml() is not None:
        st.session_state[OTHER_MODEL] = None
        return None
    return value


def set_other_model(value: OtherModel | None) -> None:
    st.session_state[OTHER_MODEL] = value


def data_as_of() -> dt.date | None:
    data = uploaded_data()
    return data.dataset.as_of if data else None
