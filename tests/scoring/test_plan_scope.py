"""Which goal-seek plan and saved name belong with a scenario."""

from __future__ import annotations

import pandas as pd

from scoring.plan_scope import plan_belongs, plan_levers, saved_as
from scoring.share import LeverState, ScenarioState
from scoring.store import SavedScenario

HOME = LeverState(target="Home Department Bihar", kind="add", value=4_833)
EDUCATION = LeverState(target="Education Department, Bihar", kind="add", value=50_000)
PLAN = pd.DataFrame(
    {
        "id": ["m1", "m2"],
        "department": ["Home", "Road"],
        "mdo": ["Home HQ", "Road HQ"],
        "extra_completers": [4_833, 636],
    }
)
PLAN_LEVERS = (
    LeverState(target="m1", kind="add", value=4_833),
    LeverState(target="m2", kind="add", value=636),
)


def test_plan_levers_replay_the_plan() -> None:
    assert plan_levers(PLAN) == PLAN_LEVERS


def test_same_scenario_or_the_loaded_plan_belongs() -> None:
    asked = ScenarioState(levers=(EDUCATION,))
    assert plan_belongs(asked, ScenarioState(levers=(EDUCATION,)), PLAN)
    # The plan loaded into the simulator (any order) is the plan's own scenario.
    loaded = ScenarioState(levers=tuple(reversed(PLAN_LEVERS)))
    assert plan_belongs(asked, loaded, PLAN)


def test_other_levers_weights_or_assumptions_do_not() -> None:
    asked = ScenarioState(levers=(EDUCATION,))
    assert not plan_belongs(asked, ScenarioState(levers=(HOME,)), PLAN)
    assert not plan_belongs(
        asked, ScenarioState(levers=(EDUCATION,), weights={"completer_rate": 40}), PLAN
    )
    assert not plan_belongs(
        asked, ScenarioState(levers=PLAN_LEVERS, assumptions={"courses_per_completer": 3}), PLAN
    )
    assert not plan_belongs(None, ScenarioState(levers=(EDUCATION,)), PLAN)
    assert not plan_belongs(asked, ScenarioState(), PLAN.iloc[:0])


def _saved(i: int, state: ScenarioState, updated: str) -> SavedScenario:
    return SavedScenario(id=i, name=f"s{i}", state=state, created_at=updated, updated_at=updated)


def test_saved_as_finds_the_latest_exact_match() -> None:
    push = ScenarioState(levers=(HOME,))
    saved = [
        _saved(1, push, "2026-01-01T09:00:00"),
        _saved(2, ScenarioState(levers=(EDUCATION,)), "2026-01-03T09:00:00"),
        _saved(3, push, "2026-01-02T09:00:00"),
    ]
    found = saved_as(push, saved)
    assert found is not None and found.id == 3
    assert saved_as(ScenarioState(levers=(HOME, EDUCATION)), saved) is None
