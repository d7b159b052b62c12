"""Plans with a chance of success: the fewest completers reaching a target in P% of plausible
weightings and model shapes, checked on a fresh sample; and the price of certainty.

The method, and why. Only the sub-score gains of a plan matter to a weighting, and a draw is met
when its weights times those gains clear the needed score. So the chance-constrained program is
the exact program of `scoring.milp` with one composite row per draw, of which P% must hold. With
one binary per draw (2,000 draws) HiGHS's bounds are too weak to finish in seconds, so the rows
are chosen instead, as in the sample-approximation literature's "discard" heuristics:

1. start from the greedy plan under the configured weights (which every plan must also meet:
   the Simulator shows the plan's result under them);
2. keep the P% of the solving sample's draws with the largest margin under the current plan,
   and give up the rest (the draws hardest for this plan);
3. solve for the fewest completers meeting every kept draw, adding kept draws' rows only when
   the engine's replay finds them missed (constraint generation: a dozen rows, not 2,000),
   and tangents where a concave piece was too optimistic;
4. repeat 2-3 while the plan gets cheaper: each round's plan meets the next round's kept draws,
   so the size never rises.

The result is a good plan, not a proven-minimal one (which draws to give up is itself a
combinatorial choice). Its chance is then measured on a fresh, independent sample of
CHECK_DRAWS draws (never the solving sample, on which the plan is tuned), with a Wilson
interval; if the fresh chance falls short of P, the in-sample requirement is raised by the
shortfall and the plan solved again (at most MAX_TRIES times).
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np

from scoring import milp
from scoring.chance import CHECK_DRAWS, DEFAULT_PRIOR, Prior, Sample, wilson
from scoring.engine import Model, evaluate
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult, GoalTarget, greedy_seek, needed_gain, needed_score
from scoring.goal import _result as goal_result

LEVELS = (0.5, 0.75, 0.9, 0.95)
SOLVE_DRAWS = 2_000
MAX_TRIES = 4
# Asked of the solving sample on top of P, so that a plan tuned to 2,000 draws still holds on
# independent ones (its standard error there is about 0.7 points at 90%).
IN_SAMPLE_MARGIN = 0.005
ROUNDS = 6
BATCH = 12  # kept draws' rows added per constraint-generation step
SKIP_BELOW = 0.002  # a second pass whose relaxation saves less than this share is not solved
CENTRAL = -1  # key of the configured weighting's row
BINDING = 1e-3  # points of slack under which a draw's row counts as binding
GAP = 2e-3  # relative MIP gap inside the heuristic: the sampling error is far larger
TIME_LIMIT = 20.0
SOLVE_SEED, CHECK_SEED = 101, 202  # offsets from the prior's seed: three independent samples


@dataclass(frozen=True)
class RobustPlan:
    """A plan meant to reach the target in `probability` of plausible draws."""

    target: GoalTarget
    probability: float  # asked for, 0-1
    plan: GoalResult  # allocation, plan table, score and rank under the configured weights
    chance: float  # achieved on the fresh sample
    interval: tuple[float, float]  # 95% Wilson interval of `chance`
    fresh_draws: int
    in_sample: float  # on the solving sample (the plan is tuned to it: optimistic)
    solve_draws: int
    tries: int
    met: bool  # the fresh chance is at least `probability`
    seconds: float

    @property
    def extra_completers(self) -> int:
        return self.plan.extra_completers

    def to_dict(self) -> dict[str, object]:
        data = self.plan.to_dict()
        data.update(
            {
                "probability": self.probability,
                "chance": round(self.chance, 6),
                "chance_interval": [round(self.interval[0], 6), round(self.interval[1], 6)],
                "chance_draws": self.fresh_draws,
                "chance_met": self.met,
                "in_sample_chance": round(self.in_sample, 6),
                "optimal": False,
            }
        )
        return data


def fresh_check(
    model: Model,
    added: np.ndarray,
    need: float,
    prior: Prior = DEFAULT_PRIOR,
    draws: int = CHECK_DRAWS,
) -> tuple[float, tuple[float, float]]:
    """Chance that the additions (M,) score at least `need`, on a fresh sample independent of
    every solving sample, with its Wilson interval."""
    sample = _sample(model, prior, draws, CHECK_SEED)
    hits = int(np.count_nonzero(sample.scores(model, added[None])[0] >= need - 1e-9))
    return hits / sample.draws, wilson(hits, sample.draws)


def _sample(model: Model, prior: Prior, draws: int, offset: int) -> Sample:
    from scoring.chance import sample_for

    return sample_for(model, dataclasses.replace(prior, draws=draws, seed=prior.seed + offset))


def robust_plan(
    model: Model,
    target: GoalTarget,
    probability: float = 0.9,
    prior: Prior = DEFAULT_PRIOR,
    start: np.ndarray | None = None,
    hint: np.ndarray | None = None,
    time_limit: float = TIME_LIMIT,
) -> RobustPlan:
    """The fewest completers (found as the module docstring says) reaching `target` in at least
    `probability` of the prior's draws, checked on a fresh sample."""
    if not 0 < probability < 1:
        raise ScoringInputError(f"the chance must be above 0 and below 1, got {probability}")
    began = time.perf_counter()
    need = needed_score(model, target)
    m = len(model.base_rows)
    start = np.zeros(m) if start is None else np.floor(np.asarray(start, dtype=float))
    # The greedy is enough to start from (it only ranks the draws at first) and says whether
    # the target is met already or out of reach.
    exact = greedy_seek(model, target, start)
    solving = _sample(model, prior, SOLVE_DRAWS, SOLVE_SEED)
    if exact.already_met or not exact.reachable or not math.isfinite(need):
        return _finish(
            model, target, probability, prior, exact, exact.allocation, need, solving, 1, began
        )
    # Rounding ties left relaxed (no unit tabulated): a far smaller program, and the replay
    # catches what the relaxation lets through.
    form = milp.formulation(model, start, solving.kpis, small_unit=0)
    allocation = exact.allocation if hint is None else np.asarray(hint, dtype=float)
    wanted = min(0.999, probability + IN_SAMPLE_MARGIN)
    tries = 0
    best: RobustPlan | None = None
    while tries < MAX_TRIES:
        tries += 1
        left = time_limit - (time.perf_counter() - began)
        allocation = _in_sample(model, form, solving, start, allocation, need, wanted, left)
        # Once more from this plan: the draws it meets most easily are a better kept set than
        # those of the starting plan; keep the smaller plan that meets the requirement.
        left = time_limit - (time.perf_counter() - began)
        again = _in_sample(
            model, form, solving, start, allocation, need, wanted, left, float(allocation.sum())
        )
        met = solving.scores(model, (start + again)[None])[0] >= need - 1e-9
        if again.sum() < allocation.sum() and met.mean() >= wanted:
            allocation = again
        result = _finish(
            model, target, probability, prior, exact, allocation, need, solving, tries, began
        )
        if best is None or _better(result, best):
            best = result
        if result.met or time.perf_counter() - began > time_limit:
            break
        # Short on fresh draws: the plan was tuned to the quirks of its sample. Enlarge the
        # solving sample (new draws, twice as many) and ask more of it by the shortfall.
        solving = _sample(model, prior, SOLVE_DRAWS * 2**tries, SOLVE_SEED + tries)
        wanted = min(0.999, wanted + (probability - result.chance) + IN_SAMPLE_MARGIN)
    assert best is not None
    return best


def _better(new: RobustPlan, old: RobustPlan) -> bool:
    """Met beats not met; among met, fewer completers; among not met, a higher chance."""
    if new.met != old.met:
        return new.met
    if new.met:
        return new.extra_completers < old.extra_completers
    return new.chance > old.chance


def _in_sample(
    model: Model,
    form: milp.Formulation,
    sample: Sample,
    start: np.ndarray,
    allocation: np.ndarray,
    need: float,
    wanted: float,
    time_limit: float,
    to_beat: float | None = None,
) -> np.ndarray:
    """Steps 2-4 of the module docstring on the solving sample: the kept draws and their
    binding rows are found on the linear relaxation (milliseconds a solve), then the integer
    program is solved on those rows and replayed through the engine. With `to_beat`, the
    integer program is skipped (and `allocation` returned) when the relaxation already shows
    no plan meaningfully smaller than that many completers."""
    began = time.perf_counter()
    keep = math.ceil(wanted * sample.draws)
    weights = sample.weights
    gains = np.array([needed_gain(model, need, 0.0)] * sample.draws)
    anchors = gains + np.einsum("jk,jk->j", sample.baseline[sample.shape], weights)

    # The model as configured is one plausible weighting that every plan must meet: a plan
    # with a chance of success should not miss the target on the Simulator's own figures.
    configured = model.weights / model.weights.sum()
    central_gain = float(gains[0] + sample.baseline[0] @ configured)

    def rows(draws: list[int], lift: dict[int, float]) -> list[tuple[int, np.ndarray, float]]:
        central = (0, configured, central_gain + lift.get(CENTRAL, 0.0))
        return [central] + [
            (int(sample.shape[j]), weights[j], float(anchors[j] + lift.get(j, 0.0))) for j in draws
        ]

    def relaxed_margins(x: np.ndarray) -> np.ndarray:
        """Each draw's composite minus what it needs, with the relaxation's sub-scores."""
        out = np.empty(sample.draws)
        for s, shape in enumerate(form.shapes):
            group = sample.groups[s]
            out[group] = weights[group] @ x[shape.sigma] - anchors[group]
        return out

    cuts = milp.tangent_rows(form, milp.hint_points(model, form, allocation))
    scores = sample.scores(model, (start + allocation)[None])[0]
    margins = scores - need
    work: list[int] = []
    kept = np.zeros(0, dtype=int)
    x: np.ndarray | None = None
    for _ in range(ROUNDS):
        order = np.lexsort((np.arange(sample.draws), -margins))
        new_kept = np.sort(order[:keep])
        if np.array_equal(new_kept, kept):
            break
        kept = new_kept
        work = sorted(set(work) | set(kept[np.argsort(margins[kept], kind="stable")[:BATCH]]))
        work = [j for j in work if j in set(kept.tolist())]
        for _ in range(30):
            solved, x = milp.solve(form, rows(work, {}), cuts, 5.0, integral=False)
            if x is None:
                return allocation
            margins = relaxed_margins(x)
            missed = kept[margins[kept] < -1e-9]
            if not missed.size:
                break
            work += missed[np.argsort(margins[missed], kind="stable")][:BATCH].tolist()
    # The integer program on the rows binding in the relaxation (a handful: a smaller program
    # than the 60-80 rows the search visited, and 2-5 times faster), replayed; kept draws it
    # misses join the rows, and a row the relaxation keeps letting through is lifted a little.
    if to_beat is not None and x is not None:
        relaxed = float(np.asarray(form.cost) @ x)
        if relaxed >= to_beat * (1 - SKIP_BELOW):
            return allocation
    binding = [j for j in work if margins[j] < BINDING]
    work = binding or work
    lift: dict[int, float] = {}
    best = allocation
    for _ in range(12):
        left = time_limit - (time.perf_counter() - began)
        if left <= 0:
            break
        solved, _ = milp.solve(form, rows(work, lift), cuts, left, GAP)
        if solved.extra is None:
            break
        trial = sample.scores(model, (start + solved.extra)[None])[0]
        met = int(np.count_nonzero(trial >= need - 1e-9))
        central_met = evaluate(model, (start + solved.extra)[None]).score[0] >= need - 1e-9
        best = solved.extra
        if met >= keep and central_met:
            break
        if not central_met:
            lift[CENTRAL] = lift.get(CENTRAL, 0.0) + 1e-4 * (1 + len(lift))
        missed = kept[trial[kept] < need - 1e-9]
        fresh = [int(j) for j in missed[np.argsort(trial[missed], kind="stable")] if j not in work]
        work += fresh[:BATCH]
        cuts = cuts + milp.refine(model, form, solved.extra)
        for j in missed[:BATCH]:
            lift[int(j)] = lift.get(int(j), 0.0) + 1e-4 * (1 + len(lift))
    return best


def _finish(
    model: Model,
    target: GoalTarget,
    probability: float,
    prior: Prior,
    exact: GoalResult,
    allocation: np.ndarray,
    need: float,
    solving: Sample,
    tries: int,
    began: float,
) -> RobustPlan:
    start = np.zeros(len(model.base_rows))
    if exact.already_met or not exact.reachable:
        plan = exact
    else:
        plan = goal_result(model, target, need, start, allocation, True, False, "", method="robust")
    added = start + plan.allocation
    chance, interval = fresh_check(model, added, need, prior)
    hits = int(np.count_nonzero(solving.scores(model, added[None])[0] >= need - 1e-9))
    return RobustPlan(
        target=target,
        probability=probability,
        plan=plan,
        chance=chance,
        interval=interval,
        fresh_draws=CHECK_DRAWS,
        in_sample=hits / solving.draws,
        solve_draws=solving.draws,
        tries=tries,
        met=chance >= probability,
        seconds=time.perf_counter() - began,
    )


def price_of_certainty(
    model: Model,
    target: GoalTarget,
    levels: tuple[float, ...] = LEVELS,
    prior: Prior = DEFAULT_PRIOR,
) -> tuple[RobustPlan, ...]:
    """Completers for each chance level (ascending), each checked on the fresh sample; each
    level starts from the previous level's plan."""
    out: list[RobustPlan] = []
    hint = None
    for level in sorted(levels):
        plan = robust_plan(model, target, level, prior, hint=hint)
        out.append(plan)
        hint = plan.plan.allocation
    # A plan found for a higher level that is smaller and holds also serves the lower levels:
    # the curve never asks more completers for less certainty.
    for i in range(len(out) - 2, -1, -1):
        higher = out[i + 1]
        if (
            higher.extra_completers < out[i].extra_completers
            and higher.chance >= out[i].probability
        ):
            out[i] = dataclasses.replace(higher, probability=out[i].probability, met=True)
    return tuple(out)
