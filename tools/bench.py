"""Benchmark of the engine (`make bench`): figures written to bench-results/ and printed."""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from scoring import knapsack, milp
from scoring.chance import chance_of_rank, sample_for
from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import Model, build_model, evaluate, score_weight_batch
from scoring.goal import GoalTarget, goal_seek, greedy_seek, lp_rounded, needed_gain, needed_score
from scoring.robust import robust_plan
from scoring.sensitivity import draw_weights, rank_distribution

OUT = Path(__file__).resolve().parents[1] / "bench-results"


def best_of(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_pair(
    first: Callable[[], object], second: Callable[[], object], repeat: int = 50
) -> tuple[float, float]:
    """Best times of two functions run alternately, so that both see the same moments of this
    shared machine's load (a ratio of two separate best-of runs drifted between 2.3x and 4.4x)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def p50_of_pair(
    first: Callable[[], object], second: Callable[[], object], repeat: int = 7
) -> tuple[float, float]:
    """Median times of two functions run alternately (as `best_of_pair`, but the median: a
    goal seek's time varies with HiGHS's search, and the median is what a user meets)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return float(np.median(times[0])), float(np.median(times[1]))


GOAL_TARGETS = (
    GoalTarget(beat="TAMIL NADU"),
    GoalTarget(rank=6),
    GoalTarget(rank=5),
    GoalTarget(rank=1),
)


GOAL_RUNS = 21  # per target: p50 over 21 seeks
GOAL_TARGET_S = 0.100  # issue 12: p50 under 100 ms for each of the four targets
MIP_RUNS = 5  # the mixed-integer program, kept as the fallback, for comparison


def goal_timings(model: Model, repeat: int = GOAL_RUNS) -> dict[str, dict[str, float]]:
    """Exact goal seek, as a user meets it on changing the target: one full `goal_seek` per run
    on a model already built (p50 and p90 of `repeat` wall times), nothing of the result
    cached. What is cached per model (built by the first seek, timed once as `per_model_s`):
    the engine's tables of every unit (scoring.knapsack.tables) and the target-free part of the
    bound. Then the stages of one seek (CPU p50): the greedy incumbent, the branch and bound,
    and the result (engine replay and the plan's table); and, for comparison, the MIP alone."""
    start = np.zeros(len(model.base_rows))
    weights = model.weights / model.weights.sum()
    knapsack._CACHE.clear()
    begin = time.perf_counter()
    tab = knapsack.tables(model, start)
    assert tab is not None
    knapsack.fixed_part(model, tab, model.config.kpis, weights)
    per_model = time.perf_counter() - begin
    form = milp.formulation(model, start)
    out = {}
    for target in GOAL_TARGETS:
        result = goal_seek(model, target)
        times = []
        for _ in range(repeat):
            begin = time.perf_counter()
            goal_seek(model, target)
            times.append(time.perf_counter() - begin)
        out[target.label] = {
            "p50_s": float(np.median(times)),
            "p90_s": float(np.quantile(times, 0.9)),
            "under_target": float(np.median(times) < GOAL_TARGET_S),
            "per_model_s": per_model,
            "table_entries": float(tab.t.size),
            "completers": float(result.extra_completers),
            "optimal": float(result.optimal),
            "exact_method": float(result.method == "exact"),
            **goal_parts(model, target, form, weights, repeat),
        }
    return out


def goal_parts(
    model: Model,
    target: GoalTarget,
    form: milp.Formulation,
    weights: np.ndarray,
    repeat: int,
) -> dict[str, float]:
    """CPU seconds (p50) of each stage of one exact seek, run as `goal_seek` runs them; and the
    greedy and the MIP path (LP-rounded incumbent and proving MIP), the method before."""
    start = np.zeros(len(model.base_rows))
    need = needed_score(model, target)
    gain = needed_gain(model, need, float(np.asarray(model.baseline_subscores) @ weights))
    greedy = greedy_seek(model, target).allocation
    tab = knapsack.tables(model, start)
    assert tab is not None

    def accept(extra: np.ndarray) -> bool:
        return bool(evaluate(model, extra[None]).score[0] >= need - 1e-9)

    found = knapsack.fewest(model, tab, weights, gain, accept)
    assert found is not None and found.proven and found.extra is not None
    hint = lp_rounded(model, target, form, weights, gain, start, greedy)
    stages: dict[str, tuple[Callable[[], object], int]] = {
        "search": (partial(knapsack.fewest, model, tab, weights, gain, accept), repeat),
        "result": (partial(goal_result, model, target, need, found.extra), repeat),
        "greedy": (partial(greedy_seek, model, target), repeat),
        "mip_path": (
            partial(
                milp.minimise,
                model,
                form,
                [(0, weights, gain)],
                accept,
                hint,
                30.0,
            ),
            MIP_RUNS,
        ),
    }
    out = {}
    for name, (fn, runs) in stages.items():
        times = []
        for _ in range(runs):
            begin = time.process_time()
            fn()
            times.append(time.process_time() - begin)
        out[f"{name}_cpu_p50_s"] = float(np.median(times))
    return out


def goal_result(model: Model, target: GoalTarget, need: float, extra: np.ndarray) -> object:
    from scoring.goal import _result

    start = np.zeros(len(model.base_rows))
    return _result(model, target, need, start, extra, True, False, "", optimal=True)


def print_goal(goals: dict[str, dict[str, float]]) -> None:
    first = next(iter(goals.values()))
    print(
        f"exact goal seek: per model, once (cached): tables of {first['table_entries']:,.0f} "
        f"(unit, completers) entries from the engine, {first['per_model_s'] * 1e3:.0f} ms"
    )
    for label, row in goals.items():
        verdict = "under" if row["under_target"] else "OVER"
        print(
            f"exact goal seek, {label}: p50 {row['p50_s'] * 1e3:.0f} ms ({verdict} the "
            f"{GOAL_TARGET_S * 1e3:.0f} ms target; p90 {row['p90_s'] * 1e3:.0f} ms); "
            f"{row['completers']:,.0f} completers, proven {bool(row['optimal'])}"
            f"{'' if row['exact_method'] else ' (by the MIP fallback)'}; CPU p50 search "
            f"{row['search_cpu_p50_s'] * 1e3:.0f} ms, result {row['result_cpu_p50_s'] * 1e3:.0f}"
            f" ms (before: greedy {row['greedy_cpu_p50_s'] * 1e3:.0f} ms + LP-rounded incumbent "
            f"and MIP {row['mip_path_cpu_p50_s'] * 1e3:.0f} ms)"
        )


def chance_timings(model: Model) -> dict[str, float]:
    """The chance of a rank on a lever change (fixed 20,000-draw sample, built once per model)
    next to its floor: the bare product of those draws with one gain vector."""
    sample = sample_for(model)
    added = np.zeros(len(model.base_rows))
    added[1] = 50_000
    gains = np.random.default_rng(1).random(sample.weights.shape[1])
    chance, floor = p50_of_pair(
        lambda: chance_of_rank(model, added), lambda: sample.weights @ gains, repeat=101
    )
    return {"p50_s": chance, "matmul_floor_p50_s": floor, "draws": float(sample.draws)}


def main() -> None:
    model = build_model(load_config(), load_dataset())
    k = len(model.weights)
    rng = np.random.default_rng(0)
    weights = rng.dirichlet(np.ones(k), size=100_000)
    no_change = np.zeros((1, len(model.base_rows)))
    subs = rng.random((1, k))
    floor, engine = best_of_pair(
        lambda: subs @ weights.T, lambda: score_weight_batch(model, no_change, weights)
    )
    education = np.zeros(len(model.base_rows))
    education[1] = 50_000
    monte_carlo = best_of(
        lambda: rank_distribution(model, education, draw_weights(model.weights, 100_000, 30.0)),
        repeat=5,
    )
    scenarios = rng.integers(0, 5_000, size=(1_000, len(model.base_rows))).astype(float)
    batch = best_of(lambda: evaluate(model, scenarios), repeat=5)
    single = best_of(lambda: evaluate(model, scenarios[:1]), repeat=50)
    goals = goal_timings(model)
    chance = chance_timings(model)
    robust = [robust_plan(model, GoalTarget(beat="TAMIL NADU"), 0.9).seconds for _ in range(3)]
    results = {
        "machine": platform.processor() or platform.machine(),
        "weights_100k_engine_s": engine,
        "weights_100k_matmul_floor_s": floor,
        "weights_100k_ratio": engine / floor,
        "monte_carlo_100k_s": monte_carlo,
        "scenarios_1000_batch_s": batch,
        "scenario_single_s": single,
        "batch_vs_1000_singles_ratio": batch / (1000 * single),
        "goal_seek": goals,
        "chance_of_rank": chance,
        "robust_plan_pass_tamil_nadu_90_p50_s": float(np.median(robust)),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "engine.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(
        f"100,000 weight vectors: {engine * 1e3:.2f} ms (matmul floor {floor * 1e3:.2f} ms, "
        f"ratio {engine / floor:.2f}x)"
    )
    print(
        f"Monte Carlo, 100,000 Dirichlet draws to rank probabilities (baseline + scenario): "
        f"{monte_carlo * 1e3:.1f} ms"
    )
    print(
        f"1,000 scenarios in one batch: {batch * 1e3:.1f} ms "
        f"({batch / (1000 * single):.3f} of 1,000 single calls at {single * 1e6:.0f} us)"
    )
    print_goal(goals)
    print(
        f"chance of a rank on a lever change ({chance['draws']:,.0f} draws): p50 "
        f"{chance['p50_s'] * 1e3:.2f} ms (floor, the bare product: "
        f"{chance['matmul_floor_p50_s'] * 1e3:.2f} ms)"
    )
    print(f"plan with a 90% chance to pass Tamil Nadu: p50 {np.median(robust):.2f} s")
    print(f"written to {OUT / 'engine.json'}")


if __name__ == "__main__":
    if sys.argv[1:] == ["goal"]:  # only the goal seek's piece: `python -m tools.bench goal`
        print_goal(goal_timings(build_model(load_config(), load_dataset())))
    else:
        main()
