"""Calibration recovers known weights on generated data; full mode scores every state."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.calibration import (
    category_fully_covered,
    fit_weights,
    full_mode_scores,
    kpi_template,
    parse_state_kpis,
)
from scoring.config import ModelConfig
from scoring.errors import ScoringInputError
from scoring.subscores import subscores


def _generated(
    config: ModelConfig, weights: np.ndarray, n: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    k = len(config.kpis)
    # Raw values whose sub-scores stay below the caps (ratios < 1, targets below target).
    raw = rng.uniform(0.05, 0.95, size=(n, k))
    raw[:, 2] *= 2  # completions per user, target 2
    raw[:, 3] *= 3  # hours per user, target 3
    states = [f"STATE {i}" for i in range(n)]
    kpis = pd.DataFrame(raw, columns=[kp.id for kp in config.kpis])
    kpis.insert(0, "state", states)
    subs = subscores(raw, config.kpis)
    published = subs @ (weights / weights.sum())
    ranking = pd.DataFrame({"state": states, "category": "C", "score": published})
    return kpis, ranking


def test_fit_recovers_known_weights(config: ModelConfig) -> None:
    true = np.array([10, 0, 30, 5, 25, 0, 30], dtype=float)
    kpis, ranking = _generated(config, true, 30, seed=4)
    result = fit_weights(kpis, ranking, config)
    assert np.allclose(result.weights, true, atol=1e-3)
    assert result.rmse < 1e-4 and result.max_abs_error < 1e-3
    assert result.as_config(config).weights[2] == pytest.approx(30, abs=1e-3)


def test_fit_reports_error_on_noisy_data(config: ModelConfig) -> None:
    true = np.array([15, 20, 20, 15, 12, 8, 10], dtype=float)
    kpis, ranking = _generated(config, true, 40, seed=5)
    ranking["score"] += np.random.default_rng(1).normal(0, 1.0, len(ranking))
    result = fit_weights(kpis, ranking, config)
    assert (result.weights >= 0).all() and result.weights.sum() == pytest.approx(100)
    assert 0.5 < result.rmse < 1.5
    assert len(result.fitted) == 40


def test_template_parses_and_bad_rows_are_named(config: ModelConfig) -> None:
    header = kpi_template(config).splitlines()[0]
    good = header + "\nkerala," + ",".join(["0.5"] * len(config.kpis)) + "\n"
    assert parse_state_kpis(good, config)["state"].tolist() == ["KERALA"]
    bad = header + "\nKERALA,abc" + ",0.5" * (len(config.kpis) - 1) + "\n"
    with pytest.raises(ScoringInputError, match="row 2 \\(KERALA\\): active_rate is 'abc'"):
        parse_state_kpis(bad, config)
    with pytest.raises(ScoringInputError, match="missing column"):
        parse_state_kpis("state,active_rate\nA,1\n", config)
    with pytest.raises(ScoringInputError, match="at least 2 states"):
        fit_weights(
            parse_state_kpis(good, config),
            pd.DataFrame({"state": ["KERALA"], "score": [48.74]}),
            config,
        )


def test_full_mode_scores_every_covered_state(config: ModelConfig) -> None:
    true = np.array(config.weights, dtype=float)
    kpis, ranking = _generated(config, true, 5, seed=2)
    extra = pd.DataFrame({"state": ["OTHER"], "category": ["B"], "score": [50.0]})
    full = full_mode_scores(kpis, pd.concat([ranking, extra]), config)
    assert full.loc[full["state"] == "OTHER", "scored_by_model"].tolist() == [False]
    covered = full[full["scored_by_model"]]
    assert np.allclose(covered["score"], covered["published_score"].round(2), atol=0.006)
    assert category_fully_covered(kpis, ranking, "C")
    assert not category_fully_covered(kpis.iloc[:3], ranking, "C")


def test_full_mode_model_scores_peers_and_the_focus_state(model) -> None:  # type: ignore[no-untyped-def]
    from scoring.calibration import with_full_mode
    from scoring.engine import simulate
    from scoring.scenario import Scenario

    config = model.config
    others = model.others["state"].tolist()
    raw = np.tile(np.array([0.1, 0.1, 0.4, 0.4, 0.5, 0.5, 0.5]), (len(others), 1))
    raw[0] = [0.9, 0.9, 1.8, 2.7, 0.9, 0.9, 0.9]  # Maharashtra, far ahead
    kpis = pd.DataFrame(raw, columns=[k.id for k in config.kpis])
    kpis.insert(0, "state", others)
    full = with_full_mode(model, kpis)
    result = simulate(full, Scenario())
    # Bihar's own model score (33.72) against peers all at 24.50 but Maharashtra.
    assert result.score == 33.72 and result.rank == 2
    with pytest.raises(ScoringInputError, match="every other state"):
        with_full_mode(model, kpis.iloc[:3])


def _contains(ranges: np.ndarray, weights: np.ndarray, slack: float = 1e-6) -> bool:
    return bool(np.all(ranges[:, 0] - slack <= weights) and np.all(weights <= ranges[:, 1] + slack))


def test_four_states_do_not_identify_seven_weights(config: ModelConfig) -> None:
    # The case: fewer states than KPIs. NNLS returns one of many exact fits.
    true = np.array(config.weights, dtype=float)
    kpis, ranking = _generated(config, true, 4, seed=3)
    ranking["score"] = ranking["score"].round(2)
    result = fit_weights(kpis, ranking, config)
    found = result.identification
    assert found is not None and not found.identified
    assert found.reason_code == "fewer_states" and "4 states cannot determine 7" in found.reason
    assert found.rank == 5 and found.best_max_error < 1e-6
    # The true weights and the reported ones both fit; the ranges are wide.
    assert _contains(found.ranges, true) and _contains(found.ranges, result.weights)
    assert (found.ranges[:, 1] - found.ranges[:, 0]).max() > 20


def test_identical_columns_are_named(config: ModelConfig) -> None:
    true = np.array([15, 20, 20, 15, 12, 8, 10], dtype=float)
    kpis, ranking = _generated(config, true, 30, seed=6)
    kpis["completer_rate"] = kpis["active_rate"]
    subs = subscores(kpis[[k.id for k in config.kpis]].to_numpy(), config.kpis)
    ranking["score"] = subs @ (true / true.sum())
    found = fit_weights(kpis, ranking, config).identification
    assert found is not None and not found.identified
    assert found.reason_code == "identical_columns"
    assert found.identical == (("active_rate", "completer_rate"),)
    # Their total is pinned (35), how it splits is not; the other weights are.
    assert np.allclose(found.ranges[:2], [[0, 35], [0, 35]], atol=0.1)
    assert np.allclose(found.ranges[2:], np.c_[true[2:], true[2:]], atol=0.1)


def test_a_kpi_that_is_a_combination_of_others(config: ModelConfig) -> None:
    true = np.array([15, 20, 20, 15, 12, 8, 10], dtype=float)
    kpis, ranking = _generated(config, true, 30, seed=8)
    kpis["pass_rate"] = (kpis["active_rate"] + kpis["completer_rate"]) / 2
    subs = subscores(kpis[[k.id for k in config.kpis]].to_numpy(), config.kpis)
    ranking["score"] = subs @ (true / true.sum())
    found = fit_weights(kpis, ranking, config).identification
    assert found is not None and found.reason_code == "combination" and found.rank == 6
    assert _contains(found.ranges, true)


def test_well_identified_ranges_collapse_to_the_true_weights(config: ModelConfig) -> None:
    true = np.array([10, 0, 30, 5, 25, 0, 30], dtype=float)
    kpis, ranking = _generated(config, true, 30, seed=4)
    found = fit_weights(kpis, ranking, config).identification
    assert found is not None and found.identified and found.reason_code == ""
    assert found.tolerance == pytest.approx(0.005, abs=1e-6)
    assert np.allclose(found.ranges, np.c_[true, true], atol=0.1)
