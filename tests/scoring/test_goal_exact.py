"""Exact goal seek equals brute force over every plan on small synthetic department tables."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

from scoring.config import COLUMNS, ModelConfig
from scoring.data import Dataset, DepartmentTable
from scoring.engine import Model, build_model, evaluate
from scoring.goal import GoalTarget, goal_seek
from scoring.scenario import completer_capacity


def synthetic(
    config: ModelConfig, dataset: Dataset, seed: int, sizes: tuple[tuple[int, int], ...]
) -> Model:
    """A focus state with a few MDOs, onboarded users drawn from `sizes` (rounding ties and
    one-user units included)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, (low, high) in enumerate(sizes):
        onb = int(rng.integers(low, high + 1))
        act = int(rng.integers(0, onb // 2 + 2)) if onb > 20 else int(rng.integers(0, onb + 1))
        act = min(act, onb)
        uc = int(rng.integers(0, act + 1))
        enr = int(rng.integers(uc, 4 * onb + 1))
        comp = int(rng.integers(uc, enr + 1))
        att = int(rng.integers(0, comp + 1))
        rows.append(
            {
                "id": f"u{i}",
                "department": f"Dept {i % 2}",
                "mdo": f"Unit {i}",
                "is_remainder": False,
                "onboarded": onb,
                "active": act,
                "user_completions": uc,
                "enrolments": enr,
                "completions": comp,
                "hours": round(float(rng.uniform(0, 3 * comp)), 2),
                "attempted": att,
                "passed": int(rng.integers(0, att + 1)),
            }
        )
    rows.append(
        {
            "id": "unlisted-remainder",
            "department": "Unlisted",
            "mdo": "Unlisted",
            "is_remainder": True,
            **{c: 5.0 for c in COLUMNS},
        }
    )
    frame = pd.DataFrame(rows)
    frame[list(COLUMNS)] = frame[list(COLUMNS)].astype(float)
    ranking = pd.DataFrame(
        {"state": ["BIHAR", "RIVAL"], "category": ["C", "C"], "score": [30.0, 10.0]}
    )
    data = dataclasses.replace(dataset, departments=DepartmentTable(frame), ranking=ranking)
    return build_model(config, data)


def every_plan(model: Model) -> tuple[np.ndarray, np.ndarray]:
    cap = completer_capacity(
        model.base_rows, model.is_remainder, model.config.scenario.activation_ceiling
    )
    grid = np.array(list(itertools.product(*[range(int(c) + 1) for c in cap])), dtype=float)
    return grid, evaluate(model, grid).score


def with_rival(model: Model, score: float) -> Model:
    ranking = model.data.ranking.copy()
    ranking.loc[ranking["state"] == "RIVAL", "score"] = score
    data = dataclasses.replace(model.data, ranking=ranking)
    return build_model(model.config, data)


TINY = ((1, 14),) * 5
MIXED = ((50, 70), (45, 65), (1, 4), (1, 4))
VARIANTS = {
    "default": {},
    "constant inactive share": {"from_inactive": 0.5},
    "1.5 courses": {"courses_per_completer": 1.5},
    "unit hours": {"hours_per_course": "unit"},
    "ceiling 1": {"activation_ceiling": 1.0},
}


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
@pytest.mark.parametrize("seed", range(6))
def test_fewest_equals_brute_force(
    config: ModelConfig, dataset: Dataset, variant: str, seed: int
) -> None:
    sizes_of = TINY if seed % 2 == 0 else MIXED
    base = synthetic(config.with_assumptions(**VARIANTS[variant]), dataset, seed, sizes_of)
    grid, scores = every_plan(base)
    sizes = grid.sum(axis=1)
    # Rivals spread over the scores a plan can reach: each a target that needs something. A
    # rank target ties the rival; passing it needs one hundredth more.
    reachable = np.unique(scores[scores > scores[0]])
    quantiles = np.quantile(reachable, [0.1, 0.5, 0.95], method="nearest")
    for rival, target in itertools.product(
        quantiles, [GoalTarget(rank=1), GoalTarget(beat="RIVAL")]
    ):
        model = with_rival(base, float(rival) - (0.01 if target.beat else 0.0))
        result = goal_seek(model, target)
        need = result.needed_score
        fewest = int(sizes[scores >= need - 1e-9].min())
        assert result.reachable and result.optimal, (variant, seed, rival, result.method)
        assert result.extra_completers == fewest
        assert result.lower_bound == fewest
        check = evaluate(model, result.allocation[None]).score[0]
        assert check >= need and result.score == check


@pytest.mark.parametrize("seed", range(3))
def test_loose_shapes_say_so_and_never_undercut_brute_force(
    config: ModelConfig, dataset: Dataset, seed: int
) -> None:
    # Enrolments growing faster than completions make completions / enrolments a ratio of two
    # different sums: bounded, not exact. The plan must still be right and the bound honest.
    base = synthetic(config.with_assumptions(enrolments_per_course=1.5), dataset, seed, TINY)
    grid, scores = every_plan(base)
    sizes = grid.sum(axis=1)
    reachable = np.unique(scores[scores > scores[0]])
    model = with_rival(base, float(np.quantile(reachable, 0.5, method="nearest")) - 0.01)
    result = goal_seek(model, GoalTarget(beat="RIVAL"))
    fewest = int(sizes[scores >= result.needed_score - 1e-9].min())
    assert result.extra_completers >= fewest
    assert result.lower_bound is not None and result.lower_bound <= fewest
    assert result.optimal == (result.extra_completers == result.lower_bound)
    assert evaluate(model, result.allocation[None]).score[0] >= result.needed_score


@pytest.mark.parametrize("seed", range(4))
def test_relaxed_rounding_bounds_honestly(
    config: ModelConfig, dataset: Dataset, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no unit tabulated, rounding ties are relaxed: the bound must stay a bound, and a plan
    # is called optimal only when it is.
    monkeypatch.setattr("scoring.milp.SMALL_UNIT", 0)
    base = synthetic(config, dataset, seed, TINY)
    grid, scores = every_plan(base)
    sizes = grid.sum(axis=1)
    reachable = np.unique(scores[scores > scores[0]])
    for rival in np.quantile(reachable, [0.2, 0.6, 0.9], method="nearest"):
        model = with_rival(base, float(rival))
        result = goal_seek(model, GoalTarget(rank=1))
        fewest = int(sizes[scores >= result.needed_score - 1e-9].min())
        assert result.lower_bound is not None and result.lower_bound <= fewest
        assert result.extra_completers >= fewest
        if result.optimal:
            assert result.extra_completers == fewest
