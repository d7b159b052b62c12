"""Entry point of the iGOT rank simulator: session, shared links, language and presenter
switches, and page navigation."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st

from app_ui import links, session, sign_in_link
from app_ui.auth import sidebar_user, sign_in_gate
from app_ui.export.printing import apply_page_css
from app_ui.l10n import LANGUAGE_NAMES, LANGUAGES, t
from app_ui.layout import apply_layout
from app_ui.presenter import apply_presenter_css

# A file of our own: a Material icon as page icon makes the browser fetch it from Google's font
# server, which this deployment cannot reach (and must not depend on).
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
PAGES = (
    ("overview", ":material/home:"),
    ("goal", ":material/flag:"),
    ("simulator", ":material/tune:"),
    ("departments", ":material/apartment:"),
    ("weights", ":material/balance:"),
    ("sensitivity", ":material/casino:"),
    ("scenarios", ":material/bookmarks:"),
    ("data", ":material/database:"),
)

st.set_page_config(page_title="iGOT rank simulator", page_icon=str(FAVICON), layout="wide")
session.init()
# A shared link opened signed out is kept in the tab through the sign-in (Streamlit lands on the
# base URL afterwards) and opened again once signed in.
sign_in_link.keep_through_sign_in()
sign_in_gate()  # only when .streamlit/secrets.toml has [auth]: a sign-in button, nothing else
# The scenario, language (and edition) live in the address bar: reload, bookmarks and Back restore
# them; changes made later in this run (callbacks, fragments) are written by the session itself.
links.sync_address_bar()

with st.sidebar:
    st.selectbox(
        t("common.language"),
        LANGUAGES,
        format_func=lambda code: LANGUAGE_NAMES[code],
        key=session.LANG,
    )
    st.toggle(t("common.presenter"), key=session.PRESENTER, help=t("common.presenter_help"))
    sidebar_user()
apply_presenter_css()
apply_layout()
apply_page_css()  # chart tools in presenter mode, and the print layout

pages = [
    st.Page(f"app_pages/{name}.py", title=t(f"nav.{name}"), icon=icon, default=name == "overview")
    for name, icon in PAGES
]
try:
    st.navigation(pages).run()
except Exception:  # Streamlit's own rerun/stop signals are BaseExceptions and pass through.
    if os.environ.get("IGOT_DEBUG"):
        raise  # tests (and developers) see the real exception
    logging.getLogger("igot").exception("unexpected error while rendering a page")
    st.error(t("common.unexpected_error"))
