"""What a set of KPI weights does: each KPI's and pillar's share of the score, and the scenario's
score, rank and goal under edited weights against the model file's."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.aggregate import normalised
from scoring.compare import compare, states_above
from scoring.config import ModelConfig, Pillar
from scoring.engine import Model, SimulationResult
from scoring.goal import GoalResult, GoalTarget

# Weights closer than this count as unchanged (number inputs send floats).
SAME_WEIGHT = 1e-9


def weight_shares(config: ModelConfig, defaults: ModelConfig) -> pd.DataFrame:
    """One row per KPI of `config`, in its order: id, pillar, weight, share (of the composite:
    the weight over the sum of weights), default (the KPI's weight in `defaults`, its own weight
    where `defaults` lacks it) and changed (the weight differs from the default)."""
    weights = np.asarray(config.weights, dtype=float)
    default_by_id = {k.id: k.weight for k in defaults.kpis}
    default = [default_by_id.get(k.id, k.weight) for k in config.kpis]
    return pd.DataFrame(
        {
            "id": [k.id for k in config.kpis],
            "pillar": [k.pillar.value for k in config.kpis],
            "weight": weights,
            "share": normalised(weights),
            "default": np.asarray(default, dtype=float),
            "changed": np.abs(weights - np.asarray(default, dtype=float)) > SAME_WEIGHT,
        }
    )


def pillar_shares(shares: pd.DataFrame) -> dict[str, float]:
    """Each pillar's share of the composite (the sum of its KPIs' shares; 0 for a pillar
    without KPIs), for every pillar in the enum's order."""
    sums = shares.groupby("pillar")["share"].sum()
    return {p.value: float(sums.get(p.value, 0.0)) for p in Pillar}


def goal_target(model: Model, requested: GoalTarget | None) -> GoalTarget:
    """The goal to measure weights against: the one asked on the simulator, or else passing the
    nearest state above (rank 1 when none is above)."""
    if requested is not None:
        return requested
    above = states_above(model)
    return GoalTarget(beat=above[0]) if above else GoalTarget(rank=1)


def completers_needed(result: GoalResult) -> int | None:
    """Extra completers a goal needs: 0 when already met, None when out of reach."""
    if result.already_met:
        return 0
    return result.extra_completers if result.reachable else None


@dataclass(frozen=True)
class WeightEffect:
    """The scenario under edited weights beside the same scenario under the model file's."""

    score: float
    default_score: float
    score_change: float  # edited - default
    rank: int
    default_rank: int
    places: int  # places gained by the edited weights (positive is better)
    category: str
    count: int  # states in the category
    extra_completers: int  # the scenario's
    target: GoalTarget
    goal: int | None  # completers the goal needs under the edited weights (None: out of reach)
    default_goal: int | None
    goal_change: int | None  # edited - default, when both are in reach


def weight_effect(
    edited: SimulationResult,
    default: SimulationResult,
    goal_edited: GoalResult,
    goal_default: GoalResult,
) -> WeightEffect:
    """Compare one scenario run under edited and default weights, with the goal under each."""
    row = compare({"edited": edited, "default": default}, base="default").iloc[0]
    need, default_need = completers_needed(goal_edited), completers_needed(goal_default)
    return WeightEffect(
        score=edited.score,
        default_score=default.score,
        score_change=float(row["score_change"]),
        rank=edited.rank,
        default_rank=default.rank,
        places=int(row["rank_change"]),
        category=edited.category,
        count=len(edited.category_table),
        extra_completers=edited.extra_completers,
        target=goal_edited.target,
        goal=need,
        default_goal=default_need,
        goal_change=need - default_need if need is not None and default_need is not None else None,
    )
