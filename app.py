"""Entry point of the iGOT rank simulator: state, language switch and page navigation."""

from __future__ import annotations

import streamlit as st

from app_ui.i18n import LANGUAGE_NAMES, LANGUAGES
from app_ui.state import init_state, t

st.set_page_config(page_title="iGOT rank simulator", page_icon="📈", layout="wide")
init_state()

with st.sidebar:
    st.selectbox(
        t("common.language"),
        LANGUAGES,
        format_func=lambda code: LANGUAGE_NAMES[code],
        key="lang",
    )

pages = [
    st.Page("pages/overview.py", title=t("nav.overview"), icon="🏠", default=True),
    st.Page("pages/simulator.py", title=t("nav.simulator"), icon="🎯"),
    st.Page("pages/departments.py", title=t("nav.departments"), icon="🏢"),
    st.Page("pages/weights.py", title=t("nav.weights"), icon="⚖️"),
    st.Page("pages/sensitivity.py", title=t("nav.sensitivity"), icon="🎲"),
    st.Page("pages/data.py", title=t("nav.data"), icon="🗂️"),
]
st.navigation(pages).run()
