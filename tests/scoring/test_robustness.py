"""Robustness: a rank distribution summed up, goal ranks, best departments, calibration shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.calibration import CalibrationResult
from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import Model, build_model
from scoring.robustness import (
    default_goal_rank,
    default_target_rank,
    fitted_weights,
    full_mode_possible,
    goal_ranks,
    strongest_gains,
    summarise,
)
from scoring.sensitivity import RankDistribution


@pytest.fixture(scope="module")
def model() -> Model:
    return build_model(load_config(), load_dataset())


def test_summary_of_a_distribution() -> None:
    dist = RankDistribution(
        ranks=np.array([1, 2, 3]),
        baseline=np.array([0.0, 0.0, 1.0]),
        scenario=np.array([0.2, 0.5, 0.3]),
        scenario_scores=np.arange(101, dtype=float),  # 0..100: quantiles are the percentages
        draws=101,
    )
    summary = summarise(dist)
    assert summary.likely_rank == 2 and summary.likely_share == 0.5
    assert (summary.score_low, summary.score_high) == pytest.approx((5.0, 95.0))


def test_targets_and_goal_ranks(model: Model) -> None:
    assert default_target_rank(8) == 7 and default_target_rank(1) == 1
    assert goal_ranks(model) == [1, 2, 3, 4, 5, 6, 7, 8]  # Bihar and 8 peers in category C
    assert default_goal_rank(model) == 5


def test_strongest_gains_keep_the_biggest() -> None:
    gains = pd.DataFrame({"department": list("abcd"), "points": [0.1, 0.4, 0.0, 0.4]})
    assert strongest_gains(gains, 3)["department"].tolist() == ["b", "d", "a"]


def test_fitted_weights_as_a_scenario_takes_them() -> None:
    config = load_config()
    raw = np.array([15.00004, 20.0, 19.99996, 15.0, 12.0, 8.0, 10.0])
    fit = CalibrationResult(weights=raw, fitted=pd.DataFrame(), rmse=0.0, max_abs_error=0.0)
    weights = fitted_weights(fit, config)
    assert list(weights) == [k.id for k in config.kpis]
    assert list(weights.values()) == [15.0, 20.0, 20.0, 15.0, 12.0, 8.0, 10.0]


def test_full_mode_needs_every_peer(model: Model) -> None:
    peers = model.others["state"].tolist()
    assert full_mode_possible(pd.DataFrame({"state": peers}), model)
    assert full_mode_possible(pd.DataFrame({"state": [*peers, "BIHAR"]}), model)
    assert not full_mode_possible(pd.DataFrame({"state": peers[1:]}), model)
    assert not full_mode_possible(pd.DataFrame({"state": ["BIHAR"]}), model)
