"""The vectorised scoring steps (KPI plan, per-model addition rates, the weight batch) against the
plain computations they replace, on random batches."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.config import Aggregation, KpiSpec, ModelConfig
from scoring.engine import Model, score_weight_batch
from scoring.kpis import COLUMN_INDEX, KpiPlan, safe_ratio
from scoring.scenario import addition_rates, apply_additions
from scoring.subscores import subscores


def plain_kpi_values(
    rows: np.ndarray, is_remainder: np.ndarray, kpis: tuple[KpiSpec, ...]
) -> np.ndarray:
    """One KPI at a time, as written before the plan."""
    sums = rows.sum(axis=1)
    real = rows[:, ~is_remainder, :]
    out = np.empty((rows.shape[0], len(kpis)))
    for k, kpi in enumerate(kpis):
        num, den = COLUMN_INDEX[kpi.numerator], COLUMN_INDEX[kpi.denominator]
        if kpi.aggregation is Aggregation.POOLED:
            out[:, k] = safe_ratio(sums[:, num], sums[:, den])
        else:
            assert kpi.threshold is not None
            numerators, denominators = real[:, :, num], real[:, :, den]
            valid = denominators > 0
            reached = valid & (numerators >= kpi.threshold * denominators - 1e-9)
            out[:, k] = safe_ratio(reached.sum(axis=1), valid.sum(axis=1))
    return out


def _random_rows(seed: int, scenarios: int = 20, units: int = 30) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Small counts, so that zeros, ties with a threshold and empty denominators all occur.
    rows = rng.integers(0, 6, size=(scenarios, units, 8)).astype(float)
    is_remainder = rng.random(units) < 0.2
    return rows, is_remainder


def _share_heavy(config: ModelConfig) -> tuple[KpiSpec, ...]:
    """The bundled KPIs with three more mdo_share KPIs of different thresholds and columns."""
    extra = tuple(
        kpi.model_copy(update={"aggregation": Aggregation.MDO_SHARE, "threshold": threshold})
        for kpi, threshold in zip(config.kpis[:3], (0.3, 0.5, 1.0), strict=True)
    )
    return config.kpis + extra


@pytest.mark.parametrize("seed", range(6))
def test_kpi_plan_matches_one_kpi_at_a_time(config: ModelConfig, seed: int) -> None:
    rows, is_remainder = _random_rows(seed)
    for kpis in (config.kpis, _share_heavy(config)):
        plan = KpiPlan.build(kpis, is_remainder)
        assert np.array_equal(plan.values(rows), plain_kpi_values(rows, is_remainder, kpis))


def test_kpi_plan_without_real_units_or_share_kpis(config: ModelConfig) -> None:
    rows, _ = _random_rows(7, units=4)
    only_remainder = np.ones(4, dtype=bool)
    got = KpiPlan.build(config.kpis, only_remainder).values(rows)
    assert np.array_equal(got, plain_kpi_values(rows, only_remainder, config.kpis))
    pooled = tuple(k for k in config.kpis if k.aggregation is Aggregation.POOLED)
    got = KpiPlan.build(pooled, only_remainder).values(rows)
    assert np.array_equal(got, plain_kpi_values(rows, only_remainder, pooled))


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"from_inactive": 0.25, "hours_per_course": 2.5},
        {"courses_per_completer": 3.0, "enrolments_per_course": 1.4},
    ],
)
def test_precomputed_rates_give_the_same_rows(model: Model, change: dict[str, object]) -> None:
    assumptions = model.config.scenario.model_copy(update=change)
    rng = np.random.default_rng(3)
    added = rng.integers(0, 20_000, size=(25, len(model.base_rows))).astype(float)
    rates = addition_rates(model.base_rows, assumptions, model.is_remainder)
    fresh = apply_additions(model.base_rows, added, assumptions, model.is_remainder)
    reused = apply_additions(model.base_rows, added, assumptions, model.is_remainder, rates)
    assert np.array_equal(fresh, reused)
    if not change:
        assert np.array_equal(model.apply(added), fresh)


def test_model_rates_are_read_only(model: Model) -> None:
    with pytest.raises(ValueError, match="read-only"):
        model.addition_rates.room[0] = 1.0


def test_weight_batch_matches_the_plain_formula(model: Model) -> None:
    rng = np.random.default_rng(11)
    k = len(model.weights)
    weights = np.vstack([rng.dirichlet(np.ones(k), size=200), rng.random((50, k)) * 5])
    added = rng.integers(0, 60_000, size=(4, len(model.base_rows))).astype(float)
    added[0] = 0.0
    subs = subscores(
        plain_kpi_values(
            apply_additions(model.base_rows, added, model.config.scenario, model.is_remainder),
            model.is_remainder,
            model.config.kpis,
        ),
        model.config.kpis,
    )
    gains = (subs - model.baseline_subscores) @ weights.T / weights.sum(axis=1)
    expected = np.clip(model.published_score + gains, 0.0, 100.0)
    got = score_weight_batch(model, added, weights)
    assert got.shape == (4, 250)
    assert np.allclose(got, expected, rtol=0, atol=1e-9)
    assert np.allclose(got[0], model.published_score, rtol=0, atol=1e-9)
