"""The model as a mixed-integer program: a proven relaxation of the score, for exact goal seek.

Why this is exact (the proof the goal seek relies on):

1. Every constraint below is implied by the engine's own arithmetic (`apply_additions`,
   `KpiPlan.values`, `subscores`, `composite`, `anchor`, `round_half_up`) for every whole number of
   extra completers within each unit's capacity. So every plan the engine accepts is feasible
   here: the program is a *relaxation*, and its optimum (proven by HiGHS's dual bound, with a
   relative gap of 0) is a lower bound on the fewest completers the engine can accept.
2. The optimal plan is then replayed through the engine. If the engine accepts it, its size equals
   a lower bound, so it is minimal. If not (it can happen only where a piece is relaxed rather
   than exact: a rounding tie, a KPI shape listed as loose below, or the tangents of a concave
   ratio being too far apart), a tangent is added where the plan sat, and the program solved
   again; what still fails is repaired by the caller, which then reports the gap to the bound.

How each piece is written:

- Extra completers per unit: an integer `n` for large units. Small units (at most SMALL_UNIT
  completers of room) get one binary per possible value, so every quantity of theirs (rounding,
  ties, the MDO-share threshold) is tabulated from the engine itself and exact.
- Column changes of a large unit: completers `n`; hours `courses x hours per course x n`
  (linear); completions `rint(courses x n)` (linear when courses per completer is whole, else an
  integer within 0.5); enrolments the same as completions when every enrolment is completed;
  attempts = passes `rint(completions x attempt share)` and active users `rint(inactive share x
  n)`: integers within 0.5 (+1e-7) of the line, so exactly the engine's value except at exact
  half ties, where both neighbours are allowed (relaxed).
- A pooled KPI whose denominator does not move (e.g. per onboarded user): linear, capped at 100.
  One whose numerator and denominator move by the same amount `u` (completions / enrolments,
  passed / attempted): `(N + u) / (D + u)`, concave and rising when N < D, bounded by tangents.
  Any other pooled shape is bounded by its value at the unmoved denominator (loose).
- An MDO-share KPI: one binary per large unit, allowed to be 1 only from the unit's threshold
  step on (the fewest completers that reach the threshold, found by bisection, which is exact
  because the unit's ratio only rises when its denominator is onboarded users; other
  denominators are scanned exhaustively and marked loose).
- The target: the anchored score rounds (half up) to at least the needed score.
"""

from __future__ import annotations

import math
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scoring.config import COLUMNS, Aggregation, KpiSpec, SubscoreKind
from scoring.engine import Model
from scoring.kpis import COLUMN_INDEX
from scoring.scenario import ACT, ATT, COMP, ENR, HRS, ONB, PAS, UC

SMALL_UNIT = 40
TOL = 1e-7  # slack on the rounding bands: a float product is within 1e-9 of the exact one
TANGENTS = 24
MAX_CACHED = 16


@dataclass
class Expr:
    """A linear expression over the program's variables: coef @ x + const."""

    coef: np.ndarray
    const: float

    def value(self, x: np.ndarray) -> float:
        return float(self.coef @ x[: self.coef.size] + self.const)

    def same_as(self, other: Expr) -> bool:
        size = max(self.coef.size, other.coef.size)
        return self.const == other.const and np.array_equal(
            np.pad(self.coef, (0, size - self.coef.size)),
            np.pad(other.coef, (0, size - other.coef.size)),
        )


@dataclass(frozen=True)
class Concave:
    """sigma <= s (N + u) / (D + u) with u an expression: bounded by tangents."""

    sigma: int
    column: int  # the column whose state total moves by u
    u: Expr
    n0: float
    d0: float
    scale: float
    u_lo: float
    u_hi: float

    def value(self, u: float) -> float:
        return min(100.0, self.scale * (self.n0 + u) / (self.d0 + u))

    def tangent(self, u0: float, size: int) -> tuple[np.ndarray, float]:
        """Row (coefficients, upper bound) of sigma - slope * u <= phi(u0) - slope * u0."""
        slope = self.scale * (self.d0 - self.n0) / (self.d0 + u0) ** 2
        value = self.scale * (self.n0 + u0) / (self.d0 + u0)
        row = np.zeros(size)
        row[self.sigma] = 1.0
        row[: self.u.coef.size] -= slope * self.u.coef
        return row, value - slope * u0 + slope * self.u.const + 1e-9


@dataclass(frozen=True)
class ShapeTerms:
    """One way of scoring (the model's KPIs or a declared variant): its sub-score variables."""

    kpis: tuple[KpiSpec, ...]
    sigma: np.ndarray  # (K,) variable index of each KPI's sub-score
    baseline_subscores: np.ndarray  # (K,) at zero additions, for the anchor
    concave: tuple[Concave, ...]


@dataclass
class Formulation:
    """Variables and constraints shared by every target for one model and start."""

    start: np.ndarray  # (M,) completers already added
    capacity: np.ndarray  # (M,) extra completers each unit may still take
    size: int = 0
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    large: dict[int, int] = field(default_factory=dict)  # unit -> variable of n
    small: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # unit -> (var, value)
    shapes: list[ShapeTerms] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)  # KPI ids bounded rather than exact
    columns: dict[int, Expr] = field(default_factory=dict)
    steps: dict[int, float] = field(default_factory=dict)  # threshold binary -> completers it needs

    def add(self, lower: float, upper: float, integer: bool, cost: float = 0.0) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        self.cost.append(cost)
        self.size += 1
        return self.size - 1

    def row(self, coef: dict[int, float], lower: float, upper: float) -> None:
        self.rows.append((coef, lower, upper))

    def expr(self, terms: dict[int, float], const: float) -> Expr:
        coef = np.zeros(self.size)
        for var, value in terms.items():
            coef[var] += value
        return Expr(coef, const)

    def plan(self, x: np.ndarray) -> np.ndarray:
        """Extra completers per unit (M,) from a solution vector."""
        extra = np.zeros(self.start.shape)
        for unit, var in self.large.items():
            extra[unit] = round(x[var])
        for unit, values in self.small.items():
            for var, value in values:
                if x[var] > 0.5:
                    extra[unit] = value
        return extra

    def solution_of(self, extra: np.ndarray) -> np.ndarray:
        """A solution vector's plan variables for a plan (for evaluating expressions)."""
        x = np.zeros(self.size)
        for unit, var in self.large.items():
            x[var] = extra[unit]
        for unit, values in self.small.items():
            for var, value in values:
                x[var] = float(extra[unit] == value)
        return x


def _reached(rows: np.ndarray, kpi: KpiSpec) -> tuple[np.ndarray, np.ndarray]:
    """The engine's MDO-share test on rows (L, C): (reached, valid)."""
    num, den = rows[:, COLUMN_INDEX[kpi.numerator]], rows[:, COLUMN_INDEX[kpi.denominator]]
    valid = den > 0
    assert kpi.threshold is not None
    return valid & (num >= kpi.threshold * den - 1e-9), valid


def _scale(kpi: KpiSpec) -> float:
    return (
        100.0
        if kpi.subscore.kind is SubscoreKind.RATIO
        else 100.0 / float(kpi.subscore.target or 1)
    )


def capacity(model: Model, start: np.ndarray) -> np.ndarray:
    from scoring.scenario import completer_capacity

    cap = completer_capacity(
        model.base_rows, model.is_remainder, model.config.scenario.activation_ceiling
    )
    return np.maximum(cap - np.floor(start), 0.0)


def build(
    model: Model,
    start: np.ndarray,
    shapes: tuple[tuple[KpiSpec, ...], ...],
    small_unit: int | None = None,
) -> Formulation:
    """The program's variables and the rows that do not depend on the target."""
    start = np.floor(np.asarray(start, dtype=float))
    cap = capacity(model, start)
    form = Formulation(start=start, capacity=cap)
    base = model.base_rows
    m = len(base)
    assumptions = model.config.scenario
    rates = model.addition_rates
    courses = float(assumptions.courses_per_completer)
    whole_courses = courses == round(courses)
    same_enrolments = assumptions.enrolments_per_course == 1.0
    units = np.flatnonzero(cap > 0)
    small_unit = SMALL_UNIT if small_unit is None else small_unit
    ties = _has_ties(model, units, start, cap, small_unit)
    small = units[(cap[units] <= small_unit) & ties]
    large = np.setdiff1d(units, small)
    fixed = np.setdiff1d(np.arange(m), np.concatenate([large, small]))

    # Plan variables first, so that every expression's coefficient array has room for them.
    for i in large:
        form.large[int(i)] = form.add(0, cap[i], True, 1.0)
    for i in small:
        form.small[int(i)] = [
            (form.add(0, 1, True, float(v)), v) for v in range(1, int(cap[i]) + 1)
        ]
        form.row({var: 1.0 for var, _ in form.small[int(i)]}, -np.inf, 1.0)

    # Exact rows of small units at every value, and of every unit at its start.
    small_units = np.repeat(small, cap[small].astype(int) + 1)
    small_values = np.concatenate([np.arange(int(cap[i]) + 1) for i in small] + [np.zeros(0)])
    small_rows = model.apply_to_units(small_units, start[small_units] + small_values)
    start_rows = model.apply_to_units(np.arange(m), start)
    start_delta = start_rows - base
    offsets = np.concatenate([[0], np.cumsum(cap[small].astype(int) + 1)])

    # Per-column expressions of the state's total change (relative to zero additions).
    terms: dict[int, dict[int, float]] = {c: {} for c in range(len(COLUMNS))}
    consts = {c: float(start_delta[fixed, c].sum()) for c in range(len(COLUMNS))}
    for j, i in enumerate(small):
        block = small_rows[offsets[j] : offsets[j + 1]] - base[i]
        for c in range(len(COLUMNS)):
            consts[c] += block[0, c]
            for var, v in form.small[int(i)]:
                if block[v, c] != block[0, c]:
                    terms[c][var] = terms[c].get(var, 0.0) + block[v, c] - block[0, c]

    for i in large:
        n = form.large[int(i)]
        s = start[i]
        onb, act, uc = base[i, ONB], base[i, ACT], base[i, UC]
        terms[UC][n] = 1.0
        consts[UC] += s
        hours = courses * float(rates.per_course[i])
        terms[HRS][n] = hours
        consts[HRS] += s * hours
        if whole_courses:
            comp: dict[int, float] = {n: courses}
            comp_const = s * courses
            comp_slope, comp_width = courses, 0.0
        else:
            comp = {_band(form, n, s, courses, 0.5, 0.5): 1.0}
            comp_const, comp_slope, comp_width = 0.0, courses, 0.5
        for var, value in comp.items():
            terms[COMP][var] = value
        consts[COMP] += comp_const
        if same_enrolments:  # max(completions, rint(courses x 1)) is the completions
            for var, value in comp.items():
                terms[ENR][var] = value
            consts[ENR] += comp_const
        else:
            e = float(assumptions.enrolments_per_course)
            terms[ENR][_band(form, n, s, courses * e, 0.5, 0.5)] = 1.0
        share = float(rates.attempts_per_course[i])
        half = 0.5 + share * comp_width
        avar = _band(form, n, s, share * comp_slope, half, half)
        terms[ATT][avar] = 1.0
        terms[PAS][avar] = 1.0
        _active(form, terms, n, s, cap[i], float(rates.from_inactive[i]), onb, act, uc)
    # One variable per distinct column total, so that KPI rows and tangents stay short
    # (a tangent over every unit's variables made the program 20 times denser and slower).
    distinct: list[tuple[Expr, Expr]] = []
    for c in range(len(COLUMNS)):
        full = form.expr(terms[c], consts[c])
        if not full.coef.any():
            form.columns[c] = full
            continue
        match = next((agg for seen, agg in distinct if seen.same_as(full)), None)
        if match is None:
            lows = np.asarray(form.lower)[: full.coef.size]
            highs = np.asarray(form.upper)[: full.coef.size]
            lo = full.const + float(np.minimum(full.coef * lows, full.coef * highs).sum())
            hi = full.const + float(np.maximum(full.coef * lows, full.coef * highs).sum())
            var = form.add(lo - 1.0, hi + 1.0, False)
            row = {int(v): -float(w) for v, w in enumerate(full.coef) if w}
            row[var] = 1.0
            form.row(row, full.const, full.const)
            unit = np.zeros(var + 1)  # one-hot (np.eye was var^2: 7.5 GiB at 100x the table)
            unit[var] = 1.0
            match = Expr(unit, 0.0)
            distinct.append((full, match))
        form.columns[c] = match

    totals = base.sum(axis=0)
    for kpis in shapes:
        form.shapes.append(
            _shape(model, form, kpis, totals, large, small, fixed, small_rows, offsets, start_rows)
        )
    return form


def _has_ties(
    model: Model, units: np.ndarray, start: np.ndarray, cap: np.ndarray, small_unit: int
) -> np.ndarray:
    """Units with at most SMALL_UNIT completers of room where some value puts a rounding band on
    an exact half (`rint` then rounds to even, which a band cannot say): those are tabulated.
    Larger units are not checked (a tie there is left relaxed, and caught by the replay)."""
    rates = model.addition_rates
    courses = float(model.config.scenario.courses_per_completer)
    out = np.zeros(units.size, dtype=bool)
    for j, i in enumerate(units):
        if cap[i] > small_unit:
            continue
        t = start[i] + np.arange(int(cap[i]) + 1)
        for x in (
            rates.from_inactive[i] * t,
            courses * t,
            np.rint(courses * t) * rates.attempts_per_course[i],
        ):
            if np.any(np.abs(x - np.floor(x) - 0.5) < 2 * TOL):
                out[j] = True
    return out


def _band(form: Formulation, n: int, s: float, slope: float, below: float, above: float) -> int:
    """An integer variable within [slope (s + n) - below, slope (s + n) + above]."""
    top = slope * (s + form.upper[n]) + above + TOL
    var = form.add(max(0.0, math.ceil(slope * s - below - TOL)), math.floor(top), True)
    form.row({var: 1.0, n: -slope}, slope * s - below - TOL, slope * s + above + TOL)
    return var


def _active(
    form: Formulation,
    terms: dict[int, dict[int, float]],
    n: int,
    s: float,
    cap: float,
    f: float,
    onb: float,
    act: float,
    uc: float,
) -> None:
    """Active users added: min(max(rint(f t), uc + t - act), onb - act) with t = s + n."""
    var = form.add(0.0, max(onb - act, 0.0), True)
    terms[ACT][var] = 1.0
    # Lower bounds that always hold: t <= onboarded - completers, so uc + t - act <= onb - act.
    form.row({var: 1.0, n: -1.0}, uc - act + s - TOL, np.inf)
    ends = np.array([s, s + cap])
    if np.all(f * ends - 0.5 <= onb - act):
        form.row({var: 1.0, n: -f}, f * s - 0.5 - TOL, np.inf)
    # Upper bound: the larger of the two lines, each compared at both ends of the range.
    rint_line = f * ends + 0.5
    other = uc - act + ends
    if np.all(other <= rint_line):
        form.row({var: 1.0, n: -f}, -np.inf, f * s + 0.5 + TOL)
    elif np.all(rint_line <= other):
        form.row({var: 1.0, n: -1.0}, -np.inf, uc - act + s + TOL)
    else:  # the lines cross inside the range: a binary picks the side
        big = onb + cap + 1.0
        side = form.add(0, 1, True)
        form.row({var: 1.0, n: -f, side: -big}, -np.inf, f * s + 0.5 + TOL)
        form.row({var: 1.0, n: -1.0, side: big}, -np.inf, uc - act + s + big + TOL)


def _shape(
    model: Model,
    form: Formulation,
    kpis: tuple[KpiSpec, ...],
    totals: np.ndarray,
    large: np.ndarray,
    small: np.ndarray,
    fixed: np.ndarray,
    small_rows: np.ndarray,
    offsets: np.ndarray,
    start_rows: np.ndarray,
) -> ShapeTerms:
    real = ~model.is_remainder
    sigma = np.array([form.add(0.0, 100.0, False) for _ in kpis], dtype=int)
    baseline = model.anchor_subscores(kpis)
    concave: list[Concave] = []
    for k, kpi in enumerate(kpis):
        scale = _scale(kpi)
        a, b = COLUMN_INDEX[kpi.numerator], COLUMN_INDEX[kpi.denominator]
        if kpi.aggregation is Aggregation.POOLED:
            num, den = form.columns[a], form.columns[b]
            n0, d0 = float(totals[a]), float(totals[b])
            if not den.coef.any():
                d = d0 + den.const
                if d <= 0:
                    form.upper[sigma[k]] = 0.0
                    continue
                row = {int(v): -scale * c / d for v, c in enumerate(num.coef) if c}
                row[int(sigma[k])] = 1.0
                form.row(row, -np.inf, scale * (n0 + num.const) / d + 1e-9)
            elif num.same_as(den) and d0 > 0 and n0 <= d0:
                u_hi = float(num.coef @ np.asarray(form.upper)[: num.coef.size] + num.const)
                concave.append(Concave(int(sigma[k]), a, num, n0, d0, scale, num.const, u_hi))
            else:
                form.loose.append(kpi.id)
                d = d0 + den.const
                if d > 0 and n0 + num.const >= 0:
                    row = {int(v): -scale * c / d for v, c in enumerate(num.coef) if c}
                    row[int(sigma[k])] = 1.0
                    form.row(row, -np.inf, scale * (n0 + num.const) / d + 1e-9)
            continue
        # MDO share: count units reaching the threshold among those with a denominator.
        onboarded_den = b == ONB
        reached0, valid0 = _reached(start_rows, kpi)
        count: dict[int, float] = {}
        const = float((reached0 & real)[fixed].sum())
        valid_count = float((valid0 & real).sum())
        for j, i in enumerate(small):
            if not real[i]:
                continue
            r, v = _reached(small_rows[offsets[j] : offsets[j + 1]], kpi)
            const += float(r[0])
            if not np.array_equal(v, np.full(v.shape, v[0])):
                form.loose.append(kpi.id)
            for var, value in form.small[int(i)]:
                if r[value] != r[0]:
                    count[var] = count.get(var, 0.0) + float(r[value]) - float(r[0])
        steps = _threshold_steps(model, form, kpi, large, exhaustive=not onboarded_den)
        for i in large:
            if not real[i]:
                continue
            step = steps[int(i)]
            if step == 0:
                const += 1.0
            elif step > 0:
                z = form.add(0, 1, True)
                form.row({form.large[int(i)]: 1.0, z: -float(step)}, 0.0, np.inf)
                form.steps[z] = float(step)
                count[z] = 1.0
        if not onboarded_den:
            form.loose.append(kpi.id)  # validity may change; the share uses the fewest valid
        if valid_count <= 0:
            form.upper[sigma[k]] = 0.0
            continue
        row = {v: -scale * c / valid_count for v, c in count.items()}
        row[int(sigma[k])] = 1.0
        form.row(row, -np.inf, scale * const / valid_count + 1e-9)
    return ShapeTerms(kpis, sigma, baseline, tuple(concave))


def _threshold_steps(
    model: Model, form: Formulation, kpi: KpiSpec, large: np.ndarray, exhaustive: bool
) -> dict[int, int]:
    """Fewest extra completers that bring each large unit to the threshold: 0 if it is there
    already, -1 if out of reach. Bisection is exact when the unit's ratio only rises."""
    out: dict[int, int] = {}
    if not large.size:
        return out
    start, cap = form.start[large], form.capacity[large]
    if exhaustive:
        for i, s, c in zip(large, start, cap, strict=True):
            values = np.arange(int(c) + 1)
            r, _ = _reached(model.apply_to_units(np.full(values.size, i), s + values), kpi)
            hit = np.flatnonzero(r)
            out[int(i)] = int(hit[0]) if hit.size else -1
        return out
    at_start, _ = _reached(model.apply_to_units(large, start), kpi)
    at_cap, _ = _reached(model.apply_to_units(large, start + cap), kpi)
    lo, hi = np.zeros(large.size), cap.copy()
    todo = at_cap & ~at_start
    while True:
        active = todo & (hi - lo > 1)
        if not active.any():
            break
        mid = np.where(active, np.floor((lo + hi) / 2), hi)
        ok, _ = _reached(model.apply_to_units(large, start + mid), kpi)
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid, lo)
    for j, i in enumerate(large):
        out[int(i)] = 0 if at_start[j] else (int(hi[j]) if todo[j] else -1)
    return out


@dataclass(frozen=True)
class Solved:
    status: int  # 0 proven optimal, 1 stopped by the time limit, 2 infeasible, other: failure
    extra: np.ndarray | None  # (M,) plan, when one was found
    objective: float
    bound: float  # proven lower bound on the objective (-inf when none)
    message: str


def solve(
    form: Formulation,
    targets: list[tuple[int, np.ndarray, float]],
    cuts: list[tuple[np.ndarray, float]],
    time_limit: float,
    gap: float = 0.0,
    integral: bool = True,
    budget: float | None = None,
) -> tuple[Solved, np.ndarray | None]:
    """Fewest completers with, for each (shape, normalised weights, needed gain over the
    anchor), weights @ sigma >= needed; `cuts` are extra tangent rows."""
    # Imported here: scipy.optimize takes ~0.3 s to import, and every page imports this module
    # (the goal seek's fallback) while only a fallback solve needs it.
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    size = form.size
    data: list[float] = []
    cols: list[int] = []
    ptr = [0]
    lower: list[float] = []
    upper: list[float] = []
    for coef, lo, hi in form.rows:
        cols += list(coef.keys())
        data += list(coef.values())
        ptr.append(len(cols))
        lower.append(lo)
        upper.append(hi)
    dense_rows: list[tuple[np.ndarray, float, float]] = []
    for shape_index, weights, needed in targets:
        shape = form.shapes[shape_index]
        row = np.zeros(size)
        row[shape.sigma] = weights
        dense_rows.append((row, needed, np.inf))
    dense_rows += [(row, -np.inf, hi) for row, hi in cuts]
    for row, lo, hi in dense_rows:
        nz = np.flatnonzero(row)
        cols += nz.tolist()
        data += row[nz].tolist()
        ptr.append(len(cols))
        lower.append(lo)
        upper.append(hi)
    matrix = csr_array((data, cols, ptr), shape=(len(ptr) - 1, size))
    col_upper = np.asarray(form.upper, dtype=float)
    if budget is not None:
        # A plan is never larger than `budget` (a plan of that size is known), so no unit takes
        # more, no tabulated value above it is chosen, and no threshold needing more is crossed:
        # bounds every optimal plan satisfies, which tighten the relaxation.
        col_upper = col_upper.copy()
        for var in form.large.values():
            col_upper[var] = min(col_upper[var], budget)
        for values in form.small.values():
            for var, value in values:
                if value > budget:
                    col_upper[var] = 0.0
        for var, step in form.steps.items():
            if step > budget:
                col_upper[var] = 0.0
    result = milp(
        np.asarray(form.cost),
        integrality=np.asarray(form.integer) if integral else None,
        bounds=Bounds(np.asarray(form.lower), col_upper),
        constraints=LinearConstraint(matrix, np.asarray(lower), np.asarray(upper)),
        options={"mip_rel_gap": gap, "time_limit": time_limit, "presolve": True},
    )
    x = None if result.x is None else np.asarray(result.x)
    bound = getattr(result, "mip_dual_bound", None)
    if bound is None or not math.isfinite(bound):
        bound = float(result.fun) if result.status == 0 and result.fun is not None else -math.inf
    extra = form.plan(x) if x is not None else None
    objective = float(extra.sum()) if extra is not None else math.inf
    return Solved(int(result.status), extra, objective, float(bound), str(result.message)), x


def _grid(lo: float, hi: float) -> np.ndarray:
    """Tangent points spread evenly on a log scale of the distance from the start."""
    if hi <= lo:
        return np.array([lo])
    return lo + np.concatenate([[0.0], np.geomspace(1.0, hi - lo, TANGENTS - 1)])


_CACHE: dict[tuple[int, bytes, int], tuple[weakref.ref[Model], Formulation]] = {}


def formulation(
    model: Model,
    start: np.ndarray,
    shapes: tuple[tuple[KpiSpec, ...], ...] | None = None,
    small_unit: int | None = None,
) -> Formulation:
    """`build`, cached per model object, start and shapes (the formulation is not changed by
    solving, so it is shared)."""
    shapes = shapes if shapes is not None else (model.config.kpis,)
    start = np.floor(np.asarray(start, dtype=float))
    small_unit = SMALL_UNIT if small_unit is None else small_unit
    key = (
        id(model),
        start.tobytes() + capacity(model, start).tobytes(),
        hash((shapes, small_unit)),
    )
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is model:
        return hit[1]
    form = build(model, start, shapes, small_unit)
    if len(_CACHE) >= MAX_CACHED:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (weakref.ref(model), form)
    return form


def tangent_rows(
    form: Formulation, points: dict[int, list[float]] | None = None
) -> list[tuple[np.ndarray, float]]:
    """Tangent rows of every concave piece: a coarse grid over its whole range, plus tangents at
    `points` (column -> totals of u, e.g. near a known good plan)."""
    rows = []
    for shape in form.shapes:
        for part in shape.concave:
            extra = (points or {}).get(part.column, [])
            for u0 in np.concatenate([_grid(part.u_lo, part.u_hi), np.asarray(extra, dtype=float)]):
                if part.u_lo <= u0 <= part.u_hi:
                    rows.append(part.tangent(float(u0), form.size))
    return rows


def hint_points(model: Model, form: Formulation, hint: np.ndarray | None) -> dict[int, list[float]]:
    """Tangent points close around a known good plan's totals: the optimum is usually near."""
    points: dict[int, list[float]] = {}
    if hint is not None:
        totals = column_totals(model, form.start + hint)
        for shape in form.shapes:
            for part in shape.concave:
                u = float(totals[part.column])
                points.setdefault(part.column, []).extend(u * (1 + 0.002 * np.arange(-10, 11)))
    return points


def refine(model: Model, form: Formulation, extra: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """Tangents at a plan's own totals, for every concave piece: added when the engine rejects
    a plan the program accepted."""
    totals = column_totals(model, form.start + extra)
    return [
        part.tangent(float(totals[part.column]), form.size)
        for shape in form.shapes
        for part in shape.concave
    ]


def column_totals(model: Model, extra: np.ndarray) -> np.ndarray:
    """The state's total change in each column (C,) after `extra` completers (M,)."""
    return (model.apply(np.asarray(extra, dtype=float)[None])[0] - model.base_rows).sum(axis=0)


@dataclass(frozen=True)
class Minimum:
    extra: np.ndarray | None  # (M,) extra completers on top of the start; None if infeasible
    optimal: bool  # the plan is accepted by the engine and its size equals the proven bound
    bound: int | None  # proven lower bound on the fewest completers (None: no proof)
    infeasible: bool  # proven: no plan within capacity meets the targets
    rounds: int
    status: str


def minimise(
    model: Model,
    form: Formulation,
    targets: list[tuple[int, np.ndarray, float]],
    accept: Callable[[np.ndarray], bool],
    hint: np.ndarray | None,
    time_limit: float,
    max_rounds: int = 6,
    gap: float = 0.0,
) -> Minimum:
    """Fewest completers meeting `targets` in the program, replayed by `accept` (the engine);
    tangents are added where a relaxed concave piece let an unacceptable plan through."""
    # With a known plan, only the tangents at its own totals: any set of tangents keeps the
    # program a relaxation (each is above the concave curve), and the optimum sits within a
    # few completers of a tight hint, where these two are all but exact. The full grid (90
    # rows) made the MIP 1.5-4x slower (rank 1: 345 -> 91 ms CPU, rank 5: 237 -> 137 ms); a
    # plan the engine rejects still gets its own tangents below and is solved again.
    cuts = refine(model, form, hint) if hint is not None else tangent_rows(form)
    budget = float(hint.sum()) if hint is not None else None
    deadline = time.perf_counter() + time_limit
    solved = None
    for round_ in range(1, max_rounds + 1):
        left = max(deadline - time.perf_counter(), 0.05)
        solved, _ = solve(form, targets, cuts, left, gap, budget=budget)
        if solved.status == 2:
            return Minimum(None, False, None, True, round_, solved.message)
        if solved.extra is None:
            break
        bound = math.ceil(solved.bound - 1e-6) if math.isfinite(solved.bound) else None
        if accept(solved.extra):
            proven = (
                solved.status == 0
                and gap == 0.0
                and bound is not None
                and solved.objective <= bound
            )
            return Minimum(solved.extra, proven, bound, False, round_, solved.message)
        added = refine(model, form, solved.extra)
        if not added:
            break
        cuts = cuts + added
    bound = None
    if solved is not None and math.isfinite(solved.bound):
        bound = math.ceil(solved.bound - 1e-6)
    extra = solved.extra if solved is not None else None
    return Minimum(extra, False, bound, False, max_rounds, "not accepted by the engine")
