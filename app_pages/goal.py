"""What does it take? The fewest completers for a rank or to pass a state, or a plan that holds in
P% of plausible weightings, with the price of certainty; a plan loads into the Simulator."""

from __future__ import annotations

import streamlit as st

from app_ui import services
from app_ui.l10n import fmt_pct, t
from app_ui.views import goal
from app_ui.views.chance import caveat
from app_ui.views.price import price_view
from app_ui.widgets.notices import show_notices
from app_ui.widgets.problems import show_problems
from scoring.errors import ScoringInputError

st.title(t("chance.page_title"))
st.caption(t("chance.page_intro"))
show_notices("goal")
try:
    model = services.current_model()
except ScoringInputError as exc:
    show_problems(exc.problems)
    st.stop()
goal.form(model, prefix="goal")
st.caption(t("simulator.goal_intro", ceiling=fmt_pct(model.config.scenario.activation_ceiling, 0)))
caveat()
goal.result_view(model, prefix="goal")
price_view("goal")
