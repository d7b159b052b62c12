"""Simulator: levers on departments, every assumption, the new score and rank, and goal seek."""

from __future__ import annotations

import streamlit as st

from app_ui import services, session
from app_ui.export.printing import print_button
from app_ui.l10n import t
from app_ui.services import chance
from app_ui.views import dates, goal, result
from app_ui.views.chance import caveat
from app_ui.widgets import assumptions, history, levers
from app_ui.widgets.notices import show_notices
from app_ui.widgets.problems import show_problems
from scoring.engine import Model, SimulationResult
from scoring.errors import ScoringInputError

st.title(t("simulator.title"))
st.caption(t("simulator.intro"))
dates.show("simulator")
print_button()
show_notices("simulator")


@st.fragment
def simulation() -> None:
    """Levers, assumptions and results: a lever change reruns only this part of the page."""
    try:
        model = services.current_model()
    except ScoringInputError as exc:
        show_problems(exc.problems)
        st.button(
            t("simulator.reset_assumptions"),
            key="sim_assumptions_reset",
            on_click=assumptions.on_reset,
        )
        return
    outcome: SimulationResult | None = None
    try:
        outcome = services.simulation()
    except ScoringInputError as exc:
        show_problems(exc.problems)
    levers.preset_note()
    result.weights_note(model)
    head = st.container()
    left, right = st.columns([5, 6], gap="large")
    # The levers are sent first, the new score after them: a count field shows the amount just
    # typed regrouped (50000 -> 50,000) by this run, and someone who types the next amount as
    # soon as the score changes must not have it overwritten by that late regrouping.
    with left:
        st.subheader(t("simulator.levers_heading"))
        # Inside the fragment, so that the buttons grey out or not after each change.
        history.undo_redo("sim", "simulator")
        levers.lever_picker(model, outcome)
        assumptions.editors(model)
    if outcome is not None:
        with head:
            result.headline(model, outcome, chance.scenario_chance(outcome.additions.added))
            caveat()
        with right:
            result.ranking(model, outcome, key="sim_ranking_chart")
        result.contributions(model, outcome, key="sim_contrib_chart")


model: Model | None
try:
    model = services.current_model()
except ScoringInputError:
    model = None  # the fragment below reports the problem
if model is not None and not session.presenter():  # presets are editing controls
    levers.preset_buttons(model)
simulation()
st.divider()
if model is not None:
    goal.form(model)
    goal.result_view(model)
