"""Engine calls for the Weights page: the scenario and the goal under edited and default weights
(each piece cached by value in app_ui.services)."""

from __future__ import annotations

from app_ui import services, session
from scoring.share import ScenarioState
from scoring.weight_effect import WeightEffect, goal_target, weight_effect


def effect(state: ScenarioState | None = None) -> WeightEffect:
    """A scenario (the session's by default) under its weights beside the same levers and
    assumptions under the model file's weights, with the session's goal (or passing the nearest
    state above) under each. ScoringInputError if the scenario does not fit the model."""
    state = session.scenario() if state is None else state
    default_state = state.model_copy(update={"weights": None})
    edited_ref = services.model_ref(state)
    default_ref = services.model_ref(default_state)
    target = goal_target(edited_ref.model, session.goal_request())
    return weight_effect(
        services.simulation(state, edited_ref),
        services.simulation(default_state, default_ref),
        services.goal(target, edited_ref),
        services.goal(target, default_ref),
    )
