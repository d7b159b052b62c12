"""Small changes scored from the totals equal the same changes scored as full tables."""

from __future__ import annotations

import tracemalloc

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import Model, evaluate
from scoring.marginal import composite_of_groups, composite_of_moves


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.integers(0, 100), st.integers(0, 50_000)), min_size=1, max_size=30),
    st.integers(0, 3),
)
def test_moves_equal_full_tables(model: Model, moves: list[tuple[int, int]], seed: int) -> None:
    m = len(model.base_rows)
    rng = np.random.default_rng(seed)
    start = np.where(rng.random(m) < 0.2, rng.integers(0, 2_000, m), 0).astype(float)
    units = np.array([u % m for u, _ in moves])  # the remainder row and repeats included
    sizes = np.array([s for _, s in moves], dtype=float)
    base, moved = composite_of_moves(model, start, units, sizes)
    batch = np.repeat(start[None], len(moves), axis=0)
    batch[np.arange(len(moves)), units] += sizes
    assert np.allclose(moved, evaluate(model, batch).composite, rtol=0, atol=1e-9)
    assert abs(base - evaluate(model, start[None]).composite[0]) < 1e-9


def test_groups_equal_full_tables(model: Model) -> None:
    m = len(model.base_rows)
    rng = np.random.default_rng(5)
    groups = rng.integers(-1, 7, m)
    extra = rng.integers(0, 3_000, m).astype(float)
    start = np.zeros(m)
    base, moved = composite_of_groups(model, start, extra, groups, 7)
    batch = np.zeros((7, m))
    for g in range(7):
        batch[g, groups == g] = extra[groups == g]
    assert np.allclose(moved, evaluate(model, batch).composite, rtol=0, atol=1e-9)
    assert abs(base - model.baseline_composite) < 1e-9


def test_20000_moves_stay_linear_in_memory(model: Model) -> None:
    # As full tables: 20,000 x 101 rows x 8 columns x 8 bytes = 129 MB per temporary array.
    m = len(model.base_rows)
    units = np.arange(20_000) % m
    tracemalloc.start()
    try:
        composite_of_moves(model, np.zeros(m), units, np.full(20_000, 10.0))
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert peak < 30, peak
