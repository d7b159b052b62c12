"""Overview: where the focus state stands in the published ranking, and the figures behind it."""

from __future__ import annotations

import streamlit as st

from app_ui import services
from app_ui.export.printing import print_button
from app_ui.l10n import state_name, t
from app_ui.text import plain
from app_ui.views import dates
from app_ui.views import standing as view
from app_ui.widgets.problems import show_problems
from scoring import departments, standing
from scoring.errors import ScoringInputError

try:
    model = services.current_model()
except ScoringInputError as error:
    show_problems(error.problems)
    st.stop()

st.title(t("overview.title", state=plain(state_name(model.focus_state))))
st.caption(t("overview.intro"))
st.info(t("common.caveat"))
view.standing(standing.standing(model))
dates.show("overview")
print_button()
view.platform(model.focus_state, departments.totals(model.departments))

st.subheader(t("overview.ranking_heading"))
categories = standing.categories(model)
if st.session_state.get("overview_category") not in categories:
    st.session_state["overview_category"] = (
        model.focus_category if model.focus_category in categories else categories[0]
    )
category = st.selectbox(
    t("overview.category_select"), categories, key="overview_category", width=200
)
view.ranking(model, category)
view.kpis(model, standing.baseline_kpis(model))
