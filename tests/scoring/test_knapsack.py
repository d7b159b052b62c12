"""The branch and bound of scoring.knapsack: its pieces against the engine, and its fewest
against brute force over every plan on small synthetic department tables."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from scoring import knapsack
from scoring.config import ModelConfig
from scoring.data import Dataset
from scoring.engine import Model, build_model, evaluate
from scoring.goal import GoalTarget, goal_seek, greedy_seek, needed_gain, needed_score
from scoring.kpis import KpiPlan
from scoring.scenario import HRS, UC
from scoring.subscores import subscores
from tests.scoring.test_goal import PROVEN, TARGETS
from tests.scoring.test_goal_exact import MIXED, TINY, VARIANTS, every_plan, synthetic, with_rival


def chain_hull(t: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Andrew's monotone chain (upper half): the textbook reference."""
    hull: list[int] = []
    for i in range(t.size):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            if (v[b] - v[a]) * (t[i] - t[a]) - (v[i] - v[a]) * (t[b] - t[a]) <= 0:
                hull.pop()
            else:
                break
        hull.append(i)
    return np.array(hull)


def test_upper_hull_by_hand() -> None:
    # (2, 2) lies below the chord from (1, 2) to (3, 3), which passes 2.5 there.
    t = np.arange(5)
    assert knapsack.upper_hull(t, np.array([0.0, 2.0, 2.0, 3.0, 3.0])).tolist() == [0, 1, 3, 4]


@pytest.mark.parametrize("seed", range(4))
def test_upper_hull_equals_the_monotone_chain(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for trial in range(300):
        n = int(rng.integers(1, 90))
        t = np.arange(n) + int(rng.integers(0, 7))
        v = [
            rng.random(n),
            np.cumsum(rng.random(n)),
            0.3 * t + 0.1 * np.rint(rng.random() * t),  # a rounding sequence, as in the tables
            -((t - n / 2.0) ** 2) + rng.integers(0, 3, n),
        ][trial % 4].astype(float)
        ours, reference = knapsack.upper_hull(t, v), chain_hull(t.astype(float), v)
        # The same polyline (collinear points may be kept or not): compare it at every t.
        assert np.allclose(np.interp(t, t[ours], v[ours]), np.interp(t, t[reference], v[reference]))
        assert np.all(v <= np.interp(t, t[ours], v[ours]) + 1e-12)


def test_tables_are_the_engines_rows(model: Model) -> None:
    m = len(model.base_rows)
    start = np.zeros(m)
    start[1], start[13] = 1_000, 7
    tab = knapsack.tables(model, start)
    assert tab is not None
    rng = np.random.default_rng(3)
    for entry in rng.integers(0, tab.t.size, 200):
        unit, t = int(tab.owner[entry]), int(tab.t[entry])
        added = start.copy()
        added[unit] += t
        row = model.apply(added[None])[0][unit]
        change = row - tab.start_rows[unit]
        for column, values in tab.delta.items():
            assert change[column] == values[entry]
        assert change[HRS] == pytest.approx(knapsack._column(tab, HRS)[entry], abs=1e-6)
        assert change[UC] == t


def composite(model: Model, plans: np.ndarray, weights: np.ndarray) -> np.ndarray:
    rows = model.apply(plans)
    return (
        subscores(
            KpiPlan.build(model.config.kpis, model.is_remainder).values(rows), model.config.kpis
        )
        @ weights
    )


def plan_value(tab: knapsack.Tables, bound: knapsack.Bound, plan: np.ndarray) -> float:
    entries = tab.offsets[:-1] + plan[tab.units].astype(int)
    return bound.const + float(bound.values(entries).sum())


def test_the_bound_is_above_the_engine_and_exact_at_its_tangents(model: Model) -> None:
    m = len(model.base_rows)
    tab = knapsack.tables(model, np.zeros(m))
    assert tab is not None
    weights = model.weights / model.weights.sum()
    cap = knapsack.capacity(model, np.zeros(m))
    rng = np.random.default_rng(5)
    plans = np.floor(cap * rng.random((40, m)) ** 3)
    plans[::4] = np.minimum(plans[::4], 3)  # small plans too, where rounding weighs most
    scores = composite(model, plans, weights)
    for at in plans[:8]:
        totals = (model.apply(at[None])[0] - tab.start_rows).sum(axis=0)
        bound = knapsack.linear_bound(model, tab, model.config.kpis, weights, totals)
        assert bound is not None
        values = np.array([plan_value(tab, bound, p) for p in plans])
        assert np.all(values >= scores - 1e-9)
        assert plan_value(tab, bound, at) == pytest.approx(
            composite(model, at[None], weights)[0], abs=1e-9
        )


def test_shapes_the_bound_does_not_cover_go_to_the_program(
    config: ModelConfig, dataset: Dataset
) -> None:
    # Enrolments growing faster than completions: completions / enrolments is a ratio of two
    # different sums, which the separable bound does not cover.
    model = synthetic(config.with_assumptions(enrolments_per_course=1.5), dataset, 0, TINY)
    tab = knapsack.tables(model, np.zeros(len(model.base_rows)))
    assert tab is not None
    weights = model.weights / model.weights.sum()
    assert knapsack.linear_bound(model, tab, model.config.kpis, weights, np.zeros(11)) is None


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
@pytest.mark.parametrize("seed", range(6))
def test_branch_and_bound_equals_brute_force(
    config: ModelConfig, dataset: Dataset, variant: str, seed: int
) -> None:
    base = synthetic(
        config.with_assumptions(**VARIANTS[variant]),
        dataset,
        seed,
        TINY if seed % 2 == 0 else MIXED,
    )
    grid, scores = every_plan(base)
    sizes = grid.sum(axis=1)
    reachable = np.unique(scores[scores > scores[0]])
    proven = 0
    cases = list(
        itertools.product(
            np.quantile(reachable, [0.1, 0.3, 0.5, 0.8, 0.95], method="nearest"),
            [GoalTarget(rank=1), GoalTarget(beat="RIVAL")],
        )
    )
    for rival, target in cases:
        model = with_rival(base, float(rival) - (0.01 if target.beat else 0.0))
        need = needed_score(model, target)
        weights = model.weights / model.weights.sum()
        gain = needed_gain(model, need, float(np.asarray(model.baseline_subscores) @ weights))
        start = np.zeros(len(model.base_rows))
        greedy = greedy_seek(model, target).allocation

        def accept(extra: np.ndarray, model: Model = model, need: float = need) -> bool:
            return bool(evaluate(model, extra[None]).score[0] >= need - 1e-9)

        tab = knapsack.tables(model, start)
        assert tab is not None
        fewest = int(sizes[scores >= need - 1e-9].min())
        # With the greedy's plan to start from, and with none (its own rough incumbent, as
        # goal seek runs it).
        for incumbent in (greedy, None):
            found = knapsack.fewest(model, tab, weights, gain, accept, incumbent)
            assert found is not None
            if found.extra is not None:
                assert accept(found.extra)
                assert found.extra.sum() >= fewest
            if found.proven:
                assert found.extra is not None
                assert found.extra.sum() == found.bound == fewest, (variant, seed, rival)
                proven += 1
    # It gives up only where the engine rejects what its bound accepts after every retry (4 of
    # these 600 runs); the program then takes over (test_goal_exact checks goal seek as a whole).
    assert proven >= 2 * len(cases) - 4


def test_node_limit_hands_over_to_the_program(
    model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(knapsack, "MAX_NODES", 1)  # rank 6 takes 3 nodes
    result = goal_seek(model, GoalTarget(rank=6))
    assert result.method == "milp" and result.optimal
    assert result.extra_completers == PROVEN["rank 6"]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.label)
def test_the_program_agrees_on_the_bundled_numbers(
    model: Model, target: GoalTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two independent proofs of the same minimum: without the tables goal seek uses the MIP.
    monkeypatch.setattr(knapsack, "tables", lambda model, start: None)
    result = goal_seek(model, target)
    assert result.method == "milp" and result.optimal
    assert result.extra_completers == result.lower_bound == PROVEN[target.label]


def test_a_search_stopped_by_its_node_limit_keeps_a_lower_bound(model: Model) -> None:
    target = GoalTarget(rank=6)  # the search takes 3 nodes
    need = needed_score(model, target)
    weights = model.weights / model.weights.sum()
    gain = needed_gain(model, need, float(np.asarray(model.baseline_subscores) @ weights))
    tab = knapsack.tables(model, np.zeros(len(model.base_rows)))
    assert tab is not None

    def accept(extra: np.ndarray) -> bool:
        return bool(evaluate(model, extra[None]).score[0] >= need - 1e-9)

    found = knapsack.fewest(model, tab, weights, gain, accept, limit=1)
    assert found is not None and not found.proven and found.extra is not None
    assert accept(found.extra) and found.extra.sum() >= PROVEN["rank 6"]
    assert found.bound is not None and 0.99 * PROVEN["rank 6"] <= found.bound <= PROVEN["rank 6"]


def test_tables_are_cached_by_value(config: ModelConfig, dataset: Dataset, model: Model) -> None:
    # Another model object on the same table (a weight change builds one) shares the tables;
    # another assumption does not.
    start = np.zeros(len(model.base_rows))
    first = knapsack.tables(model, start)
    weights = dict.fromkeys((k.id for k in config.kpis), 1.0)
    again = build_model(config.with_weights(weights), dataset)
    assert knapsack.tables(again, start) is first
    other = build_model(config.with_assumptions(from_inactive=0.5), dataset)
    assert knapsack.tables(other, start) is not first


def test_equal_weights_rank_six_is_proven_by_the_search(
    config: ModelConfig, dataset: Dataset
) -> None:
    # 1,287 nodes. Handed a plan of 140,808 as incumbent, HiGHS reported 140,808 as optimal
    # with a bound of 140,808 (its tolerances: the program, with this plan's variables fixed,
    # is feasible at 140,807): the search's plan below is replayed through the engine.
    model = build_model(
        config.with_weights(dict.fromkeys((k.id for k in config.kpis), 1.0)), dataset
    )
    result = goal_seek(model, GoalTarget(rank=6))
    assert result.method == "exact" and result.optimal
    assert result.extra_completers == result.lower_bound == 140_807
    assert evaluate(model, result.allocation[None]).score[0] >= result.needed_score == 48.74
