"""Saved scenarios through app_ui/services/saved.py (the store behind a small API, each run as the
simulator runs it) and their one-line summary in app_ui/views/saved.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from app_ui.services import saved
from app_ui.views.saved import levers_summary
from scoring.errors import ScoringInputError
from scoring.share import ScenarioState
from scoring.store import ENV_PATH

EDUCATION = "Education Department, Bihar"


def state(levers: list[dict[str, object]], **extra: object) -> ScenarioState:
    return ScenarioState.model_validate({"levers": levers, **extra})


@pytest.fixture(autouse=True)
def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "scenarios.sqlite"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_save_replace_list_rename_delete() -> None:
    push = state([{"target": EDUCATION, "kind": "add", "value": 50_000}])
    first, replaced = saved.save("  Push ", push)
    assert (first.name, replaced) == ("Push", False)
    again, replaced = saved.save("Push", state([]))
    assert (again.id, replaced) == (first.id, True)
    assert again.state == ScenarioState()
    other, _ = saved.save("Other", push)
    assert [s.name for s in saved.list_saved()] == ["Other", "Push"]
    with pytest.raises(ScoringInputError, match="already exists"):
        saved.rename(other.id, "Push")
    saved.rename(other.id, "Third")
    saved.delete(first.id)
    assert [s.name for s in saved.list_saved()] == ["Third"]
    assert saved.get(first.id) is None
    assert saved.recovered_from() is None
    with pytest.raises(ScoringInputError):
        saved.save("   ", push)


def test_evaluate_runs_as_the_simulator_does() -> None:
    push, _ = saved.save("Push", state([{"target": EDUCATION, "kind": "add", "value": 50_000}]))
    run = saved.evaluate(push)
    assert run.problems == () and run.result is not None
    assert round(run.result.score, 2) == 42.15  # the simulator's figure for this lever
    assert (run.result.rank, run.result.extra_completers) == (7, 50_000)
    broken, _ = saved.save("Broken", state([{"target": "Nowhere", "kind": "add", "value": 5}]))
    failed = saved.evaluate(broken)
    assert failed.result is None
    assert failed.problems == ("no department, MDO or MDO id called 'Nowhere'",)


def test_levers_summary() -> None:
    assert levers_summary(ScenarioState()) == "No levers (the published position)"
    two = state(
        [
            {"target": EDUCATION, "kind": "add", "value": 1500},
            {"target": "Home Department Bihar", "kind": "reach", "value": 60.0},
        ],
        weights={"completion_rate": 2.0},
    )
    assert levers_summary(two) == f"{EDUCATION}: +1,500 completers and 1 more (own weights)"
    reach = state(
        [{"target": EDUCATION, "kind": "reach", "value": 62.5}],
        assumptions={"courses_per_completer": 3.0},
    )
    assert levers_summary(reach) == f"{EDUCATION}: reach 62.5% (own assumptions)"
