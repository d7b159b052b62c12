"""Compute raw KPI values from (batches of) department rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.config import COLUMNS, Aggregation, KpiSpec

COLUMN_INDEX = {name: i for i, name in enumerate(COLUMNS)}


def safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0."""
    out = np.zeros(np.broadcast(numerator, denominator).shape, dtype=float)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


@dataclass(frozen=True)
class KpiPlan:
    """Which columns each KPI divides, as index arrays: computed once per model, so that scoring
    a batch is a few vectorised operations instead of a loop over the KPIs."""

    count: int
    pooled: np.ndarray  # KPI positions
    pooled_num: np.ndarray  # column of each pooled KPI's numerator
    pooled_den: np.ndarray
    share: np.ndarray  # KPI positions of the mdo_share KPIs
    share_num: np.ndarray
    share_den: np.ndarray
    share_threshold: np.ndarray
    real: np.ndarray  # (M', 1) rows that are real MDOs (not the remainder)

    @classmethod
    def build(cls, kpis: tuple[KpiSpec, ...], is_remainder: np.ndarray) -> KpiPlan:
        pooled = [k for k, kpi in enumerate(kpis) if kpi.aggregation is Aggregation.POOLED]
        share = [k for k, kpi in enumerate(kpis) if kpi.aggregation is not Aggregation.POOLED]

        def columns(positions: list[int], side: str) -> np.ndarray:
            return np.array(
                [COLUMN_INDEX[getattr(kpis[k], side)] for k in positions], dtype=np.intp
            )

        thresholds = [kpis[k].threshold for k in share]
        assert all(t is not None for t in thresholds)
        return cls(
            count=len(kpis),
            pooled=np.array(pooled, dtype=np.intp),
            pooled_num=columns(pooled, "numerator"),
            pooled_den=columns(pooled, "denominator"),
            share=np.array(share, dtype=np.intp),
            share_num=columns(share, "numerator"),
            share_den=columns(share, "denominator"),
            share_threshold=np.array(thresholds, dtype=float),
            real=np.flatnonzero(~np.asarray(is_remainder, dtype=bool))[:, None],
        )

    def values(self, rows: np.ndarray) -> np.ndarray:
        """Raw KPI values, shape (S, K), for rows of shape (S, M, C): see `kpi_values`."""
        out = np.zeros((rows.shape[0], self.count), dtype=float)
        if self.pooled.size:
            sums = rows.sum(axis=1)  # (S, C)
            out[:, self.pooled] = safe_ratio(sums[:, self.pooled_num], sums[:, self.pooled_den])
        if self.share.size:
            numerators = rows[:, self.real, self.share_num]  # (S, M', K')
            denominators = rows[:, self.real, self.share_den]
            valid = denominators > 0
            # Compare without dividing so that 5 of 10 counts as reaching 0.5 exactly.
            reached = valid & (numerators >= self.share_threshold * denominators - 1e-9)
            out[:, self.share] = safe_ratio(reached.sum(axis=1), valid.sum(axis=1))
        return out


def kpi_values(rows: np.ndarray, is_remainder: np.ndarray, kpis: tuple[KpiSpec, ...]) -> np.ndarray:
    """Raw KPI values, shape (S, K), for rows of shape (S, M, C).

    Pooled KPIs sum every row, the unlisted remainder included, since the published totals are
    the state's truth. mdo_share KPIs count real MDOs only: the remainder is not an organisation.
    MDOs whose denominator is zero are left out of that share.
    """
    return KpiPlan.build(kpis, is_remainder).values(rows)
