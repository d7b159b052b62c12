"""KPI values, sub-scores, composite and ranking on small hand-computed inputs."""

from __future__ import annotations

import numpy as np

from scoring.aggregate import composite
from scoring.config import ModelConfig
from scoring.kpis import kpi_values
from scoring.ranking import rank_against, rank_within_category, round_half_up
from scoring.subscores import subscores


def _rows() -> np.ndarray:
    # onboarded, active, user_completions, enrolments, completions, hours, attempted, passed
    return np.array(
        [
            [100, 60, 50, 200, 150, 120.0, 100, 80],
            [10, 2, 1, 10, 5, 4.0, 4, 2],
            [2, 0, 0, 0, 0, 0.0, 0, 0],  # the remainder in these tests
        ],
        dtype=float,
    )[None]


def test_pooled_and_mdo_share_values(config: ModelConfig) -> None:
    raw = kpi_values(_rows(), np.array([False, False, True]), config.kpis)[0]
    by_id = dict(zip([k.id for k in config.kpis], raw, strict=True))
    assert by_id["active_rate"] == 62 / 112
    assert by_id["completer_rate"] == 51 / 112
    assert by_id["completions_per_user"] == 155 / 112
    assert by_id["completion_rate"] == 155 / 210
    assert by_id["pass_rate"] == 82 / 104
    # The remainder is not an MDO: 1 of the 2 real MDOs has half its users active.
    assert by_id["mdo_active_share"] == 0.5


def test_exactly_half_reaches_the_threshold(config: ModelConfig) -> None:
    rows = np.array([[[10, 5, 1, 1, 1, 1.0, 1, 1]]], dtype=float)
    raw = kpi_values(rows, np.array([False]), config.kpis)[0]
    assert raw[-1] == 1.0


def test_subscores_cap_and_scale(config: ModelConfig) -> None:
    raw = np.array([[0.5, 1.2, 1.0, 6.0, 0.25, 0.0, 0.3]])
    subs = subscores(raw, config.kpis)[0]
    # ratio: x100 capped at 100; completions target 2 -> 50; hours target 3 -> capped 100
    assert subs.tolist() == [50.0, 100.0, 50.0, 100.0, 25.0, 0.0, 30.0]


def test_composite_single_and_batched_weights() -> None:
    subs = np.array([[100.0, 0.0], [50.0, 50.0]])
    assert composite(subs, np.array([3.0, 1.0])).tolist() == [75.0, 50.0]
    batch = composite(subs, np.array([[1.0, 0.0], [0.0, 2.0]]))
    assert batch.tolist() == [[100.0, 0.0], [50.0, 50.0]]


def test_ties_share_the_better_rank() -> None:
    scores = np.array([50.0, 40.0, 40.0, 30.0, 99.0])
    cats = np.array(["C", "C", "C", "C", "B"])
    assert rank_within_category(scores, cats).tolist() == [1, 2, 2, 4, 1]
    assert rank_against(np.array([40.0, 40.01, 29.0]), np.array([50.0, 40.0])).tolist() == [2, 2, 3]


def test_round_half_up_matches_published_precision() -> None:
    assert round_half_up(np.array([39.085, 39.0849, 40.395]), 2).tolist() == [39.09, 39.08, 40.4]
