"""Data: the editions (publish, withdraw, list), provenance of the bundled tables, repairs,
reconciliation, and validated uploads previewed in the session."""

from __future__ import annotations

import streamlit as st

from app_ui import services
from app_ui.l10n import t
from app_ui.views import dates, sources
from app_ui.views import editions as edition_views
from app_ui.widgets import editions as edition_widgets
from app_ui.widgets import uploads
from app_ui.widgets.notices import show_notices
from app_ui.widgets.problems import show_problems
from scoring.errors import ScoringInputError

st.title(t("data.title"))
st.caption(t("data.intro"))
show_notices(uploads.PAGE)
try:
    config = services.current_config()
    data = services.dataset()
except ScoringInputError as error:
    show_problems(error.problems, t("common.input_error"), error.source)
    st.stop()
uploads.status(data)
dates.show("data")
edition_widgets.picker()
sources.provenance(config.focus_state.upper())
sources.reconcile(data)
sources.repairs(data)
uploads.uploads(data)
edition_widgets.publish_form()
edition_views.listing()
edition_widgets.withdraw_form()
