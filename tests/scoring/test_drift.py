"""Moving peers: drift moves other states, and simulate and goal seek use it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scoring.drift import drifted_scores, months_between, trend_per_month, with_peer_drift
from scoring.engine import Model, simulate
from scoring.errors import ScoringInputError
from scoring.goal import GoalTarget, goal_seek
from scoring.scenario import Scenario


def test_months_to_the_deadline(model: Model) -> None:
    assert months_between(dt.date(2025, 12, 31), dt.date(2026, 3, 31)) == pytest.approx(
        2.957, abs=1e-3
    )


def test_one_drift_for_all_and_per_state(model: Model) -> None:
    moved = drifted_scores(model.others, 1.0, 3.0)
    assert dict(zip(model.others["state"], moved, strict=True))["TAMIL NADU"] == 43.39
    per = drifted_scores(model.others, {"TAMIL NADU": -1.0}, 2.0)
    scores = dict(zip(model.others["state"], per, strict=True))
    assert scores["TAMIL NADU"] == 38.39 and scores["KERALA"] == 48.74
    with pytest.raises(ScoringInputError, match="not in the category"):
        drifted_scores(model.others, {"GOA": 1.0}, 1.0)
    with pytest.raises(ScoringInputError, match="finite"):
        drifted_scores(model.others, float("nan"), 1.0)


def test_rising_peers_push_bihar_down_and_raise_the_goal(model: Model) -> None:
    moved = with_peer_drift(model, 0.5)  # everyone else +1.48 points by 31 March
    result = simulate(moved, Scenario())
    assert (result.score, result.rank) == (39.09, 9)  # West Bengal 38.06 -> 39.54 passes Bihar
    table = result.category_table.set_index("state")
    assert table.loc["WEST BENGAL", "score"] == 39.54
    still = goal_seek(model, GoalTarget(rank=5)).extra_completers
    harder = goal_seek(moved, GoalTarget(rank=5)).extra_completers
    assert harder > still


def test_trend_from_several_months() -> None:
    history = pd.DataFrame(
        {
            "as_of": [dt.date(2025, 10, 31), dt.date(2025, 11, 30), dt.date(2025, 12, 31)] * 2,
            "state": ["A"] * 3 + ["B"] * 3,
            "score": [40.0, 41.0, 42.0, 50.0, 50.0, 50.0],
        }
    ).sort_values("state")
    trend = trend_per_month(history)
    assert trend["A"] == pytest.approx(1.0, abs=0.03)
    assert trend["B"] == pytest.approx(0.0, abs=1e-9)
