"""Entry point of the iGOT rank simulator: state, shared links, language and presenter switches,
and page navigation."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st

from app_ui.auth import sidebar_user, sign_in_gate
from app_ui.i18n import LANGUAGE_NAMES, LANGUAGES
from app_ui.presenter import apply_presenter_css
from app_ui.share import restore_from_query_params
from app_ui.state import init_state, t

# A file of our own: a Material icon as page icon makes the browser fetch it from Google's font
# server, which this deployment cannot reach (and must not depend on).
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
st.set_page_config(page_title="iGOT rank simulator", page_icon=str(FAVICON), layout="wide")
init_state()
sign_in_gate()  # only when .streamlit/secrets.toml has [auth]: a sign-in button, nothing else
restore_from_query_params()

with st.sidebar:
    st.selectbox(
        t("common.language"),
        LANGUAGES,
        format_func=lambda code: LANGUAGE_NAMES[code],
        key="lang",
    )
    st.toggle(t("common.presenter"), key="presenter", help=t("common.presenter_help"))
    sidebar_user()
apply_presenter_css()

pages = [
    st.Page("app_pages/overview.py", title=t("nav.overview"), icon=":material/home:", default=True),
    st.Page("app_pages/simulator.py", title=t("nav.simulator"), icon=":material/tune:"),
    st.Page("app_pages/departments.py", title=t("nav.departments"), icon=":material/apartment:"),
    st.Page("app_pages/weights.py", title=t("nav.weights"), icon=":material/balance:"),
    st.Page("app_pages/sensitivity.py", title=t("nav.sensitivity"), icon=":material/casino:"),
    st.Page("app_pages/scenarios.py", title=t("nav.scenarios"), icon=":material/bookmarks:"),
    st.Page("app_pages/data.py", title=t("nav.data"), icon=":material/database:"),
]
try:
    st.navigation(pages).run()
except Exception:  # Streamlit's own rerun/stop signals are BaseExceptions and pass through.
    if os.environ.get("IGOT_DEBUG"):
        raise  # tests (and developers) see the real exception
    logging.getLogger("igot").exception("unexpected error while rendering a page")
    st.error(t("common.unexpected_error"))
