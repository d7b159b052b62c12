"""The chance services: cached by value (equal additions, same object; another model key or prior,
a fresh computation) and equal to the engine's own answers, checked here by brute force."""

from __future__ import annotations

import numpy as np
import pytest

from app_ui.services import ModelRef
from app_ui.services import chance as services
from scoring.chance import Prior, chance_of_rank, sample_for
from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import build_model, simulate
from scoring.goal import GoalTarget, goal_seek
from scoring.scenario import Lever, LeverKind, Scenario, lever_additions
from scoring.sensitivity import draw_weights

pytestmark = pytest.mark.filterwarnings("ignore")
EDUCATION = "Education Department, Bihar"


@pytest.fixture(scope="module")
def ref() -> ModelRef:
    return ModelRef("test-model", build_model(load_config(), load_dataset()))


def _added(ref: ModelRef, value: int) -> np.ndarray:
    lever = Lever(EDUCATION, LeverKind.ADD, value)
    return lever_additions(ref.model.data.departments, (lever,)).added


def test_scenario_chance_is_cached_by_value(ref: ModelRef) -> None:
    added = _added(ref, 30_000)
    first = services.scenario_chance(added, ref)
    assert services.scenario_chance(added.copy(), ref) is first
    assert services.scenario_chance(added, ModelRef("other-key", ref.model)) is not first
    assert first == chance_of_rank(ref.model, added)
    assert (first.rank, first.score, first.rival, first.margin) == (7, 40.93, "TAMIL NADU", 0.54)
    assert first.chance == pytest.approx(0.99905)


def test_scenario_chance_agrees_with_simulate_under_each_weighting(ref: ModelRef) -> None:
    """Brute force: the scenario simulated under each of 150 weightings of the Sensitivity
    page's draw, one at a time through the engine's own `simulate`, counting rank 7 or better."""
    prior = Prior(draws=150, seed=3, variants=False)
    added = _added(ref, 30_000)
    shown = services.scenario_chance(added, ref, prior)
    config = load_config()
    data = load_dataset()
    lever = Lever(EDUCATION, LeverKind.ADD, 30_000)
    hits = 0
    for row in draw_weights(ref.model.weights, 150, 30.0, 3):
        weights = {k.id: float(w) for k, w in zip(config.kpis, row, strict=True)}
        model = build_model(config.with_weights(weights), data)
        hits += simulate(model, Scenario(levers=(lever,))).rank <= 7
    assert shown.chance == hits / 150


def test_plan_chance_is_the_share_reaching_the_goals_needed_score(ref: ModelRef) -> None:
    fewest = goal_seek(ref.model, GoalTarget(beat="TAMIL NADU"))
    assert fewest.extra_completers == 3_328 and fewest.needed_score == 40.40
    chance, (low, high) = services.plan_chance(fewest, ref)
    assert services.plan_chance(fewest, ref) == (chance, (low, high))
    scores = sample_for(ref.model).scores(ref.model, fewest.allocation[None])[0]
    assert chance == np.count_nonzero(scores >= 40.40 - 1e-9) / scores.size
    assert low < chance < high
    assert round(chance, 2) == 0.29
