"""Cost of the engine at 1x, 10x and 100x today's department table: time and peak memory of parse,
model, simulate, goal seek and per-department marginal gain (python -m tools.bench_scale); with
--goal, the exact goal seek for the four targets of issue 12 at each scale: time, method, and
the gap when a time limit stopped the proof (python -m tools.bench_scale --goal)."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.config import COLUMNS, load_config
from scoring.data import DATA_DIR, load_dataset, parse_departments, parse_totals, read_table
from scoring.engine import Model, build_model, simulate
from scoring.goal import GoalTarget, goal_seek
from scoring.scenario import Lever, LeverKind, Scenario
from scoring.sensitivity import marginal_gain_by_department

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-results" / "bench_scale.json"
GOAL_OUT = ROOT / "bench-results" / "bench_goal_scale.json"
GOAL_TARGETS = (
    GoalTarget(beat="TAMIL NADU"),
    GoalTarget(rank=6),
    GoalTarget(rank=5),
    GoalTarget(rank=1),
)
SCALES = (1, 10, 100)
# Each scale runs in its own process under this address-space limit: a step that would need more
# reports MemoryError instead of taking the shared machine down.
MEMORY_LIMIT = 4 * 2**30
TIMEOUT_S = 900


def synthetic_tables(scale: int, seed: int = 13) -> tuple[bytes, bytes]:
    """Department CSV and published totals CSV with `scale` times today's rows: every real row
    copied `scale` times with its counts scaled by a seeded factor in [1, 1.5] (floor keeps every
    row consistent, and a unit with users keeps them), and the totals keeping the real unlisted
    remainder times `scale`."""
    real = pd.read_csv(DATA_DIR / "bihar_departments_2025-12-31.csv")
    totals = pd.read_csv(DATA_DIR / "bihar_published_totals_2025-12-31.csv").iloc[0]
    rng = np.random.default_rng(seed)
    copies = []
    for copy in range(scale):
        frame = real.copy()
        factor = rng.uniform(1.0, 1.5, len(frame))
        for column in COLUMNS:
            scaled = frame[column].to_numpy(dtype=float) * factor
            frame[column] = np.round(scaled, 2) if column == "hours" else np.floor(scaled)
        # A copy of a department is another department (so there are 100 x scale of them).
        frame["department"] = frame["department"] + f" #{copy}"
        frame["mdo"] = frame["mdo"] + f" #{copy}"
        frame["id"] = [f"mdo-{copy}-{row}" for row in range(len(frame))]
        copies.append(frame)
    table = pd.concat(copies, ignore_index=True)
    for column in COLUMNS:
        if column != "hours":
            table[column] = table[column].astype(np.int64)
    remainder = totals[list(COLUMNS)] - real[list(COLUMNS)].sum()
    published = table[list(COLUMNS)].sum() + remainder * scale
    departments = table.to_csv(index=False).encode()
    out = io.StringIO()
    pd.DataFrame([published.round(2)]).to_csv(out, index=False)
    return departments, out.getvalue().encode()


def _measure(fn: Callable[[], Any]) -> tuple[Any, dict[str, Any]]:
    """Run twice: once timed, once under tracemalloc for the peak of Python and numpy memory."""
    try:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        tracemalloc.start()
        try:
            fn()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    except MemoryError:
        return None, {"error": f"MemoryError under a {MEMORY_LIMIT / 2**30:.0f} GiB limit"}
    return result, {"seconds": round(seconds, 4), "peak_mib": round(peak / 2**20, 2)}


def run_scale(scale: int, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    config = load_config()
    dataset = load_dataset()
    departments, totals = synthetic_tables(scale)

    def parse() -> Any:
        parsed_totals = parse_totals(read_table(totals, "totals.csv"), "totals.csv")
        return parse_departments(read_table(departments, "d.csv"), parsed_totals, "d.csv")

    table, parse_cost = _measure(parse)
    rows = len(table.frame)
    data = dataclasses.replace(dataset, departments=table)
    model: Model
    model, model_cost = _measure(lambda: build_model(config, data))
    # The three largest departments get 10,000 extra completers each.
    names = table.headroom["department"].head(3).tolist()
    scenario = Scenario(tuple(Lever(n, LeverKind.ADD, 10_000) for n in names))
    _, simulate_cost = _measure(lambda: simulate(model, scenario))
    target = GoalTarget(rank=max(1, model.published_rank - 3))
    goal_cost: dict[str, Any] = {"error": "skipped"}
    if "goal_seek" not in skip:
        _, goal_cost = _measure(lambda: goal_seek(model, target))
    _, gain_cost = _measure(lambda: marginal_gain_by_department(model))
    return {
        "scale": scale,
        "rows": rows,
        "departments": int(table.headroom.shape[0]),
        "csv_bytes": len(departments),
        "parse": parse_cost,
        "model": model_cost,
        "simulate": simulate_cost,
        "goal_seek": {**goal_cost, "target": target.label},
        "marginal_gain": gain_cost,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_goal_scale(scale: int) -> dict[str, Any]:
    """The four goal seeks on a model of `scale` times today's table (the first one also builds
    the per-model tables, as a user's first seek would): wall time, how it was solved, and what
    is proven."""
    departments, totals = synthetic_tables(scale)
    parsed_totals = parse_totals(read_table(totals, "totals.csv"), "totals.csv")
    table = parse_departments(read_table(departments, "d.csv"), parsed_totals, "d.csv")
    model = build_model(load_config(), dataclasses.replace(load_dataset(), departments=table))
    goals = []
    for target in GOAL_TARGETS:
        start = time.perf_counter()
        result = goal_seek(model, target)
        goals.append(
            {
                "target": target.label,
                "seconds": round(time.perf_counter() - start, 3),
                "method": result.method,
                "reachable": result.reachable,
                "extra_completers": result.extra_completers,
                "optimal": bool(result.optimal),
                "lower_bound": result.lower_bound,
                "gap": result.gap,
                "gap_share": result.gap_share,
                "proof": result.proof_text() if result.reachable else result.reason,
            }
        )
    return {
        "scale": scale,
        "rows": len(table.frame),
        "goals": goals,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(scale: int, skip: tuple[str, ...], goal: bool = False) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    print(json.dumps(run_goal_scale(scale) if goal else run_scale(scale, skip)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--skip", nargs="*", default=[], choices=["goal_seek"])
    parser.add_argument("--goal", action="store_true", help="the four goal seeks at each scale")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, tuple(args.skip), args.goal)
        return 0
    results = []
    for scale in args.scales:
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tools.bench_scale",
                    "--child",
                    str(scale),
                    *(["--skip", *args.skip] if args.skip else []),
                    *(["--goal"] if args.goal else []),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                cwd=ROOT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            results.append({"scale": scale, "error": f"took more than {TIMEOUT_S} s"})
            continue
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            results.append({"scale": scale, "error": last})
            continue
        results.append(json.loads(done.stdout))
    report = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "memory_limit_gib": MEMORY_LIMIT / 2**30,
        "results": results,
    }
    out = GOAL_OUT if args.goal and args.out == OUT else args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.goal:
        for row in results:
            if "error" in row:
                print(f"{row['scale']:>4}x  error: {row['error']}")
                continue
            for goal in row["goals"]:
                print(
                    f"{row['scale']:>4}x  {row['rows']:>6} rows  {goal['target']}: "
                    f"{goal['seconds']:.2f} s, {goal['extra_completers']:,} completers by "
                    f"{goal['method']}, {goal['proof']}"
                )
        print(f"written to {out}")
        return 0
    for row in results:
        if "error" in row:
            print(f"{row['scale']:>4}x  error: {row['error']}")
            continue
        cells = []
        for step in ("parse", "model", "simulate", "goal_seek", "marginal_gain"):
            cost = row[step]
            cells.append(
                f"{step} {cost['seconds']:.3f} s / {cost['peak_mib']:.1f} MiB"
                if "seconds" in cost
                else f"{step} {cost['error']}"
            )
        print(f"{row['scale']:>4}x  {row['rows']:>6} rows  " + "; ".join(cells))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
