"""Weights: the KPI weights by pillar, their effect on the scenario and the goal, the model file."""

from __future__ import annotations

import streamlit as st

from app_ui import services, session
from app_ui.l10n import t
from app_ui.services import weights as weight_services
from app_ui.views import dates
from app_ui.views import weights as view
from app_ui.widgets import history, model_file
from app_ui.widgets import weights as weight_inputs
from app_ui.widgets.notices import show_notices
from app_ui.widgets.problems import show_problems
from scoring.errors import ScoringInputError
from scoring.weight_effect import weight_shares

st.title(t("weights.title"))
st.caption(t("weights.intro"))
dates.show("weights")
show_notices(weight_inputs.PAGE)

try:
    file_config = services.file_config()
    config = services.current_config()
    services.current_model()  # the scenario's weights and assumptions must fit the data too
except ScoringInputError as exc:
    show_problems(exc.problems)
    model_file.reset_model_button()
    st.stop()

st.subheader(t("weights.effect_heading"))
try:
    with st.spinner(t("weights.effect_running")):
        effect = weight_services.effect()
except ScoringInputError as exc:
    show_problems(exc.problems)
else:
    view.effect(effect, levers=len(session.levers()))

st.subheader(t("weights.inputs_heading"))
history.undo_redo("w", weight_inputs.PAGE)
shares = weight_shares(config, file_config)
weight_inputs.editors(config, shares)
view.shares_chart(config, shares)
st.caption(t("weights.normalised_note"))
st.divider()
model_file.section(config)
