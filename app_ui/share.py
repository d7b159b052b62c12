"""The session's scenario as a ScenarioState: for saving, restoring, and shareable links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from app_ui.format import md_escape
from app_ui.state import config_from_text, current_dataset, t
from scoring.errors import ScoringInputError
from scoring.scenario import Lever, LeverKind, lever_additions
from scoring.share import (
    MAX_LINK_CHARS,
    QUERY_KEY,
    ScenarioState,
    decode_link,
    encode_link,
    parse_state,
)

APPLIED = "share_applied"  # the link's scenario is applied once per session, not on every rerun
SIMULATOR_PATH = "simulator"  # url path of app_pages/simulator.py, where a shared link should land


def current_state() -> ScenarioState:
    """The simulator's levers, assumptions and weights from the session, validated."""
    levers = st.session_state.get("sim_levers") or []
    data: dict[str, Any] = {
        "levers": [
            {"target": lv["target"], "kind": lv["kind"], "value": lv["value"]} for lv in levers
        ],
    }
    assumptions = st.session_state.get("sim_assumptions")
    if assumptions:
        data["assumptions"] = dict(assumptions)
    weights = st.session_state.get("weights_override")
    if weights:
        data["weights"] = dict(weights)
    return parse_state(data, "current scenario")


def check_state(state: ScenarioState) -> None:
    """Raise ScoringInputError unless the state fits the current model and data exactly."""
    config = config_from_text(st.session_state.get("config_yaml"))
    state.check_against(config)
    levers = tuple(Lever(lv.target, LeverKind(lv.kind), lv.value) for lv in state.levers)
    # Resolving every target now means a stale or hostile name is refused here, not on a page.
    lever_additions(current_dataset().departments, levers)


def apply_state(state: ScenarioState) -> None:
    """Make `state` the session's scenario (validated first; on error nothing changes)."""
    check_state(state)
    st.session_state["sim_levers"] = [
        {
            "target": lv.target,
            "kind": lv.kind,
            "value": int(lv.value) if lv.kind == LeverKind.ADD.value else float(lv.value),
        }
        for lv in state.levers
    ]
    st.session_state["sim_assumptions"] = dict(state.assumptions) if state.assumptions else None
    st.session_state["weights_override"] = dict(state.weights) if state.weights else None
    widgets = st.session_state.get("sim_widgets")
    if isinstance(widgets, dict):
        widgets.pop("preset", None)  # a "preset loaded" note would no longer be true


def restore_from_query_params() -> None:
    """Apply the scenario in `?scenario=...` once per session; a bad link only warns."""
    if st.session_state.get(APPLIED):
        return
    st.session_state[APPLIED] = True
    value = st.query_params.get(QUERY_KEY)
    if value is None:
        return
    try:
        apply_state(decode_link(str(value)))
    except ScoringInputError as exc:
        problems = "; ".join(exc.problems)
        if len(problems) > 300:
            problems = problems[:297] + "..."
        st.warning(md_escape(t("scenarios.link_invalid", problem=problems)), icon="⚠️")
        return
    st.toast(t("scenarios.link_applied"), icon=":material/link:")


def share_url_param() -> str:
    """The current scenario encoded for the `scenario` query parameter."""
    return encode_link(current_state())


def share_url(param: str) -> str:
    """An absolute link to the simulator with the scenario, or a relative one if the app's
    address is unknown."""
    query = f"?{QUERY_KEY}={param}"
    url = getattr(st.context, "url", None)
    if not url:
        return f"{SIMULATOR_PATH}{query}"
    parts = urlsplit(str(url))
    base = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    path = f"{base}/{SIMULATOR_PATH}"
    return urlunsplit((parts.scheme, parts.netloc, path, query[1:], ""))


def share_box() -> None:
    """The shareable link of the current scenario, with a copy button."""
    try:
        param = share_url_param()
    except ScoringInputError as exc:
        st.warning(md_escape(t("scenarios.share_invalid", problem="; ".join(exc.problems))))
        return
    if len(param) > MAX_LINK_CHARS:
        st.info(t("scenarios.share_too_long"))
        return
    st.caption(t("scenarios.share_help"))
    st.code(share_url(param), language=None, wrap_lines=True)
