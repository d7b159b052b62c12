"""Exact goal seek without a MIP solver: branch and bound over each unit's tabulated value.

Why this is exact (the proof `goal.goal_seek` relies on when it reports a plan from here as
"fewest"):

1. Tables. For every unit that can take completers, the engine's own `apply_additions` is run
   at every whole number t = 0 .. capacity of extra completers on top of the start, and the
   change of each column it moves is kept (`Tables`). Nothing is approximated: the tables are
   the engine's numbers, rounding, ties and the activation ceiling included.
2. A linear upper bound of the score. Every KPI's sub-score is bounded from above by a function
   that is a sum over units of that unit's own table (`linear_bound`):
   - a pooled KPI whose denominator does not move (onboarded users): the ratio itself, which is
     linear in the column totals, or its cap, 100 (the sub-score is the smaller of the two, so
     either bounds it; the one smaller where the tangents go is taken);
   - a pooled KPI whose numerator and denominator move by the same amount u (completions /
     enrolments, passed / attempted): `s (N + u) / (D + u)` is concave in u when N <= D, so it
     lies below its tangent at any point; the tangent is taken where a known good plan sits;
   - a share-of-MDOs KPI over onboarded users (whose count of valid MDOs never changes):
     exactly the count of units at the threshold, each unit's 0/1 read from its table.
   So every plan the engine accepts has sum_i v_i(t_i) >= R, with v_i the unit's value table
   (non-decreasing: every column and coefficient only rises with t) and R the needed gain less
   the bound's constant. The fewest completers of this *separable* problem is a lower bound on
   the engine's fewest.
3. Branch and bound. A node restricts each unit to a range [lo_i, hi_i]. Its bound is the linear
   programming relaxation of the separable problem: each unit's table replaced by its upper
   concave hull over the range, which the greedy over hull segments in order of value per
   completer solves exactly (the continuous knapsack over concave pieces). Any whole plan in the
   node lies on or below the hulls, so it costs at least the bound. Nodes whose bound, rounded
   up (a plan is a whole number of completers), is not below the best plan the engine has
   accepted are dropped; the rest are split on the one unit the relaxation uses fractionally,
   at the fewest completers that unit needs (both halves non-empty, so the search ends). Every
   range is within [0, min(capacity, B)]: a plan with at most B + 1 completers puts at most B
   on any unit, so the search covers every plan smaller than the best it ends with as long as
   that best has at most B + 1 completers (checked; else it runs again with B = best - 1). B
   comes from a known accepted plan, or a little above a rough relaxation's plan.
4. Every plan found is replayed through the engine. When the search ends, the best accepted
   plan is proven minimal (its size is a lower bound of everything else). If the engine rejects
   a plan the bound accepted (a tangent let it through), the tangents move there and the
   search runs again. If that does not settle it, or the search grows past MAX_NODES, it gives
   up (with, at the node limit, the least bound of its open nodes, which every better plan
   lies in, as a proven lower bound) and the caller uses the mixed-integer program
   (`scoring.milp`), which refines such pieces and reports a gap. Shapes the bound does not
   cover (a pooled KPI over a moving denominator that is not a same-amount ratio, an MDO share
   over another denominator, a ratio that falls as it grows) also go to the program.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scoring.config import Aggregation, KpiSpec, SubscoreKind
from scoring.engine import Model
from scoring.kpis import COLUMN_INDEX
from scoring.scenario import (
    ACT,
    ATT,
    COMP,
    ENR,
    HRS,
    ONB,
    PAS,
    UC,
)

MAX_ENTRIES = 4_000_000  # tabulated (unit, t) pairs at most: 4 x 4 bytes each, kept per model
MAX_NODES = 4_000  # nodes before handing over to the MIP (1-2 s; the MIP took 20-30 s there)
CHUNK = 250_000  # rows per call of the engine while tabulating (bounds the transient memory)
EPS = 1e-6  # a bound this close below a whole number rounds up to it (float sums of ~100 terms)
MAX_CACHED = 2
ROUGH = 256  # samples per unit for the plan where the first tangents go
RANGE_SLACK = 0.02  # without a known plan, units range up to 2% above the rough plan's size
TABULATED = (ACT, COMP, ENR, ATT)  # columns moved by rounding; PAS is always ATT


@dataclass(frozen=True)
class Tables:
    """The engine's column changes of every unit at every extra completer count."""

    start: np.ndarray  # (M,) completers already added (whole)
    start_rows: np.ndarray  # (M, C) the engine's rows at the start
    units: np.ndarray  # (U,) units with room, in table order
    offsets: np.ndarray  # (U + 1,) unit u's entries are offsets[u] .. offsets[u + 1] - 1
    owner: np.ndarray  # (N,) the unit (row of the department table) of each entry, int32
    t: np.ndarray  # (N,) extra completers of each entry, int32
    # column -> (N,) change from the start (whole numbers, int32; enrolments share the
    # completions' array when they are equal): 16 bytes an entry with owner and t, 19 MB today
    delta: dict[int, np.ndarray]
    hours_rate: np.ndarray  # (M,) hours per extra completer (courses x hours per course)
    memo: dict[bytes, Fixed | None] = field(default_factory=dict)  # per KPIs and weights


@dataclass(frozen=True)
class Fixed:
    """The part of the bound that does not depend on the target (per model, KPIs, weights)."""

    v: np.ndarray  # (N,) value of each entry from the linear KPIs and the MDO shares
    const: float
    # (column, slope, value at the start) of each linear KPI's sub-score, weighted, with its
    # weight: where it reaches 100 the bound takes the cap instead (see `linear_bound`)
    linear: tuple[tuple[int, float, float, float], ...]
    concave: tuple[tuple[int, float, float, float, float], ...]  # (column, N, D, weight, scale)


def capacity(model: Model, start: np.ndarray) -> np.ndarray:
    """Extra completers each unit may still take on top of `start` (looked up at call time, so
    that a changed rule is followed)."""
    from scoring import scenario

    cap = scenario.completer_capacity(
        model.base_rows, model.is_remainder, model.config.scenario.activation_ceiling
    )
    return np.maximum(cap - np.floor(start), 0.0)


def tabulate(model: Model, start: np.ndarray) -> Tables | None:
    """Every unit's column changes at t = 0 .. capacity, from the engine (None if too many)."""
    start = np.floor(np.asarray(start, dtype=float))
    cap = capacity(model, start)
    units = np.flatnonzero(cap > 0)
    sizes = cap[units].astype(np.int64) + 1
    total = int(sizes.sum())
    if total > MAX_ENTRIES:
        return None
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    owner = np.repeat(units, sizes).astype(np.int32)
    t = (np.arange(total, dtype=np.int64) - np.repeat(offsets[:-1], sizes)).astype(np.int32)
    start_rows = model.apply_to_units(np.arange(len(start)), start)
    delta = {c: np.empty(total, dtype=np.int32) for c in TABULATED}
    for lo in range(0, total, CHUNK):
        part = slice(lo, min(lo + CHUNK, total))
        rows = model.apply_to_units(owner[part], start[owner[part]] + t[part])
        change = rows - start_rows[owner[part]]
        for c in TABULATED:
            delta[c][part] = np.rint(change[:, c])
    same = np.diff(owner) == 0
    for c in TABULATED:  # every column only rises with t (the bound's values must too)
        steps = np.diff(delta[c])[same]
        if steps.size and steps.min() < 0:
            return None
    if np.array_equal(delta[COMP], delta[ENR]):
        delta[ENR] = delta[COMP]
    rate = model.config.scenario.courses_per_completer * np.asarray(
        model.addition_rates.per_course, dtype=float
    )
    return Tables(start, start_rows, units, offsets, owner, t, delta, rate)


_CACHE: dict[bytes, Tables | None] = {}


def _key(model: Model, start: np.ndarray) -> bytes:
    """What the tables depend on, by value: the rows, which are remainders, the assumptions and
    the addition rates, the start and the capacity (so that another model object with the same
    table, e.g. after a weight change, shares them)."""
    digest = hashlib.sha256()
    rates = model.addition_rates
    for part in (
        model.base_rows,
        model.is_remainder,
        *(np.asarray(getattr(rates, f.name)) for f in dataclasses.fields(rates)),
        start,
        capacity(model, start),
    ):
        digest.update(np.ascontiguousarray(part).tobytes())
    digest.update(repr(model.config.scenario).encode())
    return digest.digest()


def tables(model: Model, start: np.ndarray) -> Tables | None:
    """`tabulate`, cached by value (`_key`; at most MAX_CACHED kept, 31 MB each today)."""
    start = np.floor(np.asarray(start, dtype=float))
    key = _key(model, start)
    if key in _CACHE:
        return _CACHE[key]
    found = tabulate(model, start)
    while len(_CACHE) >= MAX_CACHED:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = found
    return found


def _column(tab: Tables, c: int) -> np.ndarray:
    """Change of column c at every entry (int32 for the tabulated ones)."""
    if c == UC:
        return tab.t
    if c == HRS:  # as the engine: hours = completers x courses x hours per course
        rate = tab.hours_rate[tab.owner]
        before = tab.start[tab.owner]
        return (before + tab.t) * rate - before * rate
    if c == ONB:
        return np.zeros(tab.t.size, dtype=np.int32)
    return tab.delta[ATT if c == PAS else c]


def _same_delta(tab: Tables, a: int, b: int) -> bool:
    if a == b or {a, b} == {ATT, PAS}:
        return True
    if {a, b} == {COMP, ENR}:
        return tab.delta[COMP] is tab.delta[ENR]
    return False


def _scale(kpi: KpiSpec) -> float:
    return (
        100.0
        if kpi.subscore.kind is SubscoreKind.RATIO
        else 100.0 / float(kpi.subscore.target or 1)
    )


def fixed_part(
    model: Model, tab: Tables, kpis: tuple[KpiSpec, ...], weights: np.ndarray
) -> Fixed | None:
    """The target-free part of `linear_bound`, cached on the tables per KPIs and weights."""
    key = repr(kpis).encode() + np.asarray(weights, dtype=float).tobytes()
    if key in tab.memo:
        return tab.memo[key]
    found = _fixed_part(model, tab, kpis, weights)
    while len(tab.memo) >= MAX_CACHED:  # 9 MB each today: a few weightings, not every one
        tab.memo.pop(next(iter(tab.memo)))
    tab.memo[key] = found
    return found


def _fixed_part(
    model: Model, tab: Tables, kpis: tuple[KpiSpec, ...], weights: np.ndarray
) -> Fixed | None:
    totals = tab.start_rows.sum(axis=0)
    real = ~model.is_remainder
    coef = np.zeros(totals.size)
    const = 0.0
    v = np.zeros(tab.t.size)
    concave = []
    linear = []
    owner = tab.owner
    for w, kpi in zip(np.asarray(weights, dtype=float), kpis, strict=True):
        if w < 0:
            return None
        scale = _scale(kpi)
        a, b = COLUMN_INDEX[kpi.numerator], COLUMN_INDEX[kpi.denominator]
        if kpi.aggregation is Aggregation.POOLED:
            if b == ONB:
                if totals[b] > 0:
                    coef[a] += w * scale / totals[b]
                    const += w * scale * totals[a] / totals[b]
                    linear.append((a, w * scale / totals[b], w * scale * totals[a] / totals[b], w))
                continue
            if not _same_delta(tab, a, b):
                return None
            n, d = float(totals[a]), float(totals[b])
            if d <= 0 or n > d:
                return None  # a ratio that falls as it grows, or nothing to divide by yet
            concave.append((a, n, d, float(w), scale))
            continue
        if b != ONB or kpi.threshold is None:
            return None
        rows = tab.start_rows
        valid = real & (rows[:, b] > 0)
        count = float(valid.sum())
        if count == 0:
            continue
        reached0 = valid & (rows[:, a] >= kpi.threshold * rows[:, b] - 1e-9)
        const += w * scale * float(reached0.sum()) / count
        num = rows[owner, a] + _column(tab, a)
        reached = valid[owner] & (num >= kpi.threshold * rows[owner, b] - 1e-9)
        v += (w * scale / count) * (reached.astype(float) - reached0[owner])
    for c in np.flatnonzero(coef):
        v += coef[c] * _column(tab, int(c))
    return Fixed(v, const, tuple(linear), tuple(concave))


@dataclass(frozen=True)
class Bound:
    """weights @ sub-scores <= const + sum over units of value(entry of the unit's t)."""

    fixed: np.ndarray  # (N,) the target-free part
    terms: tuple[tuple[float, np.ndarray], ...]  # (coefficient, column change (N,)) added to it
    const: float

    def values(self, entries: np.ndarray | slice) -> np.ndarray:
        """Values of some entries: computed where they are needed (a plan of a few thousand
        completers reads a few thousand entries, not all of them)."""
        out = np.array(self.fixed[entries], dtype=float)
        for coefficient, column in self.terms:
            out += coefficient * column[entries]
        return out


def linear_bound(
    model: Model,
    tab: Tables,
    kpis: tuple[KpiSpec, ...],
    weights: np.ndarray,
    at: np.ndarray,
) -> Bound | None:
    """The bound with the tangents of concave pieces at column changes `at` (C,) from the
    start; None when a KPI's shape is not covered (see the module docstring).

    Each sub-score is min(100, a ratio): both the ratio (its tangent) and 100 bound it. The one
    taken is the smaller at `at`, so that the bound is exact there: a plan the bound accepted
    and the engine rejected, used as `at`, is excluded the next time."""
    fixed = fixed_part(model, tab, kpis, weights)
    if fixed is None:
        return None
    terms = []
    const = fixed.const
    for column, slope, value, w in fixed.linear:
        if value + slope * float(at[column]) >= 100.0 * w:
            terms.append((-slope, _column(tab, column)))
            const += 100.0 * w - value
    for column, n, d, w, scale in fixed.concave:
        x = float(at[column])
        value = scale * (n + x) / (d + x)
        if value >= 100.0:
            const += 100.0 * w
            continue
        slope = scale * (d - n) / (d + x) ** 2
        terms.append((w * slope, _column(tab, column)))
        const += w * (value - slope * x)
    return Bound(fixed.v, tuple(terms), const)


def upper_hull(t: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Indices of the vertices of the upper concave hull of points (t, v), t increasing.

    Quickhull: the point farthest above a chord (the largest v - slope t between its ends) is a
    vertex; points on or below every chord are not (leaving them out leaves the hull, hence the
    bound, unchanged). Scans slices: on these near-linear tables, cheaper than carrying the
    points above each chord (measured 15 against 42 ms for 750,000 points)."""
    n = v.size
    if n <= 2:
        return np.arange(n)
    out = [0, n - 1]
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        slope = (v[b] - v[a]) / float(t[b] - t[a])
        above = v[a + 1 : b] - slope * t[a + 1 : b]
        k = int(np.argmax(above))
        if above[k] <= v[a] - slope * t[a]:
            continue
        c = a + 1 + k
        out.append(c)
        stack += [(a, c), (c, b)]
    return np.sort(np.asarray(out))


def _rough_plan(tab: Tables, bound: Bound, need: float, most: int) -> np.ndarray:
    """A plan near the relaxation's, from every unit's table sampled at about ROUGH points: only
    where the tangents go (any point keeps the bound valid; one near the fewest keeps it
    tight), never a bound or a result. (U,)"""
    tops = np.minimum(np.diff(tab.offsets) - 1, most)
    samples = [
        np.unique(np.concatenate([np.arange(0, top, max(top // ROUGH, 1)), [top]])) for top in tops
    ]
    sizes = np.array([x.size for x in samples])
    values = bound.values(np.repeat(tab.offsets[:-1], sizes) + np.concatenate(samples))
    ends = np.cumsum(sizes)
    owner, dts, dvs = [], [], []
    for u, ts in enumerate(samples):
        if tops[u] <= 0:
            continue
        vs = values[ends[u] - ts.size : ends[u]]
        keep = upper_hull(ts, vs)
        owner.append(np.full(keep.size - 1, u))
        dts.append(np.diff(ts[keep]))
        dvs.append(np.diff(vs[keep]))
    plan = np.zeros(tab.units.size)
    if not owner:
        return plan
    who = np.concatenate(owner)
    dt = np.concatenate(dts).astype(float)
    dv = np.concatenate(dvs)
    order = np.argsort(-(dv / np.maximum(dt, 1.0)), kind="stable")
    gained = np.cumsum(dv[order])
    k = min(int(np.searchsorted(gained, need)), order.size - 1)
    np.add.at(plan, who[order[:k]], dt[order[:k]])
    before = gained[k - 1] if k else 0.0
    last = order[k]
    if dv[last] > 0:
        plan[who[last]] += math.ceil(max(need - before, 0.0) / dv[last] * dt[last])
    return plan


@dataclass
class _Node:
    lo: np.ndarray  # (U,) least t of each unit
    hi: np.ndarray  # (U,) most t of each unit
    bound: float = math.inf
    plan: np.ndarray | None = None  # (U,) whole plan: the relaxation's, cut where it was split
    split: tuple[int, int] | None = None  # (unit, t): the unit the relaxation uses in part


@dataclass(frozen=True)
class Found:
    extra: np.ndarray | None  # (M,) best accepted plan
    proven: bool  # its size is the fewest (the search ended)
    bound: int | None  # proven lower bound (the best's size when proven)
    nodes: int
    reason: str  # why it gave up, when not proven
    rejected: np.ndarray | None = None  # (M,) a plan the bound let through and the engine not


class _Search:
    def __init__(self, tab: Tables, bound: Bound, need: float, tops: np.ndarray) -> None:
        self.tab, self.bound, self.need, self.tops = tab, bound, need, tops
        self.unit_values: dict[int, np.ndarray] = {}
        self.hulls: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = {}

    def of(self, u: int) -> np.ndarray:
        """Unit u's values at t = 0 .. its top (the search never goes above it)."""
        hit = self.unit_values.get(u)
        if hit is None:
            first = int(self.tab.offsets[u])
            hit = self.bound.values(slice(first, first + int(self.tops[u]) + 1))
            self.unit_values[u] = hit
        return hit

    def value(self, u: int, t: int) -> float:
        return float(self.of(u)[t])

    def hull(self, u: int, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        key = (u, lo, hi)
        hit = self.hulls.get(key)
        if hit is None:
            part = self.of(u)[lo : hi + 1]
            first = int(self.tab.offsets[u])
            idx = upper_hull(self.tab.t[first + lo : first + hi + 1], part)
            hit = (lo + idx, part[idx])
            self.hulls[key] = hit
        return hit

    def relax(self, node: _Node) -> None:
        """The node's bound (the greedy over hull segments), its whole plan and where it splits."""
        lo, hi = node.lo, node.hi
        base = float(lo.sum())
        have = float(sum(self.value(u, int(lo[u])) for u in range(lo.size)))
        short = self.need - have
        if short <= 0:
            node.bound, node.plan, node.split = base, lo.copy(), None
            return
        owner, dts, dvs = [], [], []
        for u in range(lo.size):
            if hi[u] > lo[u]:
                ts, vs = self.hull(u, int(lo[u]), int(hi[u]))
                owner.append(np.full(ts.size - 1, u))
                dts.append(np.diff(ts))
                dvs.append(np.diff(vs))
        if not owner:
            return  # nothing left to add and short of the need: infeasible
        who = np.concatenate(owner)
        dt = np.concatenate(dts).astype(float)
        dv = np.concatenate(dvs)
        order = np.argsort(-(dv / dt), kind="stable")
        gained = np.cumsum(dv[order])
        k = int(np.searchsorted(gained, short))
        if k >= order.size:
            return  # even every unit at its top misses: infeasible
        before = gained[k - 1] if k else 0.0
        last = order[k]
        node.bound = base + float(dt[order[:k]].sum()) + (short - before) / (dv[last] / dt[last])
        plan = lo.copy()
        np.add.at(plan, who[order[:k]], dt[order[:k]].astype(np.int64))
        u = int(who[last])
        # The fewest completers on the unit used in part that still reach the need (values
        # only rise with t, so the first entry at or above it).
        rest = short - before + self.value(u, int(plan[u]))
        segment = self.of(u)[int(plan[u]) : int(plan[u] + dt[last]) + 1]
        t = int(plan[u]) + int(np.searchsorted(segment, rest))
        t = min(t, int(plan[u] + dt[last]))
        plan[u] = t
        node.plan, node.split = plan, (u, t)


def search(
    tab: Tables,
    bound: Bound,
    need: float,
    accept: Callable[[np.ndarray], bool],
    incumbent: np.ndarray | None,
    most: int,
    limit: int | None = None,
) -> Found:
    """Fewest completers with sum of table values >= need, each plan replayed by `accept`;
    `incumbent` (M,) is a plan the engine accepts, if one is known; no unit above `most`
    (valid for every plan of at most most + 1 completers: proven only if the best is one);
    at most `limit` nodes (MAX_NODES)."""
    limit = MAX_NODES if limit is None else limit
    m = tab.start.size
    best = math.inf if incumbent is None else float(incumbent.sum())
    best_plan = None if incumbent is None else incumbent.copy()
    room = np.diff(tab.offsets) - 1
    hi = np.minimum(room, max(most, 0)).astype(np.int64)
    root = _Node(np.zeros(tab.units.size, dtype=np.int64), hi)
    state = _Search(tab, bound, need, hi)
    state.relax(root)
    heap: list[tuple[float, int, _Node]] = []
    counter = 0
    if root.plan is not None:
        heap.append((root.bound, counter, root))
    nodes = 1
    while heap:
        lower, _, node = heapq.heappop(heap)
        if math.ceil(lower - EPS) >= best:
            break  # best first: every node left is bounded at least as high
        assert node.plan is not None
        size = float(node.plan.sum())
        if size < best:
            extra = np.zeros(m)
            extra[tab.units] = node.plan
            if not accept(extra):
                reason = "the bound accepted a plan the engine rejects"
                return Found(best_plan, False, None, nodes, reason, extra)
            best, best_plan = size, extra
        if node.split is None or size <= math.ceil(lower - EPS):
            continue  # the node's own plan is its fewest
        u, t = node.split
        for lo_u, hi_u in ((int(node.lo[u]), t - 1), (t, int(node.hi[u]))):
            child = _Node(node.lo.copy(), node.hi.copy())
            child.lo[u], child.hi[u] = lo_u, hi_u
            state.relax(child)
            nodes += 1
            if child.plan is not None and math.ceil(child.bound - EPS) < best:
                counter += 1
                heapq.heappush(heap, (child.bound, counter, child))
        if nodes > limit:
            # Every plan smaller than the best lies in a node still open: the least of their
            # bounds, rounded up, is a lower bound on the fewest.
            # (Only if the ranges hold every such plan: the best is at most most + 1.)
            least = min((math.ceil(b - EPS) for b, _, _ in heap), default=math.inf)
            valid = math.isfinite(best) and best <= most + 1
            lower_bound = int(min(least, best)) if valid else None
            return Found(best_plan, False, lower_bound, nodes, f"more than {limit} nodes")
    if best > most + 1:  # no plan within the ranges, or one too large for them to be valid
        return Found(best_plan, False, None, nodes, "no plan within the ranges searched")
    return Found(best_plan, True, int(best), nodes, "")


def fewest(
    model: Model,
    tab: Tables,
    weights: np.ndarray,
    gain: float,
    accept: Callable[[np.ndarray], bool],
    incumbent: np.ndarray | None = None,
    limit: int | None = None,
    retries: int = 4,
) -> Found | None:
    """Fewest extra completers (on top of the tables' start) whose model KPIs reach
    weights @ sub-scores >= gain, proven by `search`; None when the model's shape is not
    covered.

    Tangents go first where a rough relaxation's plan sits (`_rough_plan`, itself from
    tangents at `incumbent`, or at the start and then at its own first plan). Without an
    incumbent (a plan the engine accepts), the search's ranges stop at RANGE_SLACK above the
    rough plan's size; if the best plan it finds is larger, it runs again with ranges up to
    that plan's size. A plan the bound let through and the engine rejected moves the tangents
    there (where they are then exact, so that plan is excluded). At most `retries` reruns."""
    kpis = model.config.kpis
    m = tab.start.size

    def bound_at(plan: np.ndarray) -> Bound | None:
        rows = model.apply((tab.start + plan)[None])[0]
        return linear_bound(model, tab, kpis, weights, (rows - tab.start_rows).sum(axis=0))

    def rough(bound: Bound, most: int) -> np.ndarray:
        plan = np.zeros(m)
        plan[tab.units] = _rough_plan(tab, bound, gain - bound.const, most)
        return plan

    room = int(np.diff(tab.offsets).max(initial=1)) - 1
    if incumbent is not None:
        most = int(incumbent.sum()) - 1
        bound = bound_at(incumbent)
        if bound is None:
            return None
        at = rough(bound, most)
    else:
        at = np.zeros(m)
        for _ in range(2):
            bound = bound_at(at)
            if bound is None:
                return None
            at = rough(bound, room)
        most = math.ceil(at.sum() * (1 + RANGE_SLACK)) + 1
    found = None
    rejected: list[np.ndarray] = []
    for _ in range(retries + 1):
        bound = bound_at(at)
        if bound is None:
            return None
        found = search(tab, bound, gain - bound.const, accept, incumbent, most, limit)
        if found.proven:
            return found
        if found.rejected is not None:
            if any(np.array_equal(found.rejected, seen) for seen in rejected):
                return found  # tangents cycling between plans: a concave piece too curved here
            rejected.append(found.rejected)
            at = found.rejected
        elif found.extra is not None and found.extra.sum() > most + 1:
            most = int(found.extra.sum()) - 1  # a plan is known now: ranges up to its size
        else:
            return found
        if found.extra is not None:
            incumbent = found.extra
    return found
