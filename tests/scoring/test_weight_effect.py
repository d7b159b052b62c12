"""Weight shares by KPI and pillar, the default goal, and edited against default weights."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import SimulationResult, build_model, simulate
from scoring.goal import GoalResult, GoalTarget, goal_seek
from scoring.scenario import Scenario
from scoring.weight_effect import (
    completers_needed,
    goal_target,
    pillar_shares,
    weight_effect,
    weight_shares,
)


def test_shares_of_edited_weights_against_the_file() -> None:
    config = load_config()
    shares = weight_shares(config.with_weights({"completer_rate": 60}), config)
    row = shares.set_index("id")
    # The weights add up to 100 - 20 + 60 = 140.
    assert row.loc["completer_rate", "share"] == pytest.approx(60 / 140)
    assert row.loc["active_rate", "share"] == pytest.approx(15 / 140)
    assert row.loc["completer_rate", "default"] == 20
    assert shares["changed"].tolist() == [False, True, False, False, False, False, False]
    assert shares["share"].sum() == pytest.approx(1.0)
    assert pillar_shares(shares) == pytest.approx(
        {"hygiene": 10 / 140, "readiness": 75 / 140, "consumption": 55 / 140}
    )
    assert list(pillar_shares(shares)) == ["hygiene", "readiness", "consumption"]


def test_a_pillar_without_kpis_has_no_share() -> None:
    shares = pd.DataFrame({"pillar": ["readiness", "readiness"], "share": [0.25, 0.75]})
    assert pillar_shares(shares) == {"hygiene": 0.0, "readiness": 1.0, "consumption": 0.0}


def test_default_goal_is_the_nearest_state_above() -> None:
    model = build_model(load_config(), load_dataset())
    assert goal_target(model, None) == GoalTarget(beat="TAMIL NADU")
    assert goal_target(model, GoalTarget(rank=3)) == GoalTarget(rank=3)
    data = load_dataset()
    top = pd.DataFrame({"state": ["BIHAR", "X"], "category": ["C", "C"], "score": [50.0, 40.0]})
    top["rank"] = [1, 2]
    leader = build_model(load_config(), dataclasses.replace(data, ranking=top))
    assert goal_target(leader, None) == GoalTarget(rank=1)


@pytest.fixture(scope="module")
def runs() -> tuple[SimulationResult, GoalResult]:
    model = build_model(load_config(), load_dataset())
    return simulate(model, Scenario()), goal_seek(model, GoalTarget(beat="TAMIL NADU"))


def _goal(base: GoalResult, *, extra: int, reachable: bool = True, met: bool = False):
    return dataclasses.replace(base, extra_completers=extra, reachable=reachable, already_met=met)


def test_effect_compares_edited_with_default(runs: tuple[SimulationResult, GoalResult]) -> None:
    sim, goal = runs
    default = dataclasses.replace(sim, score=42.15, rank=7)
    edited = dataclasses.replace(sim, score=43.00, rank=6)
    effect = weight_effect(edited, default, _goal(goal, extra=5_000), _goal(goal, extra=6_568))
    assert (effect.score, effect.default_score) == (43.00, 42.15)
    assert effect.score_change == pytest.approx(0.85)
    assert (effect.rank, effect.default_rank, effect.places) == (6, 7, 1)
    assert (effect.category, effect.count) == ("C", 9)
    assert effect.target == GoalTarget(beat="TAMIL NADU")
    assert (effect.goal, effect.default_goal, effect.goal_change) == (5_000, 6_568, -1_568)


def test_effect_without_a_reachable_goal(runs: tuple[SimulationResult, GoalResult]) -> None:
    sim, goal = runs
    worse = dataclasses.replace(sim, score=38.00, rank=9)
    effect = weight_effect(worse, sim, _goal(goal, extra=0, reachable=False), _goal(goal, extra=9))
    assert effect.score_change == pytest.approx(38.00 - sim.score)
    assert effect.places == sim.rank - 9
    assert (effect.goal, effect.default_goal, effect.goal_change) == (None, 9, None)


def test_completers_needed() -> None:
    model = build_model(load_config(), load_dataset())
    goal = goal_seek(model, GoalTarget(beat="TAMIL NADU"))
    assert completers_needed(_goal(goal, extra=0, met=True)) == 0
    assert completers_needed(_goal(goal, extra=12)) == 12
    assert completers_needed(_goal(goal, extra=12, reachable=False)) is None
