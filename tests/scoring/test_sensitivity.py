"""Monte Carlo over weights, the tornado, and marginal gains, with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.sensitivity import (
    draw_weights,
    marginal_gain_by_department,
    rank_distribution,
    ranks_of,
    tornado,
)


def _education(model: Model, n: int) -> np.ndarray:
    added = np.zeros(len(model.base_rows))
    added[(model.departments["id"] == "education-department-bihar").to_numpy()] = n
    return added


def test_draws_are_reproducible_and_on_the_simplex(model: Model) -> None:
    a = draw_weights(model.weights, 1_000, 50.0, seed=3)
    b = draw_weights(model.weights, 1_000, 50.0, seed=3)
    assert np.array_equal(a, b)
    assert np.allclose(a.sum(axis=1), 1.0) and (a >= 0).all()
    # High concentration stays near the configured weights.
    assert np.allclose(
        draw_weights(model.weights, 5_000, 1e6, seed=1).mean(axis=0),
        model.weights / model.weights.sum(),
        atol=1e-3,
    )


def test_zero_weights_stay_zero_and_bad_arguments_fail(model: Model) -> None:
    base = model.weights.copy()
    base[0] = 0
    assert (draw_weights(base, 100, None)[:, 0] == 0).all()
    with pytest.raises(ScoringInputError):
        draw_weights(base, 0, None)
    with pytest.raises(ScoringInputError):
        draw_weights(base, 10, -1.0)


def test_ranks_of_handles_ties_and_rounding(model: Model) -> None:
    assert ranks_of(model, np.array([40.39, 40.386, 40.384, 38.0, 90.0])).tolist() == [
        7,
        7,
        8,
        9,
        1,
    ]


def test_baseline_is_certain_and_a_big_push_always_climbs(model: Model) -> None:
    weights = draw_weights(model.weights, 20_000, None, seed=0)
    dist = rank_distribution(model, _education(model, 50_000), weights)
    assert dist.baseline[dist.ranks == 8][0] == 1.0  # anchored: published under any weights
    assert dist.scenario.sum() == pytest.approx(1.0)
    # Uniform weights include extreme ones (nearly all on the pass rate): 7th in > 99% of them.
    assert 0.99 < dist.at_or_better(7) < 1.0
    assert dist.at_or_better(6) == 0.0
    near = rank_distribution(
        model, _education(model, 50_000), draw_weights(model.weights, 20_000, 50.0, seed=0)
    )
    assert near.at_or_better(7) == 1.0


def test_an_edge_scenario_splits_between_ranks(model: Model) -> None:
    # About 1.3 points: enough to pass Tamil Nadu under some weightings, not others.
    weights = draw_weights(model.weights, 20_000, 5.0, seed=0)
    dist = rank_distribution(model, _education(model, 21_000), weights)
    p7 = dist.at_or_better(7)
    assert 0.05 < p7 < 0.95
    assert dist.scenario[dist.ranks == 8][0] == pytest.approx(1 - p7)


def test_tornado_halves_and_doubles_each_weight(model: Model) -> None:
    frame = tornado(model, _education(model, 50_000))
    assert len(frame) == len(model.weights)
    assert (frame["central_score"] == 42.15).all()
    row = frame.set_index("kpi").loc["pass_rate"]
    assert (
        row["half_score"] >= 42.15 >= row["double_score"] - 0.01
        or row["half_score"] <= 42.15 <= row["double_score"] + 0.01
    )
    assert frame["swing"].is_monotonic_decreasing


def test_small_units_are_worth_most_per_completer_under_mdo_share(model: Model) -> None:
    frame = marginal_gain_by_department(model)
    top = frame.iloc[0]
    # District Gopalganj: 1 onboarded, 0 active; one completer crosses the half-active line,
    # worth 1/100 of the 10-point hygiene KPI = 0.1 points.
    assert top["department"] == "District Gopalganj, Bihar"
    assert top["completers"] == 1 and top["points"] == pytest.approx(0.1, abs=0.001)
    assert (frame["points"] >= 0).all()
