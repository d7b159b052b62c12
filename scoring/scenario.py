"""Scenarios: levers on departments or MDOs, turned into extra completers and consistent rows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from scoring.config import COLUMNS, Assumptions
from scoring.data import DepartmentTable
from scoring.errors import ScenarioError
from scoring.kpis import COLUMN_INDEX, safe_ratio

ONB, ACT, UC, ENR, COMP, HRS, ATT, PAS = (COLUMN_INDEX[c] for c in COLUMNS)
MAX_LEVER_VALUE = 100_000_000


class LeverKind(StrEnum):
    ADD = "add"  # N more users complete courses
    REACH = "reach"  # raise the share of onboarded users with a completion to X percent


class Scope(StrEnum):
    DEPARTMENT = "department"
    MDO = "mdo"


@dataclass(frozen=True)
class Lever:
    target: str  # a department name, an MDO name (if unique) or an MDO id
    kind: LeverKind
    value: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.value) or self.value < 0:
            raise ScenarioError(
                f"{self.target}: value must be a non-negative number, got {self.value}"
            )
        if self.kind is LeverKind.REACH and self.value > 100:
            raise ScenarioError(f"{self.target}: a share cannot be above 100%, got {self.value:g}")
        if self.kind is LeverKind.ADD and (
            self.value != int(self.value) or self.value > MAX_LEVER_VALUE
        ):
            raise ScenarioError(
                f"{self.target}: extra completers must be a whole number "
                f"up to {MAX_LEVER_VALUE:,}, got {self.value:g}"
            )


@dataclass(frozen=True)
class Scenario:
    levers: tuple[Lever, ...] = ()


@dataclass(frozen=True)
class ResolvedTarget:
    scope: Scope
    indices: tuple[int, ...]
    label: str


@dataclass(frozen=True)
class LeverOutcome:
    lever: Lever
    target: ResolvedTarget
    requested: int  # completers the lever asked for
    applied: int  # completers it could add (capped by units' headroom)

    @property
    def capped(self) -> bool:
        return self.applied < self.requested


@dataclass(frozen=True)
class ScenarioAdditions:
    added: np.ndarray  # extra completers per row (M,)
    outcomes: tuple[LeverOutcome, ...] = field(default_factory=tuple)


def resolve_target(table: DepartmentTable, name: str) -> ResolvedTarget:
    """A department (preferred), an MDO id, or an MDO name that is unique; case-insensitive."""
    frame = table.frame
    key = name.strip().casefold()
    keys = table.match_keys
    match = np.flatnonzero(keys.usable & (keys.departments == key))
    if match.size:
        return ResolvedTarget(
            Scope.DEPARTMENT, tuple(match.tolist()), str(frame["department"].iloc[match[0]])
        )
    match = np.flatnonzero(keys.usable & (keys.ids == key))
    if match.size:
        return ResolvedTarget(Scope.MDO, (int(match[0]),), str(frame["mdo"].iloc[match[0]]))
    match = np.flatnonzero(keys.usable & (keys.mdos == key))
    if match.size == 1:
        return ResolvedTarget(Scope.MDO, (int(match[0]),), str(frame["mdo"].iloc[match[0]]))
    if match.size > 1:
        ids_text = ", ".join(frame["id"].iloc[match])
        raise ScenarioError(f"{name!r} names {match.size} MDOs; use an id: {ids_text}")
    shown = name if len(name) <= 80 else name[:77] + "..."
    raise ScenarioError(f"no department, MDO or MDO id called {shown!r}")


def spread_by_headroom(count: int, headroom: np.ndarray) -> np.ndarray:
    """Split `count` whole completers over units in proportion to headroom (largest remainder)."""
    headroom = np.maximum(np.asarray(headroom, dtype=float), 0)
    total = headroom.sum()
    count = int(min(count, total))
    if count <= 0 or total <= 0:
        return np.zeros(headroom.shape, dtype=float)
    exact = count * headroom / total
    shares = np.floor(exact)
    left = int(count - shares.sum())
    if left > 0:
        order = np.argsort(-(exact - shares), kind="stable")
        shares[order[:left]] += 1
    return np.minimum(shares, headroom)


def lever_additions(table: DepartmentTable, levers: tuple[Lever, ...]) -> ScenarioAdditions:
    """Extra completers per row for a list of levers, applied in order on top of each other."""
    base = table.values
    added = np.zeros(len(base), dtype=float)
    outcomes = []
    for lever in levers:
        target = resolve_target(table, lever.target)
        idx = np.array(target.indices)
        onboarded = base[idx, ONB]
        completers = base[idx, UC] + added[idx]
        headroom = onboarded - completers
        if lever.kind is LeverKind.ADD:
            requested = int(lever.value)
            extra = spread_by_headroom(requested, headroom)
        else:
            wanted = np.ceil(lever.value / 100 * onboarded - 1e-9)
            extra = np.clip(wanted - completers, 0, headroom)
            requested = int(extra.sum())
        added[idx] += extra
        outcomes.append(LeverOutcome(lever, target, requested, int(extra.sum())))
    return ScenarioAdditions(added, tuple(outcomes))


@dataclass(frozen=True)
class AdditionRates:
    """Per-unit figures of `apply_additions` that depend only on the base rows and the
    assumptions: computed once per model, not on every scenario."""

    room: np.ndarray  # extra completers a unit can take (0 for the remainder)
    from_inactive: np.ndarray  # share of new completers who were inactive users
    per_course: np.ndarray  # learning hours per completed course
    attempts_per_course: np.ndarray  # assessment attempts per completed course


def addition_rates(
    base: np.ndarray, assumptions: Assumptions, is_remainder: np.ndarray
) -> AdditionRates:
    onb, act, uc = base[:, ONB], base[:, ACT], base[:, UC]
    comp, hrs, att = base[:, COMP], base[:, HRS], base[:, ATT]
    if assumptions.from_inactive == "proportional":
        from_inactive = safe_ratio(onb - act, onb - uc)
    else:
        from_inactive = np.full(onb.shape, float(assumptions.from_inactive))
    state_comp = comp.sum()
    if assumptions.hours_per_course == "unit":
        fallback = hrs.sum() / state_comp if state_comp else 1.0
        per_course = np.where(comp > 0, safe_ratio(hrs, comp), fallback)
    else:
        per_course = np.full(onb.shape, float(assumptions.hours_per_course))
    state_attempts = min(1.0, att.sum() / state_comp) if state_comp else 0.0
    attempts_per_course = np.where(comp > 0, np.minimum(1.0, safe_ratio(att, comp)), state_attempts)
    rates = AdditionRates(
        room=np.where(is_remainder, 0.0, onb - uc),
        from_inactive=from_inactive,
        per_course=per_course,
        attempts_per_course=attempts_per_course,
    )
    for array in rates.__dict__.values():
        array.flags.writeable = False
    return rates


def apply_additions(
    base: np.ndarray,
    added: np.ndarray,
    assumptions: Assumptions,
    is_remainder: np.ndarray,
    rates: AdditionRates | None = None,
) -> np.ndarray:
    """Rows after adding completers: (M, C) base and (S, M) additions give (S, M, C).

    Each new completer takes `courses_per_completer` courses and completes them; enrolments,
    hours, attempts and passes follow (attempts at the unit's own share of completions with an
    assessment; completing such a course means passing it). Completers are active users, and a
    share of them were inactive before. Nothing exceeds onboarded; completions never exceed
    enrolments. `rates` are `addition_rates(base, assumptions, is_remainder)`, when the caller
    has them already.
    """
    if rates is None:
        rates = addition_rates(base, assumptions, is_remainder)
    added = np.atleast_2d(np.asarray(added, dtype=float))
    onb, act, uc = base[:, ONB], base[:, ACT], base[:, UC]
    n = np.clip(np.floor(added), 0.0, rates.room)

    d_act = np.rint(n * rates.from_inactive)
    d_act = np.maximum(d_act, uc + n - act)  # every completer is an active user
    d_act = np.minimum(d_act, onb - act)

    courses = n * assumptions.courses_per_completer
    d_comp = np.rint(courses)
    d_enr = np.maximum(d_comp, np.rint(courses * assumptions.enrolments_per_course))
    d_att = np.rint(d_comp * rates.attempts_per_course)

    delta = np.zeros((*n.shape, base.shape[1]), dtype=float)
    delta[..., ACT] = d_act
    delta[..., UC] = n
    delta[..., ENR] = d_enr
    delta[..., COMP] = d_comp
    delta[..., HRS] = courses * rates.per_course
    delta[..., ATT] = d_att
    delta[..., PAS] = d_att
    return base[None, :, :] + delta


def completer_capacity(base: np.ndarray, is_remainder: np.ndarray, ceiling: float) -> np.ndarray:
    """Most extra completers a unit can be planned for under the activation ceiling.

    The ceiling share of onboarded users is rounded *up* to a whole user: rounding down made a
    one-user MDO unplannable (floor(0.9 x 1) = 0) although its one user would bring it over the
    half-active line. Rounding up adds at most one user per unit, and any unit with a user
    and no completer can be planned for at least one, whatever the ceiling.
    """
    onboarded = base[:, ONB]
    cap = np.minimum(np.ceil(ceiling * onboarded - 1e-9), onboarded) - base[:, UC]
    return np.where(is_remainder, 0.0, np.maximum(cap, 0.0))
