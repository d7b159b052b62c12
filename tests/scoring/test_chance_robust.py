"""Plans with a chance of success: checked on fresh draws, and independently on the page's own."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.chance import Prior, sample_for
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.goal import GoalTarget, goal_seek
from scoring.robust import CHECK_DRAWS, fresh_check, price_of_certainty, robust_plan
from scoring.sensitivity import draw_weights, rank_distribution

TAMIL_NADU = GoalTarget(beat="Tamil Nadu")


@pytest.fixture(scope="module")
def ninety(model: Model):  # type: ignore[no-untyped-def]
    return robust_plan(model, TAMIL_NADU, 0.9)


def test_ninety_percent_plan_holds_on_fresh_draws(model: Model, ninety) -> None:  # type: ignore[no-untyped-def]
    assert ninety.met and ninety.chance >= 0.9 and ninety.fresh_draws == CHECK_DRAWS
    low, high = ninety.interval
    assert low < ninety.chance < high and high - low < 0.01
    # The plan, replayed under the configured weights, passes Tamil Nadu.
    assert ninety.plan.score >= 40.40 and ninety.plan.rank == 7
    assert ninety.extra_completers > goal_seek(model, TAMIL_NADU).extra_completers
    assert ninety.to_dict()["chance"] == round(ninety.chance, 6)


def test_an_independent_check_on_the_sensitivity_pages_draws_confirms(
    model: Model,
    ninety,  # type: ignore[no-untyped-def]
) -> None:
    # Weights only, as the Sensitivity page samples them (concentration 30 and uniform), with
    # seeds no solving or checking sample uses.
    for concentration in (30.0, None):
        weights = draw_weights(model.weights, 100_000, concentration, seed=9_999)
        page = rank_distribution(model, ninety.plan.allocation, weights)
        assert page.at_or_better(7) >= 0.9


def test_the_fresh_sample_is_not_the_solving_sample(model: Model) -> None:
    prior = Prior()
    fresh = sample_for(model, Prior(draws=CHECK_DRAWS, seed=202))
    solving = sample_for(model, Prior(draws=2_000, seed=101))
    assert not np.allclose(fresh.weights[:2_000], solving.weights)
    chance, (low, high) = fresh_check(model, np.zeros(len(model.base_rows)), 39.09, prior)
    assert chance == 1.0 and low > 0.9999 and high == pytest.approx(1.0)


def test_price_of_certainty_rises_with_the_chance(model: Model) -> None:
    curve = price_of_certainty(model, GoalTarget(rank=5), levels=(0.5, 0.9))
    assert [p.probability for p in curve] == [0.5, 0.9]
    assert all(p.met and p.chance >= p.probability for p in curve)
    assert curve[0].extra_completers <= curve[1].extra_completers
    # Every plan also meets the target under the configured weights (the Simulator's figures).
    assert all(p.plan.rank <= 5 for p in curve)
    assert curve[0].extra_completers >= goal_seek(model, GoalTarget(rank=5)).extra_completers


def test_bad_chance_is_refused(model: Model) -> None:
    with pytest.raises(ScoringInputError, match="above 0 and below 1"):
        robust_plan(model, TAMIL_NADU, 1.0)
