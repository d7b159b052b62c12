"""Compute raw KPI values from (batches of) department rows."""

from __future__ import annotations

import numpy as np

from scoring.config import COLUMNS, Aggregation, KpiSpec

COLUMN_INDEX = {name: i for i, name in enumerate(COLUMNS)}


def safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0."""
    out = np.zeros(np.broadcast(numerator, denominator).shape, dtype=float)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def kpi_values(rows: np.ndarray, is_remainder: np.ndarray, kpis: tuple[KpiSpec, ...]) -> np.ndarray:
    """Raw KPI values, shape (S, K), for rows of shape (S, M, C).

    Pooled KPIs sum every row, the unlisted remainder included, since the published totals are
    the state's truth. mdo_share KPIs count real MDOs only: the remainder is not an organisation.
    MDOs whose denominator is zero are left out of that share.
    """
    sums = rows.sum(axis=1)  # (S, C)
    real = rows[:, ~is_remainder, :]
    out = np.empty((rows.shape[0], len(kpis)), dtype=float)
    for k, kpi in enumerate(kpis):
        num, den = COLUMN_INDEX[kpi.numerator], COLUMN_INDEX[kpi.denominator]
        if kpi.aggregation is Aggregation.POOLED:
            out[:, k] = safe_ratio(sums[:, num], sums[:, den])
        else:
            assert kpi.threshold is not None
            numerators, denominators = real[:, :, num], real[:, :, den]
            valid = denominators > 0
            # Compare without dividing so that 5 of 10 counts as reaching 0.5 exactly.
            reached = valid & (numerators >= kpi.threshold * denominators - 1e-9)
            out[:, k] = safe_ratio(reached.sum(axis=1), valid.sum(axis=1))
    return out
