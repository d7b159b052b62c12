"""Many small changes to one department table, scored in O(M) without building a table for each.

Every KPI is a ratio of column sums over rows (pooled) or of counts of rows (mdo_share), so a change
that touches a few rows moves the state's totals by the change of those rows alone. Scoring D
changes as D full tables costs D x M x C numbers (1.8 GB for 3,000 departments); scoring them from
the totals costs (M + D) x C. Used by the per-department marginal gain, and offered to goal seek,
whose greedy step scores one move per unit (`composite_of_moves`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.aggregate import composite
from scoring.engine import Model
from scoring.kpis import safe_ratio
from scoring.scenario import AdditionRates, apply_additions
from scoring.subscores import subscores


@dataclass(frozen=True)
class RowCounts:
    """Per row, what the KPIs add up: the columns (M, C) for pooled KPIs, and for each mdo_share
    KPI (K') whether the row reaches its threshold and whether it counts at all."""

    columns: np.ndarray  # (M, C)
    reached: np.ndarray  # (M, K') 0/1
    valid: np.ndarray  # (M, K') 0/1


def row_counts(model: Model, rows: np.ndarray, real: np.ndarray) -> RowCounts:
    """`RowCounts` of rows (M, C) whose flags `real` say which are real MDOs (the remainder never
    counts for a share), with the same comparison as `KpiPlan.values`."""
    plan = model.kpi_plan
    numerators = rows[:, plan.share_num]
    denominators = rows[:, plan.share_den]
    valid = (denominators > 0) & real[:, None]
    reached = valid & (numerators >= plan.share_threshold * denominators - 1e-9)
    return RowCounts(rows, reached.astype(float), valid.astype(float))


def composite_from_totals(
    model: Model, sums: np.ndarray, reached: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    """Composite (G,) of G tables given by their column sums (G, C) and share counts (G, K')."""
    plan = model.kpi_plan
    raw = np.zeros((sums.shape[0], plan.count), dtype=float)
    if plan.pooled.size:
        raw[:, plan.pooled] = safe_ratio(sums[:, plan.pooled_num], sums[:, plan.pooled_den])
    if plan.share.size:
        raw[:, plan.share] = safe_ratio(reached, valid)
    return np.asarray(composite(subscores(raw, model.config.kpis), model.weights))


def _real(model: Model) -> np.ndarray:
    return ~np.asarray(model.is_remainder, dtype=bool)


def composite_of_groups(
    model: Model, start: np.ndarray, extra: np.ndarray, groups: np.ndarray, size: int
) -> tuple[float, np.ndarray]:
    """The composite with additions `start` (M,), and for each group g < `size` the composite with
    `start` plus `extra` on the rows of group g only (`groups` (M,), -1 for no group): O(M)."""
    real = _real(model)
    before = row_counts(model, model.apply(start[None])[0], real)
    after = row_counts(model, model.apply((start + extra)[None])[0], real)
    totals = [before.columns.sum(axis=0), before.reached.sum(axis=0), before.valid.sum(axis=0)]
    member = groups >= 0
    moved = []
    for total, old, new in zip(
        totals,
        (before.columns, before.reached, before.valid),
        (after.columns, after.reached, after.valid),
        strict=True,
    ):
        change = np.zeros((size, old.shape[1]))
        np.add.at(change, groups[member], (new - old)[member])
        moved.append(total[None] + change)
    base = composite_from_totals(model, *(t[None] for t in totals))
    return float(base[0]), composite_from_totals(model, *moved)


def composite_of_moves(
    model: Model,
    start: np.ndarray,
    units: np.ndarray,
    sizes: np.ndarray,
    rates: AdditionRates | None = None,
) -> tuple[float, np.ndarray]:
    """The composite with additions `start` (M,), and for each move n the composite with `start`
    plus `sizes[n]` extra completers on row `units[n]` alone: O(M + N) time and memory, where
    `evaluate` on a batch of N tables needs N x M x C. Moves may share a unit."""
    units = np.asarray(units, dtype=np.intp)
    sizes = np.asarray(sizes, dtype=float)
    real = _real(model)
    rates = rates or model.addition_rates
    before = row_counts(model, model.apply(start[None])[0], real)
    totals = (before.columns.sum(axis=0), before.reached.sum(axis=0), before.valid.sum(axis=0))
    sliced = AdditionRates(
        room=rates.room[units],
        from_inactive=rates.from_inactive[units],
        per_course=rates.per_course[units],
        attempts_per_course=rates.attempts_per_course[units],
    )
    rows = apply_additions(
        model.base_rows[units],
        (start[units] + sizes)[None],
        model.config.scenario,
        model.is_remainder[units],
        sliced,
    )[0]
    after = row_counts(model, rows, real[units])
    moved = (
        totals[0][None] + (after.columns - before.columns[units]),
        totals[1][None] + (after.reached - before.reached[units]),
        totals[2][None] + (after.valid - before.valid[units]),
    )
    base = composite_from_totals(model, *(t[None] for t in totals))
    return float(base[0]), composite_from_totals(model, *moved)
