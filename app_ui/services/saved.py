"""Saved scenarios for the pages: the store behind them, and each one run under the session's
data and model. The only module that knows where saved scenarios live (scoring/store.py today),
so a move of the store changes this file alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app_ui import services
from scoring.engine import SimulationResult
from scoring.errors import ScoringInputError
from scoring.share import ScenarioState
from scoring.store import SavedScenario, ScenarioStore, default_path

__all__ = [
    "Evaluated",
    "SavedScenario",
    "delete",
    "evaluate",
    "get",
    "list_saved",
    "recovered_from",
    "rename",
    "save",
]


@st.cache_resource(max_entries=4, show_spinner=False)
def _store(path: str) -> ScenarioStore:
    # One store object a file for every session: it holds a lock for the writes of this process.
    return ScenarioStore(Path(path))


def _the_store() -> ScenarioStore:
    return _store(str(default_path()))


def recovered_from() -> Path | None:
    """Where a damaged store file was set aside when it was opened, if it was."""
    return _the_store().recovered_from


def list_saved() -> list[SavedScenario]:
    """Every saved scenario, the most recently saved first (ScoringInputError if unreadable)."""
    return _the_store().list()


def get(scenario_id: int) -> SavedScenario | None:
    return _the_store().get(scenario_id)


def save(name: str, state: ScenarioState) -> tuple[SavedScenario, bool]:
    """Save `state` under `name`; True as second value when it replaced a scenario of that name.
    ScoringInputError for a name the store refuses."""
    store = _the_store()
    existed = store.get_by_name(str(name).strip()) is not None
    return store.save(name, state), existed


def rename(scenario_id: int, new_name: str) -> None:
    """ScoringInputError for a refused or already used name."""
    _the_store().rename(scenario_id, new_name)


def delete(scenario_id: int) -> None:
    _the_store().delete(scenario_id)


@dataclass(frozen=True)
class Evaluated:
    """A saved scenario with its result under the session's data and model, or the problems
    that stop it from running there."""

    saved: SavedScenario
    result: SimulationResult | None
    problems: tuple[str, ...] = ()


def evaluate(saved: SavedScenario) -> Evaluated:
    """The saved scenario run exactly as the simulator would run it (cached by model and levers
    in services.simulation)."""
    try:
        ref = services.model_ref(saved.state)
        return Evaluated(saved, services.simulation(saved.state, ref))
    except ScoringInputError as exc:
        return Evaluated(saved, None, tuple(exc.problems))
