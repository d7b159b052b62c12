"""Shareable links: the session's scenario to and from the `?scenario=...` query parameter."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from app_ui import services, session
from app_ui.l10n import t
from app_ui.text import plain
from scoring.errors import ScoringInputError
from scoring.scenario import lever_additions
from scoring.share import MAX_LINK_CHARS, QUERY_KEY, ScenarioState, decode_link, encode_link

SIMULATOR_PATH = "simulator"  # url path of app_pages/simulator.py, where a shared link should land


def check_state(state: ScenarioState) -> None:
    """Raise ScoringInputError unless the state fits the current model and data exactly."""
    state.check_against(services.file_config())
    # Resolving every target now means a stale or hostile name is refused here, not on a page.
    lever_additions(services.dataset().departments, state.to_scenario().levers)


def apply_state(state: ScenarioState) -> None:
    """Make `state` the session's scenario (validated first; on error nothing changes)."""
    check_state(state)
    session.set_scenario(state)


def restore_from_query_params() -> None:
    """Apply the scenario in `?scenario=...` once per session; a bad link only warns."""
    if session.link_applied():
        return
    session.mark_link_applied()
    value = st.query_params.get(QUERY_KEY)
    if value is None:
        return
    try:
        apply_state(decode_link(str(value)))
    except ScoringInputError as exc:
        problems = "; ".join(exc.problems)
        if len(problems) > 300:
            problems = problems[:297] + "..."
        st.warning(plain(t("scenarios.link_invalid", problem=problems)), icon="⚠️")
        return
    st.toast(t("scenarios.link_applied"), icon=":material/link:")


def share_url(param: str) -> str:
    """An absolute link to the simulator with the scenario, or a relative one if the app's
    address is unknown."""
    query = f"?{QUERY_KEY}={param}"
    url = getattr(st.context, "url", None)
    if not url:
        return f"{SIMULATOR_PATH}{query}"
    parts = urlsplit(str(url))
    base = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{base}/{SIMULATOR_PATH}", query[1:], ""))


def share_box() -> None:
    """The shareable link of the current scenario, with a copy button."""
    param = encode_link(session.scenario())
    if len(param) > MAX_LINK_CHARS:
        st.info(t("scenarios.share_too_long"))
        return
    st.caption(t("scenarios.share_help"))
    st.code(share_url(param), language=None, wrap_lines=True)
