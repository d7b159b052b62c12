"""Lever rules a planner's screen needs: a unit's figures, suggested lever sizes, kind switches."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scoring.data import DepartmentTable
from scoring.scenario import LeverKind
from scoring.share import LeverState


@dataclass(frozen=True)
class UnitFigures:
    """Where a lever's unit (a department or one MDO) stands today."""

    onboarded: float
    completers: float

    @property
    def headroom(self) -> float:
        """Onboarded users without a completion: what a lever can still add."""
        return max(self.onboarded - self.completers, 0.0)

    @property
    def share(self) -> float:
        """Share of onboarded users with a completion, 0-1."""
        return self.completers / self.onboarded if self.onboarded else 0.0


def unit_figures(table: DepartmentTable, target: str) -> UnitFigures:
    """Onboarded users and users with a completion of a department or an MDO id (zeros for an
    unknown target: the scenario's own validation names it)."""
    onboarded, completers = table.unit_counts.get(target, (0.0, 0.0))
    return UnitFigures(float(onboarded), float(completers))


def suggested_add(headroom: float) -> int:
    """A first "extra completers" value: a tenth of the headroom in whole hundreds (at least 100,
    never above the headroom), a visible but modest first step."""
    if headroom <= 0:
        return 0
    return int(min(headroom, max(100, round(headroom / 10, -2))))


def suggested_reach(share_now: float) -> float:
    """A first "target share" value in percent: the next round ten above where the unit stands."""
    return float(min(100.0, math.floor(share_now * 100 / 10) * 10 + 10))


def new_lever(target: str, unit: UnitFigures) -> LeverState:
    """The lever a newly picked unit starts with: no extra completers.

    Picking a unit must not move the score by itself (it used to add a tenth of the headroom
    unasked, so the rank changed before anything was typed); the card shows `suggested_add`
    as a first step to type instead.
    """
    del unit  # the suggestion is the card's to show
    return _lever(target, LeverKind.ADD.value, 0)


def with_kind(lever: LeverState, kind: str, unit: UnitFigures) -> LeverState:
    """The lever switched to another kind, with that kind's suggested value."""
    if lever.kind == kind:
        return lever
    if kind == LeverKind.REACH.value:
        return _lever(lever.target, kind, suggested_reach(unit.share))
    return _lever(lever.target, kind, suggested_add(unit.headroom))


def with_value(lever: LeverState, value: float) -> LeverState:
    """The lever with a new value (whole completers for an "add" lever)."""
    shown = int(value) if lever.kind == LeverKind.ADD.value else float(value)
    return _lever(lever.target, lever.kind, shown)


def _lever(target: str, kind: str, value: float) -> LeverState:
    return LeverState.model_validate({"target": target, "kind": kind, "value": value})
