"""Chance of a rank: the Sensitivity page's own draws, model variants, margin and ties."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scoring.chance import Prior, chance_of_rank, needed_for_rank, sample_for, wilson
from scoring.config import ModelConfig
from scoring.engine import Model, build_model, score_weight_batch
from scoring.errors import ScoringInputError
from scoring.goal import GoalTarget, goal_seek
from scoring.ranking import round_half_up
from scoring.sensitivity import draw_weights, rank_distribution

WEIGHTS_ONLY = Prior(variants=False)


def test_wilson_interval_by_hand() -> None:
    low, high = wilson(90, 100)
    assert (round(low, 4), round(high, 4)) == (0.8256, 0.9448)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == pytest.approx(1.0)


def test_the_sample_is_the_sensitivity_pages_draws(model: Model) -> None:
    sample = sample_for(model, WEIGHTS_ONLY)
    page = draw_weights(model.weights, WEIGHTS_ONLY.draws, 30.0, 0)
    assert np.allclose(sample.weights, page / page.sum(axis=1, keepdims=True))
    assert sample_for(model, Prior(concentration=None, variants=False)).weights.shape == (
        20_000,
        7,
    )


@pytest.mark.parametrize("concentration", [30.0, None])
def test_chance_equals_the_sensitivity_pages_rank_probability(
    model: Model, concentration: float | None
) -> None:
    added = np.zeros(len(model.base_rows))
    added[1] = 20_000  # Education
    prior = Prior(concentration=concentration, draws=20_000, seed=4, variants=False)
    chance = chance_of_rank(model, added, rank=7, prior=prior)  # 40.32 against 40.39
    weights = draw_weights(model.weights, 20_000, concentration, 4)
    page = rank_distribution(model, added, weights)
    assert chance.chance == pytest.approx(page.at_or_better(chance.rank), abs=1e-12)
    assert 0 < chance.chance < 1


def test_no_change_keeps_the_published_rank_for_certain(model: Model) -> None:
    chance = chance_of_rank(model, np.zeros(len(model.base_rows)))
    assert (chance.rank, chance.chance, chance.score) == (8, 1.0, 39.09)
    assert (chance.rival, chance.needed, chance.margin) == ("WEST BENGAL", 38.06, 1.03)
    assert not chance.tie and not chance.fragile


def test_a_plan_landing_on_the_needed_score_is_a_fragile_tie(model: Model) -> None:
    plan = goal_seek(model, GoalTarget(rank=5))
    chance = chance_of_rank(model, plan.allocation, prior=WEIGHTS_ONLY)
    assert (chance.rank, chance.rival, chance.margin, chance.tie) == (5, "ANDHRA PRADESH", 0, True)
    assert chance.fragile and 0.3 < chance.chance < 0.7  # a coin toss
    assert chance.to_dict()["chance_interval"][0] < chance.chance


def test_rank_beyond_the_category_is_always_met_and_json_safe(model: Model) -> None:
    chance = chance_of_rank(model, np.zeros(len(model.base_rows)), rank=9)
    assert chance.chance == 1.0 and math.isinf(chance.margin)
    assert chance.to_dict()["margin"] is None and chance.to_dict()["needed_score"] is None
    assert needed_for_rank(model, 1) == (82.76, "MAHARASHTRA")
    with pytest.raises(ScoringInputError, match="1 or more"):
        needed_for_rank(model, 0)


def test_variant_draws_score_like_the_variant_model(config: ModelConfig, model: Model) -> None:
    sample = sample_for(model, Prior())
    assert {int(s) for s in np.unique(sample.shape)} == {0, 1, 2}
    added = np.zeros(len(model.base_rows))
    added[[1, 60, 74]] = [5_000, 1, 1]
    scores = sample.scores(model, added[None])[0]
    for index, variant in enumerate(config.variants, start=1):
        data = config.model_dump(mode="json")
        data["kpis"] = [k.model_dump(mode="json") for k in config.variant_kpis(variant)]
        data["variants"] = []
        alone = build_model(type(config).model_validate(data), model.data)
        group = sample.groups[index]
        expected = round_half_up(
            score_weight_batch(alone, added[None], sample.weights[group])[0], 2
        )
        assert np.array_equal(scores[group], expected)
