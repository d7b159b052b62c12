"""The address bar and shareable links: the session's scenario, language and model shape kept in
the query string as the user works, and followed on reload, bookmarks and back/forward.

One place writes the address bar (write_address_bar): app.py calls sync_address_bar() on every
full run, and the session calls write_address_bar after every scenario or model-file change
(callbacks and fragment reruns, where app.py does not run). Streamlit pushes a browser history
entry for each change of st.query_params, so Back steps through the user's changes; on a Back
or Forward, Streamlit reruns the app with the older query string and marks the run as a
history navigation, and follow_address_bar applies it. Any other query string that differs from
the one last written is a stale copy from the browser (a widget change sent before our last
write arrived) and is overwritten, never applied: the user's own edits always win.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app_ui import services, session
from app_ui.l10n import LANGUAGES, t
from app_ui.session import OtherModel
from app_ui.text import plain
from scoring.config import ModelConfig
from scoring.errors import ScoringInputError
from scoring.portable import Opened, Portable, from_link, to_link
from scoring.scenario import lever_additions
from scoring.share import (
    MAX_LINK_CHARS,
    QUERY_KEY,
    ScenarioState,
    encode_link,
    load_link,
    parse_state,
)

SIMULATOR_PATH = "simulator"  # url path of app_pages/simulator.py, where a shared link should land
MODEL_KEY = "model"  # fingerprint of the sender's model shape, when a link cannot carry it
LANG_KEY = "lang"
EDITION_KEY = "edition"  # the data edition's date when the session chose one (_edition)
OWN_KEYS = (QUERY_KEY, MODEL_KEY, LANG_KEY, EDITION_KEY)
MAX_FINGERPRINT_CHARS = 64


def check_state(state: ScenarioState) -> None:
    """Raise ScoringInputError unless the state fits the current model and data exactly."""
    state.check_against(services.file_config())
    # Resolving every target now means a stale or hostile name is refused here, not on a page.
    lever_additions(services.dataset().departments, state.to_scenario().levers)


def apply_state(state: ScenarioState) -> None:
    """Make `state` the session's scenario (validated first; on error nothing changes). A state
    that names no edition keeps the session's: the address bar carries the edition apart."""
    check_state(state)
    if state.edition is None:
        state = state.model_copy(update={"edition": session.edition()})
    session.set_scenario(state)


# --- what a link carries ------------------------------------------------------------------------


def _bundled() -> ModelConfig:
    return services.config_from_text(None)


def portable() -> Portable:
    """The session's scenario as a link carries it (see scoring/portable.py); the edition goes
    in its own parameter (address_params)."""
    state = session.scenario().model_copy(update={"edition": None})
    try:
        return to_link(state, services.file_config(), _bundled())
    except ScoringInputError:
        # The scenario does not fit its own model file (the page says so): kept as it is.
        return Portable(state)


def _encoded(state: ScenarioState) -> str | None:
    """The link text of a state, or None when it does not fit in a link."""
    try:
        param = encode_link(state)
    except ScoringInputError:  # a scenario too long for a link
        return None
    return param if len(param) <= MAX_LINK_CHARS else None


def link_params() -> dict[str, str]:
    """Query parameters that reproduce the session's scenario for anyone: empty for the
    published position (no levers, the bundled model's weights and assumptions)."""
    link = portable()
    if link.state == ScenarioState():
        return {}
    encoded = _encoded(link.state)
    if encoded is None:
        return {}
    params = {QUERY_KEY: encoded}
    other = session.other_model()
    if link.model:
        params[MODEL_KEY] = link.model
    elif other is not None:  # still the scenario of another model: whoever opens it is told
        params[MODEL_KEY] = other.fingerprint
    return params


def open_link(value: str, model: str | None) -> tuple[Opened, tuple[str, ...]]:
    """The scenario of a link's parameters as it opens under this session's model file, and
    the notes of what loading normalised (two levers on one unit merged); ScoringInputError for
    a damaged or hostile link."""
    if model is not None and len(model) > MAX_FINGERPRINT_CHARS:
        model = model[:MAX_FINGERPRINT_CHARS]  # cannot match any fingerprint: "another model"
    loaded = load_link(value)
    opened = from_link(Portable(loaded.state, model), services.file_config(), _bundled())
    return opened, tuple(loaded.notes)


# --- the edition (hook) -------------------------------------------------------------------------


def _edition() -> str | None:
    """The ISO date of the data edition the session chose, for the address bar and links; None
    while it is the latest, so that plain links keep following new months."""
    chosen = session.edition()
    return chosen.isoformat() if chosen else None


def _apply_edition(value: str | None) -> None:
    """Make the edition named in the address bar the session's (none named: the latest). A
    malformed date warns like a bad link and keeps the latest; a date that names no published
    edition is said by every page's dates (app_ui.views.dates), which show the latest."""
    if value is None:
        session.set_edition(None)
        return
    try:
        chosen = parse_state({"edition": value[:40]}, "link").edition
    except ScoringInputError as exc:
        st.warning(plain(t("scenarios.link_invalid", problem="; ".join(exc.problems))), icon="⚠️")
        chosen = None
    session.set_edition(chosen)


# --- the address bar ----------------------------------------------------------------------------


def address_params() -> dict[str, str]:
    """Everything the address bar keeps: the scenario (and model shape), language, edition."""
    params = link_params()
    if session.lang() != "en":
        params[LANG_KEY] = session.lang()
    edition = _edition()
    if edition:
        params[EDITION_KEY] = edition
    return params


def _own_params() -> dict[str, str]:
    return {key: str(st.query_params[key]) for key in OWN_KEYS if key in st.query_params}


def _is_history_navigation() -> bool:
    """True when the browser's Back or Forward button started this run."""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def write_address_bar() -> None:
    """Put the session's scenario, language and edition into the query string, if they changed
    (one browser history entry per change)."""
    wanted = address_params()
    session.set_address(wanted)
    if wanted == _own_params():
        return
    others = {key: st.query_params.get_all(key) for key in st.query_params if key not in OWN_KEYS}
    st.query_params.from_dict({**others, **wanted})  # one message, so one history entry


def follow_address_bar(history_navigation: bool | None = None) -> None:
    """Apply the query string on a new session (reload, bookmark, shared link) and on Back and
    Forward; otherwise leave the session alone. A bad link only warns."""
    incoming = _own_params()
    last = session.address()
    if history_navigation is None:
        history_navigation = _is_history_navigation()
    if last is not None and (incoming == last or not history_navigation):
        return
    session.set_address(incoming)
    # A new session keeps its language unless the address names one; Back to an address
    # without one means English, the default that address was written under.
    lang = incoming.get(LANG_KEY, "en" if last is not None else None)
    if lang in LANGUAGES:
        session.set_lang(lang)
    _apply_edition(incoming.get(EDITION_KEY))
    value = incoming.get(QUERY_KEY)
    if value is None:
        if last is not None:  # back to an address without a scenario: the published position
            session.set_scenario(ScenarioState(edition=session.edition()))
        return
    try:
        opened, notes = open_link(value, incoming.get(MODEL_KEY))
        apply_state(opened.state)
    except ScoringInputError as exc:
        problems = "; ".join(exc.problems)
        if len(problems) > 300:
            problems = problems[:297] + "..."
        st.warning(plain(t("scenarios.link_invalid", problem=problems)), icon="⚠️")
        return
    fingerprint = incoming.get(MODEL_KEY)
    if opened.other_model and fingerprint is not None:
        session.set_other_model(OtherModel(opened.state, fingerprint[:MAX_FINGERPRINT_CHARS]))
    else:
        session.set_other_model(None)
    if notes:  # the link was normalised (e.g. two levers on one unit merged): say how
        st.info(plain(t("links.link_normalised", notes="; ".join(notes))), icon="ℹ️")
    if last is None:
        st.toast(t("scenarios.link_applied"), icon=":material/link:")


def sync_address_bar() -> None:
    """Once per full run, from app.py: follow the address bar, then write the session to it."""
    session.watch_scenario(write_address_bar)
    follow_address_bar()
    write_address_bar()
    _other_model_warning()


def _other_model_warning() -> None:
    """While the scenario of a link made under a model of another shape is shown unchanged,
    say so on every page; a change of the scenario or the model file ends it."""
    if session.other_model() is not None:
        st.warning(t("links.other_model"), icon="⚠️")


# --- the share box ------------------------------------------------------------------------------


def share_url(params: dict[str, str]) -> str:
    """An absolute link to the simulator with these parameters, or a relative one if the app's
    address is unknown."""
    query = urlencode(params)
    url = getattr(st.context, "url", None)
    if not url:
        return f"{SIMULATOR_PATH}?{query}"
    parts = urlsplit(str(url))
    base = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{base}/{SIMULATOR_PATH}", query, ""))


def share_box() -> None:
    """The shareable link of the current scenario, with a copy button, and what it carries when
    the model file is an uploaded one."""
    link = portable()
    if _encoded(link.state) is None:
        st.info(t("scenarios.share_too_long"))
        return
    st.caption(t("scenarios.share_help"))
    params = link_params() or {QUERY_KEY: encode_link(link.state)}
    if (edition := _edition()) is not None:
        params[EDITION_KEY] = edition
    st.code(share_url(params), language=None, wrap_lines=True)
    if session.config_yaml() is not None:
        st.caption(t("links.share_other_shape" if link.model else "links.share_same_shape"))
