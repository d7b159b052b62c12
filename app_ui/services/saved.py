"""Saved scenarios for the pages: the configured database's store behind them, the signed-in user as
the actor of every change (checked on the server), messages in the session's language, and each
scenario run under the session's data and model. The only module that touches scoring/store.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app_ui import auth, services
from app_ui.l10n import local_date, t
from scoring import db
from scoring.engine import SimulationResult
from scoring.errors import ScoringInputError
from scoring.roles import Action, NotAllowed, can
from scoring.share import ScenarioState
from scoring.store import (
    MAX_NAME,
    UNDO_DAYS,
    Actor,
    DatabaseProblem,
    Deletion,
    Listing,
    SavedScenario,
    ScenarioConflict,
    ScenarioStore,
    UnreadableScenario,
    Visibility,
    clean_name,
    local_time,
)

__all__ = [
    "UNDO_DAYS",
    "Deletion",
    "Evaluated",
    "Listing",
    "SavedScenario",
    "UnreadableScenario",
    "actor",
    "delete",
    "deleted",
    "evaluate",
    "get",
    "listing",
    "may_change",
    "may_save",
    "recovered_from",
    "rename",
    "restore",
    "save",
    "set_shared",
]


@st.cache_resource(max_entries=4, show_spinner=False)
def _store(url: str) -> ScenarioStore:
    # One store a database for every session of this process; `url` keys the cache by value, so a
    # changed configuration (tests) opens the new database.
    del url
    return ScenarioStore()  # no path: the configured database (IGOT_DATABASE_URL or SQLite)


def _the_store() -> ScenarioStore:
    return _store(db.default_url())


def actor() -> Actor:
    """The session's user as the store's actor: their id owns what they save, their role decides
    what they may change ("local" with every right when sign-in is off)."""
    user = auth.current_user()
    if not user.id:  # sign-in configured but nobody signed in: the gate normally stops first
        raise auth.ActionRefused(user.role, Action.SAVE_SCENARIO, signed_in=False)
    return Actor(user.id, user.role)


def may_save() -> bool:
    """For showing the save form; every change still checks the role on the server."""
    return auth.allowed(Action.SAVE_SCENARIO)


def may_change(saved: SavedScenario) -> bool:
    """Whether to show rename, delete and sharing for `saved`: its owner or an admin."""
    who = actor()
    return can(who.role, Action.SAVE_SCENARIO) and (
        saved.owner == who.user or can(who.role, Action.ADMIN)
    )


def recovered_from() -> Path | None:
    """Where a damaged SQLite file was set aside when it was opened, if it was."""
    return _the_store().recovered_from


def listing() -> Listing:
    """The scenarios the user may see (their own and shared ones), newest first, and the rows that
    cannot be read. ScoringInputError (translated) when the database cannot be read."""
    try:
        return _the_store().listing(actor())
    except DatabaseProblem as exc:
        raise ScoringInputError([t("scenarios.database_problem"), *exc.problems]) from None


def deleted() -> list[SavedScenario]:
    """Deleted scenarios the user may still restore, the most recent deletion first."""
    try:
        return _the_store().deleted(actor())
    except DatabaseProblem as exc:
        raise ScoringInputError([t("scenarios.database_problem"), *exc.problems]) from None


def get(scenario_id: int) -> SavedScenario | None:
    return _the_store().get(scenario_id, actor())


def _name(name: str) -> str:
    try:
        return clean_name(name)
    except ScoringInputError:
        raise ScoringInputError(t("scenarios.name_rule", max=MAX_NAME)) from None


def _refused(exc: NotAllowed, saved: SavedScenario | None = None) -> ScoringInputError:
    """A refusal in the user's language: ActionRefused is translated already; the store's NotOwner
    (someone else's scenario) is said again here with the owner's name."""
    if isinstance(exc, auth.ActionRefused):
        return ScoringInputError(str(exc))
    if saved is not None and exc.action is Action.ADMIN:
        return ScoringInputError(t("scenarios.not_owner", name=saved.name, owner=saved.owner))
    return ScoringInputError(str(auth.ActionRefused(exc.role, exc.action)))


def _conflict(saved: SavedScenario) -> ScoringInputError:
    """What happened to `saved` since the user's page listed it, read back from the database: the
    store's version check refused the change, and the user needs to know why in their language."""
    store, who = _the_store(), actor()
    gone = next((d for d in store.deleted(who) if d.id == saved.id), None)
    if gone is not None and gone.deleted_at is not None:
        return ScoringInputError(
            t(
                "scenarios.conflict_deleted",
                name=saved.name,
                who=gone.deleted_by or "?",
                when=when(gone.deleted_at),
            )
        )
    if store.get(saved.id, who) is None:
        return ScoringInputError(t("scenarios.conflict_gone", name=saved.name))
    return ScoringInputError(t("scenarios.conflict_changed", name=saved.name))


def when(moment: str) -> str:
    """A stored UTC time as the user reads it: '20 Jan 2026, 15:30 IST' (Hindi month names in
    Hindi), in IST, the officials' time zone: scoring.store.format_local in the session's
    language."""
    local = local_time(moment)
    return f"{local_date(local.date())}, {local:%H:%M} {local.tzname()}"


def save(name: str, state: ScenarioState, shared: bool = False) -> tuple[SavedScenario, bool]:
    """Save `state` under `name` as the user's own, private unless `shared`; True as second value
    when it replaced their scenario of that name. ScoringInputError (translated) for a refused
    role, a refused name, a racing save or a database fault."""
    try:
        auth.require(Action.SAVE_SCENARIO)
        store, who, clean = _the_store(), actor(), _name(name)
        existed = store.get_by_name(clean, who) is not None
        visibility = Visibility.SHARED if shared else Visibility.PRIVATE
        return store.save(clean, state, who, visibility), existed
    except NotAllowed as exc:
        raise _refused(exc) from None
    except ScenarioConflict:
        raise ScoringInputError(t("scenarios.save_race", name=name)) from None
    except DatabaseProblem as exc:
        raise ScoringInputError([t("scenarios.database_problem"), *exc.problems]) from None


def rename(saved: SavedScenario, new_name: str) -> SavedScenario:
    """Rename `saved` as the user saw it (its version): refused for someone else's scenario unless
    an admin asks, and when it changed or went meanwhile; ScoringInputError (translated)."""
    clean = _name(new_name)
    try:
        auth.require(Action.SAVE_SCENARIO)
        return _the_store().rename(saved.id, clean, actor(), expected_version=saved.version)
    except NotAllowed as exc:
        raise _refused(exc, saved) from None
    except ScenarioConflict:
        raise _conflict(saved) from None
    except DatabaseProblem as exc:
        raise ScoringInputError([t("scenarios.database_problem"), *exc.problems]) from None
    except ScoringInputError:
        # The store's only other refusal of a valid name: the owner has one called that already.
        raise ScoringInputError(t("scenarios.name_taken", name=new_name.strip())) from None


def set_shared(saved: SavedScenario, shared: bool) -> SavedScenario:
    """Share `saved` with everyone, or make it private again (its owner or an admin)."""
    visibility = Visibility.SHARED if shared else Visibility.PRIVATE
    try:
        auth.require(Action.SAVE_SCENARIO)
        return _the_store().set_visibility(
            saved.id, visibility, actor(), expected_version=saved.version
        )
    except NotAllowed as exc:
        raise _refused(exc, saved) from None
    except ScenarioConflict:
        raise _conflict(saved) from None
    except DatabaseProblem as exc:
        raise ScoringInputError([t("scenarios.database_problem"), *exc.problems]) from None


def delete(saved: SavedScenario) -> Deletion:
    """Delete `saved` as the user saw it; it can be restored for UNDO_DAYS days."""
    try:
        auth.require(Action.SAVE_SCENARIO)
        return _the_store().delete(saved.id, actor(), expected_version=saved.version)
    except NotAllowed as exc:
        raise _refused(exc, saved) from None
    except ScenarioConflict:
        raise _conflict(saved) from None
    except DatabaseProblem as exc:
        raise ScoringInputError([t("scenarios.database_problem"), *exc.problems]) from None


def restore(scenario_id: int, name: str) -> SavedScenario:
    """Undo the deletion of scenario `scenario_id` (called `name` when the user saw it)."""
    try:
        auth.require(Action.SAVE_SCENARIO)
        store, who = _the_store(), actor()
    except NotAllowed as exc:
        raise _refused(exc) from None
    try:
        return store.restore(scenario_id, who)
    except NotAllowed as exc:
        raise _refused(exc) from None
    except DatabaseProblem as exc:
        raise ScoringInputError([t("scenarios.database_problem"), *exc.problems]) from None
    except ScenarioConflict:
        if any(d.id == scenario_id for d in store.deleted(who)):
            # Still deleted and restorable: its name was taken by a new scenario meanwhile.
            raise ScoringInputError(t("scenarios.restore_clash", name=name)) from None
        raise ScoringInputError(t("scenarios.restore_gone", name=name, days=UNDO_DAYS)) from None


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
