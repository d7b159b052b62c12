"""Goal seek: the fewest extra completers, and where, to reach a rank or pass a named state."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scoring import knapsack, milp
from scoring.config import Aggregation
from scoring.engine import Model, evaluate
from scoring.errors import ScoringInputError
from scoring.kpis import COLUMN_INDEX
from scoring.marginal import composite_of_moves
from scoring.scenario import completer_capacity

MAX_STEPS = 2_000
LP_TIME_LIMIT = 10.0  # seconds for the LP relaxation's bound when the MIP stopped without one
TIME_LIMIT = 30.0  # seconds HiGHS may spend before it reports the best plan and its gap (wall time:
# 10 s was reached on this shared 2-core machine under heavy load, giving a plan not proven minimal)


@dataclass(frozen=True)
class GoalTarget:
    rank: int | None = None
    beat: str | None = None

    def __post_init__(self) -> None:
        if (self.rank is None) == (self.beat is None):
            raise ScoringInputError("give either a target rank or a state to pass")

    @property
    def label(self) -> str:
        return f"rank {self.rank}" if self.rank is not None else f"pass {(self.beat or '').upper()}"


@dataclass(frozen=True)
class GoalResult:
    state: str
    target: GoalTarget
    needed_score: float
    reachable: bool
    already_met: bool
    extra_completers: int
    allocation: np.ndarray  # extra completers per department row (M,)
    plan: pd.DataFrame  # id, department, mdo, extra_completers
    score: float
    rank: int
    until: dt.date
    days: int
    per_day: int
    reason: str  # in English, for the command line
    reason_code: str = ""  # "" | "ceiling" | "stalled": the app translates from these
    reason_values: dict[str, float] = field(default_factory=dict)
    # Proven minimal: the plan's size equals HiGHS's lower bound for a relaxation of the model,
    # and the engine accepts the plan. When False, `lower_bound` (if any) is what is proven and
    # `gap` the completers the plan may have beyond the fewest.
    optimal: bool = False
    lower_bound: int | None = None
    margin: float = 0.0  # points the plan's (rounded) score is above the needed score
    tie: bool = False  # the plan's score equals another state's: it shares the place
    method: str = "milp"  # "exact" (scoring.knapsack) | "milp" | "milp+repair" | "greedy"

    @property
    def gap(self) -> int | None:
        """Completers the plan may have beyond the fewest (0 when proven minimal)."""
        if self.optimal:
            return 0
        return None if self.lower_bound is None else self.extra_completers - self.lower_bound

    @property
    def gap_share(self) -> float | None:
        """The gap as a share of the proven lower bound: the plan is within this of the fewest
        (0 when proven minimal; None when nothing is proven)."""
        gap = self.gap
        if gap is None:
            return None
        if gap == 0:
            return 0.0
        return gap / self.lower_bound if self.lower_bound else None

    def proof_text(self) -> str:
        """In English, for the command line: "proven minimal", or how far it may be from it."""
        if self.optimal:
            return "proven minimal"
        share = self.gap_share
        if share is None:
            return (
                "not proven minimal: no lower bound was proven, how far from the fewest is unknown"
            )
        within = "under 0.01%" if share < 0.0001 else f"{share:.2%}"
        gap = self.gap or 0
        return (
            f"not proven minimal, within {within}: at most {gap:,} completer"
            f"{'' if gap == 1 else 's'} more than the fewest"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "target": self.target.label,
            "needed_score": self.needed_score if math.isfinite(self.needed_score) else None,
            "reachable": self.reachable,
            "extra_completers": self.extra_completers,
            "plan": [
                {
                    "id": r.id,
                    "department": r.department,
                    "mdo": r.mdo,
                    "extra_completers": int(r.extra_completers),
                }
                for r in self.plan.itertuples()
            ],
            "scenario": {"score": self.score, "rank": self.rank},
            "per_day": {
                "until": self.until.isoformat(),
                "days": self.days,
                "completers": self.per_day,
            },
            "reason": self.reason,
            "optimal": self.optimal,
            "lower_bound": self.lower_bound,
            "gap": self.gap,
            "gap_share": self.gap_share,
            "margin": round(self.margin, 6),
            "tie": self.tie,
        }


def needed_score(model: Model, target: GoalTarget) -> float:
    """Lowest rounded score that meets the target (ties share the better rank)."""
    others = model.others
    step = 10.0**-model.config.score_decimals
    if target.rank is not None:
        if target.rank < 1:
            raise ScoringInputError(f"target rank must be 1 or more, got {target.rank}")
        scores = np.sort(others["score"].to_numpy())[::-1]
        if target.rank > len(scores):
            return -math.inf
        return float(scores[target.rank - 1])
    name = (target.beat or "").strip().upper()
    ranking = model.data.ranking
    row = ranking[ranking["state"] == name]
    if row.empty:
        raise ScoringInputError(f"no state called {target.beat!r} in the ranking")
    if name == model.focus_state:
        raise ScoringInputError(f"{name} is the focus state itself")
    category = str(row["category"].iloc[0])
    if category != model.focus_category:
        raise ScoringInputError(
            f"{name} is in category {category}; {model.focus_state} is ranked "
            f"only within category {model.focus_category}"
        )
    return round(float(row["score"].iloc[0]) + step, 10)


def _threshold_steps(model: Model, x: np.ndarray, room: np.ndarray) -> list[np.ndarray]:
    """For each mdo_share KPI, the fewest extra completers per unit to reach its threshold."""
    steps = []
    for kpi in model.config.kpis:
        if kpi.aggregation is not Aggregation.MDO_SHARE or kpi.threshold is None:
            continue
        num, den = COLUMN_INDEX[kpi.numerator], COLUMN_INDEX[kpi.denominator]

        def reached(
            extra: np.ndarray, num: int = num, den: int = den, threshold: float = kpi.threshold
        ) -> np.ndarray:
            rows = model.apply(x + extra)[0]
            return (rows[:, den] > 0) & (rows[:, num] >= threshold * rows[:, den] - 1e-9)

        lo = np.zeros_like(room)
        hi = room.copy()
        ok_hi = reached(hi)
        todo = ok_hi & ~reached(lo)
        # Vectorised bisection over all units at once: ~log2(room) passes.
        while True:
            active = todo & (hi - lo > 1)
            if not active.any():
                break
            mid = np.where(active, np.floor((lo + hi) / 2), hi)
            ok = reached(mid)
            hi = np.where(active & ok, mid, hi)
            lo = np.where(active & ~ok, mid, lo)
        steps.append(np.where(todo, hi, 0.0))
    return steps


def needed_gain(model: Model, need: float, baseline_composite: float) -> float:
    """Least unrounded composite that rounds (half up, as `round_half_up`) to at least `need`,
    as the program's right-hand side: composite >= this. Slightly below the exact bound, so
    that no plan the engine accepts is excluded by float rounding."""
    scale = 10.0**model.config.score_decimals
    least_anchored = (round(need * scale) - 0.5 - 1e-7) / scale - 1e-9
    return least_anchored - model.published_score + baseline_composite


def goal_seek(
    model: Model,
    target: GoalTarget,
    start: np.ndarray | None = None,
    time_limit: float = TIME_LIMIT,
) -> GoalResult:
    """The fewest extra completers (and where) meeting the target, proven minimal.

    First a branch and bound over the engine's tables (scoring.knapsack, whose docstring gives
    the proof); where it does not close, a mixed-integer program (scoring.milp, likewise)
    bounds the fewest completers from below; its plan is replayed through the engine, and
    accepted only if it meets the target. If a relaxed piece lets an unacceptable plan
    through, the plan is repaired with the greedy and `optimal` is False with the proven gap.
    """
    need = needed_score(model, target)
    m = len(model.base_rows)
    start = np.zeros(m) if start is None else np.floor(np.asarray(start, dtype=float))

    def accept(extra: np.ndarray) -> bool:
        return bool(evaluate(model, (start + extra)[None]).score[0] >= need - 1e-9)

    # Met already, or out of reach even at the ceiling: the greedy says so in two evaluations.
    ends = evaluate(model, np.stack([start, start + knapsack.capacity(model, start)])).score
    if ends[0] >= need - 1e-9 or ends[1] < need - 1e-9:
        greedy = greedy_seek(model, target, start)
        if greedy.already_met:
            return dataclasses.replace(greedy, optimal=True, lower_bound=0, method="none")
        if not greedy.reachable and greedy.reason_code == "ceiling":
            return dataclasses.replace(greedy, method="none")
    weights = model.weights / model.weights.sum()
    anchor = np.asarray(model.anchor_subscores(model.config.kpis), dtype=float)
    gain = needed_gain(model, need, float(anchor @ weights))
    # Branch and bound over the engine's own tables (scoring.knapsack, whose docstring gives
    # the proof): tens of milliseconds where the MIP took 100-400 ms. Its first incumbent is
    # its own (the greedy took 10-20 ms); it hands over to the greedy and the MIP when the
    # model's shape is not covered or the search does not close.
    tab = knapsack.tables(model, start)
    fast = knapsack.fewest(model, tab, weights, gain, accept) if tab else None
    if fast is not None and fast.proven and fast.extra is not None:
        return _reached(
            model, target, need, start, fast.extra, optimal=True, bound=fast.bound, method="exact"
        )
    greedy = greedy_seek(model, target, start)
    hint = greedy.allocation if greedy.reachable else None
    if hint is not None and tab is not None and fast is not None and fast.extra is None:
        fast = knapsack.fewest(model, tab, weights, gain, accept, hint)  # with an incumbent
        if fast is not None and fast.proven and fast.extra is not None:
            return _reached(
                model,
                target,
                need,
                start,
                fast.extra,
                optimal=True,
                bound=fast.bound,
                method="exact",
            )
    form = milp.formulation(model, start)
    searched = fast.extra if fast is not None else None  # the search's best, when it gave up
    if hint is not None:
        hint = lp_rounded(model, target, form, weights, gain, start, hint)
    found = milp.minimise(model, form, [(0, weights, gain)], accept, hint, time_limit)
    if found.infeasible:  # proven: not even the relaxation can meet it within the ceiling
        cap = form.capacity
        best = float(evaluate(model, (start + cap)[None]).score[0])
        ceiling = model.config.scenario.activation_ceiling
        reason = (
            f"no plan within the {ceiling:.0%} activation ceiling reaches the {need:.2f} needed "
            f"(every unit at the ceiling gives {best:.2f})"
        )
        values = {"ceiling": ceiling, "completers": float(cap.sum()), "best": best, "need": need}
        return _result(
            model, target, need, start, np.zeros(m), False, False, reason, "ceiling", values
        )
    if found.extra is not None and found.optimal:
        return _reached(
            model, target, need, start, found.extra, optimal=True, bound=found.bound, method="milp"
        )
    # Not proven: the better of the program's plan repaired and the greedy's, with the bound.
    candidates = []
    if greedy.reachable:
        candidates.append((greedy.allocation, "greedy"))
    if searched is not None:
        candidates.append((searched, "exact"))
    if found.extra is not None:
        if accept(found.extra):
            candidates.append((found.extra, "milp"))
        else:
            repair = greedy_seek(model, target, start + found.extra)
            if repair.reachable:
                candidates.append((found.extra + repair.allocation, "milp+repair"))
    if not candidates:
        return greedy
    extra, method = min(candidates, key=lambda c: float(c[0].sum()))
    bounds = [b for b in (found.bound, fast.bound if fast is not None else None) if b is not None]
    if not bounds:  # stopped before the MIP had a bound (100x the table): the LP's
        bounds = [b for b in [lp_bound(model, form, weights, gain, extra, LP_TIME_LIMIT)] if b]
    bound = max(bounds) if bounds else None  # each from a relaxation: the largest holds
    optimal = bool(bound is not None and extra.sum() <= bound)
    return _reached(model, target, need, start, extra, optimal=optimal, bound=bound, method=method)


def lp_bound(
    model: Model,
    form: milp.Formulation,
    weights: np.ndarray,
    gain: float,
    plan: np.ndarray,
    time_limit: float,
) -> int | None:
    """A lower bound on the fewest completers from the program's linear relaxation (every
    integer relaxed, tangents anywhere: still a relaxation of the engine), within the budget of
    `plan`, a plan the engine accepts (the fewest is no larger); None if it does not solve."""
    cuts = milp.tangent_rows(form, milp.hint_points(model, form, plan))
    solved, _ = milp.solve(
        form, [(0, weights, gain)], cuts, time_limit, integral=False, budget=float(plan.sum())
    )
    if solved.status != 0 or not math.isfinite(solved.bound):
        return None
    return max(math.ceil(solved.bound - 1e-6), 0)


def _reached(
    model: Model,
    target: GoalTarget,
    need: float,
    start: np.ndarray,
    extra: np.ndarray,
    *,
    optimal: bool,
    bound: int | None,
    method: str,
) -> GoalResult:
    """A plan that reaches the goal, with what is proven about its size."""
    return _result(
        model,
        target,
        need,
        start,
        extra,
        True,
        False,
        "",
        optimal=optimal,
        lower_bound=bound,
        method=method,
    )


def lp_rounded(
    model: Model,
    target: GoalTarget,
    form: milp.Formulation,
    weights: np.ndarray,
    gain: float,
    start: np.ndarray,
    greedy: np.ndarray,
) -> np.ndarray:
    """A better incumbent than the greedy's: the LP relaxation's plan rounded down, then topped
    up by the greedy. Used only as the hint (the budget that bounds every unit, and where the
    tangents go), so it never decides optimality; it makes the budget tight (within a few
    completers of the optimum on the bundled data, where the greedy is off by up to 1,860)."""
    cuts = milp.tangent_rows(form, milp.hint_points(model, form, greedy))
    _, x = milp.solve(
        form, [(0, weights, gain)], cuts, 1.0, integral=False, budget=float(greedy.sum())
    )
    if x is None:
        return greedy
    floor = np.zeros_like(greedy)
    for unit, var in form.large.items():
        floor[unit] = math.floor(x[var] + 1e-6)
    for unit, values in form.small.items():
        for var, value in values:
            if x[var] > 1 - 1e-6:
                floor[unit] = value
    repair = greedy_seek(model, target, start + floor)
    if not repair.reachable:
        return greedy
    better = floor + repair.allocation
    return better if better.sum() < greedy.sum() else greedy


def greedy_seek(model: Model, target: GoalTarget, start: np.ndarray | None = None) -> GoalResult:
    """The heuristic of the first version, kept to repair a relaxed plan and to compare against.

    Greedy on score gain per extra completer, over two kinds of move per unit: bring it to an
    mdo_share threshold, or fill it to its activation ceiling; the last move is then cut to the
    fewest completers that still meet the target, and moves that turn out unneeded are dropped."""
    need = needed_score(model, target)
    m = len(model.base_rows)
    start = np.zeros(m) if start is None else np.asarray(start, dtype=float)
    cap = np.maximum(
        completer_capacity(
            model.base_rows, model.is_remainder, model.config.scenario.activation_ceiling
        )
        - start,
        0,
    )

    def scores(batch: np.ndarray) -> np.ndarray:
        return evaluate(model, start[None] + batch).score

    def meets(x: np.ndarray) -> bool:
        return bool(scores(x[None])[0] >= need - 1e-9)

    x = np.zeros(m)
    reason = ""
    if meets(x):
        return _result(model, target, need, start, x, True, True, "")
    if not meets(cap):
        best = float(scores(cap[None])[0])
        ceiling = model.config.scenario.activation_ceiling
        reason = (
            f"even with every unit at the {ceiling:.0%} activation ceiling "
            f"({int(cap.sum()):,} extra completers) the score reaches {best:.2f}, short of the "
            f"{need:.2f} needed"
        )
        values = {"ceiling": ceiling, "completers": float(cap.sum()), "best": best, "need": need}
        return _result(
            model, target, need, start, np.zeros(m), False, False, reason, "ceiling", values
        )

    moves: list[tuple[int, float, str]] = []
    current = float(scores(x[None])[0])
    # A unit's threshold step depends on that unit alone, and a unit that has moved has none
    # left (it crossed, or it is full): bisect once, then only clear the moved unit.
    steps = _threshold_steps(model, x, cap - x)
    for _ in range(MAX_STEPS):
        room = cap - x
        candidates: list[tuple[int, float, str]] = []
        for step in steps:
            candidates += [(int(i), float(step[i]), "threshold") for i in np.flatnonzero(step > 0)]
        candidates += [(int(i), float(room[i]), "fill") for i in np.flatnonzero(room > 0)]
        if not candidates:
            break
        units = np.array([c[0] for c in candidates])
        sizes = np.array([c[1] for c in candidates])
        # Unrounded composite: gains smaller than the published precision still count. Each move
        # touches one unit, so it is scored from the totals: O(M) a step, where a batch of full
        # tables took (2M x M x C) numbers (out of memory at 10,000 MDOs).
        here, comp = composite_of_moves(model, start + x, units, sizes)
        gain = (comp - here) / sizes
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            break
        i, size, kind = candidates[best]
        x[i] += size
        moves.append((i, size, kind))
        for step in steps:
            step[i] = 0.0
        if len(steps) > 1 and kind == "threshold" and x[i] < cap[i]:
            steps = _threshold_steps(model, x, cap - x)  # other shares may still be in reach
        current = float(scores(x[None])[0])
        if current >= need - 1e-9:
            break
    if current < need - 1e-9:
        reason = "no move raises the score further under the current assumptions"
        return _result(model, target, need, start, np.zeros(m), False, False, reason, "stalled")

    x = _trim_last(x, moves, meets)
    x = _drop_unneeded(x, moves, meets)
    return _result(model, target, need, start, x, True, False, "")


def _trim_last(x: np.ndarray, moves: list[tuple[int, float, str]], meets: Any) -> np.ndarray:
    """Cut the last move to the fewest completers that still meet the target (bisection)."""
    i, size, kind = moves[-1]
    lo, hi = 0.0, size  # lo fails (or is zero), hi meets
    while hi - lo > 1:
        mid = math.floor((lo + hi) / 2)
        trial = x.copy()
        trial[i] += mid - size
        if meets(trial):
            hi = mid
        else:
            lo = mid
    x = x.copy()
    x[i] += hi - size
    moves[-1] = (i, hi, kind)
    return x


def _drop_unneeded(x: np.ndarray, moves: list[tuple[int, float, str]], meets: Any) -> np.ndarray:
    for i, size, _ in reversed(moves[:-1]):
        trial = x.copy()
        trial[i] -= size
        if meets(trial):
            x = trial
    return x


def _result(
    model: Model,
    target: GoalTarget,
    need: float,
    start: np.ndarray,
    x: np.ndarray,
    reachable: bool,
    already: bool,
    reason: str,
    reason_code: str = "",
    reason_values: dict[str, float] | None = None,
    optimal: bool = False,
    lower_bound: int | None = None,
    method: str = "greedy",
) -> GoalResult:
    total = start + x
    result = evaluate(model, total[None])
    score = float(result.score[0])
    others = model.others["score"].to_numpy(dtype=float)
    frame = model.departments
    plan = frame.loc[x > 0, ["id", "department", "mdo"]].copy()
    plan["extra_completers"] = x[x > 0].astype(int)
    plan = plan.sort_values(["extra_completers", "id"], ascending=[False, True])
    until = model.config.deadline
    days = max((until - model.data.as_of).days, 0)
    extra = int(x.sum())
    per_day = math.ceil(extra / days) if days else extra
    return GoalResult(
        state=model.focus_state,
        target=target,
        needed_score=need,
        reachable=reachable,
        already_met=already,
        extra_completers=extra,
        allocation=x,
        plan=plan.reset_index(drop=True),
        score=score,
        rank=int(result.rank[0]),
        until=until,
        days=days,
        per_day=per_day,
        reason=reason,
        reason_code=reason_code,
        reason_values=reason_values or {},
        optimal=optimal,
        lower_bound=lower_bound,
        margin=round(score - need, 6) if reachable and math.isfinite(need) else 0.0,
        tie=bool(reachable and np.any(np.abs(others - score) < 1e-9)),
        method=method if reachable else "none",
    )
