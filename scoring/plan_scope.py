"""Which goal-seek plan and saved name belong with a scenario (for briefings and plan files).

A session keeps the last goal it asked for; the scenario in the simulator may have changed since.
A plan is shown with a scenario only when it was asked under that same scenario (same levers,
assumptions and weights), or when the scenario's levers are that plan itself (loaded into the
simulator) under the same assumptions and weights: never a plan of an unrelated earlier run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from scoring.scenario import LeverKind
from scoring.share import LeverState, ScenarioState
from scoring.store import SavedScenario


def plan_levers(plan: pd.DataFrame) -> tuple[LeverState, ...]:
    """A goal-seek plan (id, extra_completers rows) as the levers that replay it exactly."""
    return tuple(
        LeverState(target=str(row.id), kind=LeverKind.ADD.value, value=int(row.extra_completers))
        for row in plan.itertuples()
    )


def _lever_set(levers: Iterable[LeverState]) -> set[tuple[str, str, float]]:
    return {(lever.target, lever.kind, float(lever.value)) for lever in levers}


def plan_belongs(
    asked_under: ScenarioState | None, current: ScenarioState, plan: pd.DataFrame
) -> bool:
    """Whether a plan asked under `asked_under` belongs with the `current` scenario."""
    if asked_under is None:
        return False
    if (asked_under.weights, asked_under.assumptions) != (current.weights, current.assumptions):
        return False
    if _lever_set(asked_under.levers) == _lever_set(current.levers):
        return True
    return not plan.empty and _lever_set(plan_levers(plan)) == _lever_set(current.levers)


def saved_as(current: ScenarioState, saved: Sequence[SavedScenario]) -> SavedScenario | None:
    """The saved scenario that is exactly `current` (the latest saved, if several are)."""
    same = [s for s in saved if s.state == current]
    return max(same, key=lambda s: s.updated_at) if same else None
