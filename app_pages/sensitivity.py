"""Sensitivity: how sure the simulator can be (weights, peers), what matters most, history."""

from __future__ import annotations

import streamlit as st

from app_ui import services, session
from app_ui.l10n import fmt_num, local_date, t
from app_ui.views import dates
from app_ui.views.calibration import calibration_view
from app_ui.views.history import history_view
from app_ui.views.peers import peers_view
from app_ui.views.uncertainty import matters_view, weights_view
from app_ui.widgets.problems import show_problems
from scoring.errors import ScoringInputError

# One view at a time: each is costly (100,000 weightings, a tornado, goal seeks), and st.tabs
# would compute every one of them on every run. Option names are fixed when drawn (a dict, not a
# lambda calling t() later), so a label is always in the language of the run that drew it.
VIEWS = ("weights", "matters", "peers", "calibration", "history")

st.title(t("sensitivity.title"))
try:
    ref = services.model_ref()
    base = services.model_ref(with_drift=False)
    outcome = services.simulation(ref=ref)
except ScoringInputError as exc:
    show_problems(exc.problems, t("sensitivity.error"))
    st.stop()
added = outcome.additions.added
st.write(t("sensitivity.intro", deadline=local_date(ref.model.config.deadline)))
dates.show("sensitivity")
if session.levers():
    st.caption(t("sensitivity.scenario_note", completers=fmt_num(added.sum())))
else:
    st.info(t("sensitivity.no_scenario"))
view = st.segmented_control(
    t("sensitivity.view"),
    VIEWS,
    default=VIEWS[0],
    required=True,
    format_func={name: t(f"sensitivity.view_{name}") for name in VIEWS}.__getitem__,
    key="sens_view",
    persist_state="session",
    label_visibility="collapsed",
)
if view == "matters":
    matters_view(ref, added)
elif view == "peers":
    peers_view(base)
elif view == "calibration":
    calibration_view(base)
elif view == "history":
    history_view(base)
else:
    weights_view(ref, added)
