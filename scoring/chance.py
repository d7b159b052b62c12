"""The chance that a scenario reaches a rank over plausible weightings and model shapes."""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from scoring.config import KpiSpec
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.kpis import KpiPlan
from scoring.ranking import round_half_up
from scoring.sensitivity import draw_weights
from scoring.subscores import subscores

DEFAULT_CONCENTRATION = 30.0  # the Sensitivity page's default
DEFAULT_DRAWS = 20_000  # the fixed sample behind every lever change: about 0.3 points of error
CHECK_DRAWS = 100_000  # a fresh sample to check a plan on
FRAGILE_MARGIN = 0.05  # points: below this (or on a tie) the smallest slip loses the place
Z95 = 1.959963984540054
MAX_CACHED = 8


@dataclass(frozen=True)
class Prior:
    """What "plausible" means: the Sensitivity page's Dirichlet weightings around the configured
    weights (`concentration`; None = uniform on the simplex), and, with `variants`, the model
    shapes the YAML declares, each drawn as often as its plausibility says."""

    concentration: float | None = DEFAULT_CONCENTRATION
    draws: int = DEFAULT_DRAWS
    seed: int = 0
    variants: bool = True


DEFAULT_PRIOR = Prior()


@dataclass(frozen=True)
class Sample:
    """A fixed, seeded sample of weightings and shapes, with what a scenario's score needs."""

    prior: Prior
    weights: np.ndarray  # (W, K) rows summing to 1
    shape: np.ndarray  # (W,) index into `kpis`
    groups: tuple[np.ndarray, ...]  # draws of each shape
    kpis: tuple[tuple[KpiSpec, ...], ...]
    plans: tuple[KpiPlan, ...]
    baseline: np.ndarray  # (shapes, K) sub-scores at zero additions
    rivals: tuple[tuple[float, str], ...]  # the other states, best first (score, state)

    @property
    def draws(self) -> int:
        return int(self.weights.shape[0])

    def scores(self, model: Model, added: np.ndarray) -> np.ndarray:
        """Anchored, rounded focus scores (S, W) of scenarios (S, M) under every draw."""
        rows = model.apply(np.atleast_2d(np.asarray(added, dtype=float)))
        out = np.empty((rows.shape[0], self.draws))
        for s, (kpis, plan, group) in enumerate(
            zip(self.kpis, self.plans, self.groups, strict=True)
        ):
            if not group.size:
                continue
            gains = subscores(plan.values(rows), kpis) - self.baseline[s]
            out[:, group] = gains @ self.weights[group].T
        out += model.published_score
        return round_half_up(np.clip(out, 0.0, 100.0), model.config.score_decimals)


def build_sample(model: Model, prior: Prior = DEFAULT_PRIOR) -> Sample:
    """Draw the sample: weights exactly as the Sensitivity page does (`draw_weights`), shapes
    from an independent stream of the same seed."""
    weights = draw_weights(model.weights, prior.draws, prior.concentration, prior.seed)
    weights = weights / weights.sum(axis=1, keepdims=True)
    shapes = model.config.shapes if prior.variants else model.config.shapes[:1]
    odds = np.array([p for _, p in shapes], dtype=float)
    rng = np.random.default_rng([prior.seed, 1])
    shape = (
        rng.choice(len(shapes), size=prior.draws, p=odds / odds.sum())
        if len(shapes) > 1
        else np.zeros(prior.draws, dtype=int)
    )
    kpis = tuple(k for k, _ in shapes)
    plans = tuple(KpiPlan.build(k, model.is_remainder) for k in kpis)
    baseline = np.stack([model.anchor_subscores(k) for k in kpis])
    groups = tuple(np.flatnonzero(shape == s) for s in range(len(kpis)))
    for array in (weights, shape, baseline, *groups):
        array.flags.writeable = False
    others = model.others.sort_values(["score", "state"], ascending=[False, True])
    rivals = tuple(
        (float(score), str(state))
        for score, state in zip(others["score"], others["state"], strict=True)
    )
    return Sample(prior, weights, shape, groups, kpis, plans, baseline, rivals)


_CACHE: dict[tuple[int, Prior], tuple[weakref.ref[Model], Sample]] = {}


def sample_for(model: Model, prior: Prior = DEFAULT_PRIOR) -> Sample:
    """`build_sample`, kept per model object and prior (a page's lever changes reuse it)."""
    hit = _CACHE.get((id(model), prior))
    if hit is not None and hit[0]() is model:
        return hit[1]
    sample = build_sample(model, prior)
    if len(_CACHE) >= MAX_CACHED:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[(id(model), prior)] = (weakref.ref(model), sample)
    return sample


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def needed_for_rank(model: Model, rank: int, prior: Prior = DEFAULT_PRIOR) -> tuple[float, str]:
    """Score that gives at least `rank` (ties share the better rank) and the state holding it;
    (-inf, "") when the rank is last place or beyond."""
    if rank < 1:
        raise ScoringInputError(f"rank must be 1 or more, got {rank}")
    rivals = sample_for(model, prior).rivals
    if rank > len(rivals):
        return -math.inf, ""
    return rivals[rank - 1]


@dataclass(frozen=True)
class Chance:
    """Wording-free facts about a scenario and a rank: the app words them."""

    rank: int  # the rank asked about ("at least this rank")
    chance: float  # share of the sample's draws giving this rank or better
    interval: tuple[float, float]  # 95% Wilson interval of that share (sampling error)
    draws: int
    score: float  # under the configured weights and model
    needed: float  # the score that gives the rank (-inf: always)
    rival: str  # the state holding that score ("" if none)
    margin: float  # score - needed, in points (inf when the rank is always reached)
    tie: bool  # the score equals the rival's: it shares the place
    fragile: bool  # a tie, or a margin under FRAGILE_MARGIN points

    def to_dict(self) -> dict[str, object]:
        finite = math.isfinite(self.margin)
        return {
            "rank": self.rank,
            "chance": round(self.chance, 6),
            "chance_interval": [round(self.interval[0], 6), round(self.interval[1], 6)],
            "draws": self.draws,
            "needed_score": self.needed if math.isfinite(self.needed) else None,
            "rival": self.rival or None,
            "margin": round(self.margin, 6) if finite else None,
            "tie": self.tie,
            "fragile": self.fragile,
        }


def chance_of_rank(
    model: Model,
    added: np.ndarray,
    rank: int | None = None,
    prior: Prior = DEFAULT_PRIOR,
) -> Chance:
    """The chance that the additions (M,) give at least `rank` (default: the rank they give
    under the configured weights), over the prior's fixed sample; with margin and tie."""
    added = np.asarray(added, dtype=float)
    sample = sample_for(model, prior)
    from scoring.engine import evaluate

    central = evaluate(model, added[None])
    score = float(central.score[0])
    rank = int(central.rank[0]) if rank is None else int(rank)
    needed, rival = needed_for_rank(model, rank, prior)
    if not math.isfinite(needed):
        return Chance(
            rank, 1.0, (1.0, 1.0), sample.draws, score, needed, "", math.inf, False, False
        )
    hits = int(np.count_nonzero(sample.scores(model, added[None])[0] >= needed - 1e-9))
    return _chance(rank, hits, sample.draws, score, needed, rival)


def _chance(rank: int, hits: int, draws: int, score: float, needed: float, rival: str) -> Chance:
    margin = round(score - needed, 6)
    tie = abs(score - needed) < 1e-9
    return Chance(
        rank=rank,
        chance=hits / draws,
        interval=wilson(hits, draws),
        draws=draws,
        score=score,
        needed=needed,
        rival=rival,
        margin=margin,
        tie=tie,
        fragile=tie or margin < FRAGILE_MARGIN,
    )


def chance_of_score(
    model: Model, added: np.ndarray, needed: float, prior: Prior = DEFAULT_PRIOR
) -> tuple[int, int]:
    """(draws reaching `needed`, draws) for one scenario: the building block of plan checks."""
    sample = sample_for(model, prior)
    scores = sample.scores(model, np.asarray(added, dtype=float)[None])[0]
    return int(np.count_nonzero(scores >= needed - 1e-9)), sample.draws
