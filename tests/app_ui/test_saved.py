"""Saved scenarios through app_ui/services/saved.py (the store behind a small API, each run as the
simulator runs it) and their one-line summary in app_ui/views/saved.py."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
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


def _names() -> list[str]:
    return [s.name for s in saved.listing().scenarios]


def test_save_replace_list_rename_share_delete_restore() -> None:
    """Sign-in off: the local user (every right) owns what is saved, as `make run` always did."""
    push = state([{"target": EDUCATION, "kind": "add", "value": 50_000}])
    first, replaced = saved.save("  Push ", push)
    assert (first.name, first.owner, first.visibility, replaced) == (
        "Push",
        "local",
        "private",
        False,
    )
    again, replaced = saved.save("Push", state([]), shared=True)
    assert (again.id, again.visibility, again.version, replaced) == (first.id, "shared", 2, True)
    assert again.state == ScenarioState()
    other, _ = saved.save("Other", push)
    assert _names() == ["Other", "Push"]
    assert saved.may_save() and saved.may_change(other)
    with pytest.raises(ScoringInputError, match="You already have a scenario called “Push”"):
        saved.rename(other, "Push")
    third = saved.rename(other, "Third")
    assert (third.name, third.version) == ("Third", 2)
    # The page's copy of "Other" is one version behind now: refused, with what happened.
    with pytest.raises(ScoringInputError, match="was changed by someone else"):
        saved.set_shared(other, True)
    assert saved.set_shared(third, True).visibility == "shared"
    gone = saved.delete(again)
    assert (gone.id, gone.name, gone.deleted_by) == (first.id, "Push", "local")
    assert _names() == ["Third"]
    assert saved.get(first.id) is None
    assert [d.name for d in saved.deleted()] == ["Push"]
    with pytest.raises(ScoringInputError, match=r"“Push” was deleted by local at .* IST"):
        saved.rename(replace(again, version=gone.version), "Back")
    assert saved.restore(first.id, "Push").name == "Push"
    assert _names() == ["Push", "Third"] and saved.deleted() == []
    assert saved.recovered_from() is None
    with pytest.raises(ScoringInputError, match="a name of 1 to 120 characters"):
        saved.save("   ", push)


def test_restore_refused_when_the_name_is_taken_again() -> None:
    first, _ = saved.save("Plan", state([]))
    saved.delete(first)
    saved.save("Plan", state([]))
    with pytest.raises(ScoringInputError, match="exists again"):
        saved.restore(first.id, "Plan")


def test_times_in_ist() -> None:
    first, _ = saved.save("Plan", state([]))
    utc = dt.datetime.fromisoformat(first.updated_at)
    ist = utc + dt.timedelta(hours=5, minutes=30)
    assert saved.when(first.updated_at) == f"{ist:%-d %b %Y, %H:%M} IST"
    assert saved.when("2026-01-20T10:00:00+00:00") == "20 Jan 2026, 15:30 IST"


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


def test_racing_saves_and_deletes_give_messages_never_exceptions() -> None:
    """Issue 15 saw an AssertionError hundreds of times when a save raced a delete: here four
    threads save, rename and delete the same scenario through the service for two seconds."""
    allowed = (
        "was changed by someone else",
        "was deleted by",
        "no longer exists",
        "is being saved",
        "You already have a scenario called",  # renamed to a name another thread just took
    )
    unexpected: list[str] = []
    refused = done = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + 2.0

    def work(n: int) -> None:
        nonlocal refused, done
        while time.monotonic() < stop_at:
            try:
                # What a page does: act on the copy it listed a moment ago, maybe stale by now.
                listed = saved.listing().scenarios
                time.sleep(0.002 * n)
                if not listed:
                    saved.save("Race", state([]))
                elif n % 2:
                    saved.delete(listed[0])
                else:
                    saved.rename(listed[0], f"Race {n}")
                with lock:
                    done += 1
            except ScoringInputError as exc:
                text = "; ".join(exc.problems)
                with lock:
                    refused += 1
                    if not any(part in text for part in allowed):
                        unexpected.append(text)
            except Exception as exc:  # what the issue saw: must never happen
                with lock:
                    unexpected.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert unexpected == []
    # Progress and real races, whatever the machine's load (about 130 of each here).
    assert done > 0 and refused > 0
    assert all(s.name.startswith("Race") for s in saved.listing().scenarios)
