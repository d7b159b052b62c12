"""One entry point chaining the steps: rows -> KPIs -> sub-scores -> composite -> anchor -> rank."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scoring.aggregate import composite, normalised
from scoring.config import COLUMNS, KpiSpec, ModelConfig
from scoring.data import Dataset, DepartmentTable
from scoring.errors import ScoringInputError
from scoring.kpis import KpiPlan, kpi_values
from scoring.limits import check_deadline
from scoring.ranking import anchor, rank_against, rank_within_category, round_half_up
from scoring.scenario import (
    UC,
    AdditionRates,
    Scenario,
    ScenarioAdditions,
    addition_rates,
    apply_additions,
    lever_additions,
)
from scoring.subscores import subscores


@dataclass(frozen=True)
class Model:
    """A config and a data set, with the baseline precomputed.

    The baseline is measured on the anchor table: the department table of the ranking's date.
    It is `data.departments` itself unless the data hold a newer table (a nowcast), in which
    case scenarios start from the newer rows and every gain, under any weights or model
    shape, counts from the anchor's rows (`anchor_subscores`)."""

    config: ModelConfig
    data: Dataset
    base_rows: np.ndarray  # (M, C)
    is_remainder: np.ndarray  # (M,)
    weights: np.ndarray  # (K,)
    baseline_raw: np.ndarray  # (K,) the KPIs on the anchor table
    baseline_subscores: np.ndarray  # (K,)
    baseline_composite: float
    anchor_rows: np.ndarray  # (A, C) the anchor table after no change (A may differ from M)
    anchor_is_remainder: np.ndarray  # (A,)
    # The date the published scores (the focus state's and its peers') stand on; `data.as_of`
    # is the department table's, later under a nowcast, earlier when the ranking has no table.
    ranking_as_of: dt.date
    focus_state: str
    focus_category: str
    published_score: float
    published_rank: int
    others: pd.DataFrame  # the focus category without the focus state

    @property
    def departments(self) -> pd.DataFrame:
        return self.data.departments.frame

    @functools.cached_property
    def kpi_plan(self) -> KpiPlan:
        """The KPIs' columns as index arrays, for scoring batches of rows."""
        return KpiPlan.build(self.config.kpis, self.is_remainder)

    @functools.cached_property
    def addition_rates(self) -> AdditionRates:
        """Per-unit rates of adding completers under this model's assumptions."""
        return addition_rates(self.base_rows, self.config.scenario, self.is_remainder)

    def anchor_subscores(self, kpis: tuple[KpiSpec, ...]) -> np.ndarray:
        """Sub-scores (K,) of a KPI set (the model's own or a variant's) on the anchor table:
        what a scenario's gains under that shape are measured from."""
        if kpis == self.config.kpis:
            return self.baseline_subscores
        return _anchor_baseline(self.anchor_rows, self.anchor_is_remainder, kpis)[1]

    def apply(self, added: np.ndarray) -> np.ndarray:
        """Department rows (S, M, C) after additions (S, M) or (M,)."""
        return apply_additions(
            self.base_rows, added, self.config.scenario, self.is_remainder, self.addition_rates
        )

    def apply_to_units(self, units: np.ndarray, totals: np.ndarray) -> np.ndarray:
        """Engine rows (L, C) of the units `units` (L,), each with `totals` (L,) completers
        added: one unit may appear several times, with a different total each time."""
        rates = self.addition_rates
        sliced = AdditionRates(
            *(np.asarray(getattr(rates, f.name))[units] for f in dataclasses.fields(rates))
        )
        return apply_additions(
            self.base_rows[units],
            np.asarray(totals, dtype=float)[None],
            self.config.scenario,
            self.is_remainder[units],
            sliced,
        )[0]

    @functools.cached_property
    def focus_table(self) -> FocusTable:
        """The focus category's states as the model sees them, computed once per model (a
        `dataclasses.replace` copy, such as a peer drift, computes its own)."""
        states, categories, published, published_rank = _category_columns(
            self.data.ranking, self.focus_category
        )
        peers = dict(zip(self.others["state"], self.others["score"], strict=True))
        scores = [peers.get(state, score) for state, score in zip(states, published, strict=True)]
        arrays = (states, categories, published, published_rank, np.array(scores, dtype=float))
        for array in arrays:
            array.flags.writeable = False
        return FocusTable(*arrays, focus=int(np.flatnonzero(states == self.focus_state)[0]))


def _category_columns(
    ranking: pd.DataFrame, category: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """States, categories, published scores and published ranks of one category."""
    frame = ranking[ranking["category"] == category]
    categories = frame["category"].to_numpy()
    published = frame["score"].to_numpy(dtype=float)
    return (
        frame["state"].to_numpy(),
        categories,
        published,
        rank_within_category(published, categories),
    )


@dataclass(frozen=True)
class FocusTable:
    """Columns of the focus category in ranking order of the source; `scores` holds the other
    states as the model sees them (published, or moved by a peer drift)."""

    states: np.ndarray
    categories: np.ndarray
    published: np.ndarray
    published_rank: np.ndarray
    scores: np.ndarray
    focus: int  # index of the focus state


@dataclass(frozen=True)
class BatchResult:
    """Scores of a batch of S scenarios (or of S scenarios x W weight vectors)."""

    raw: np.ndarray  # (S, K)
    subscores: np.ndarray  # (S, K)
    composite: np.ndarray  # (S,)
    score: np.ndarray  # (S,) anchored, rounded to the published precision
    rank: np.ndarray  # (S,)


@dataclass(frozen=True)
class KpiChange:
    id: str  # the KPI's id in the config; the app adds its label in the user's language
    pillar: str
    weight_share: float
    baseline: float
    scenario: float
    baseline_subscore: float
    scenario_subscore: float
    contribution: float  # points of the anchored score this KPI adds


@dataclass(frozen=True)
class SimulationResult:
    state: str
    category: str
    baseline_score: float
    baseline_rank: int
    score: float
    rank: int
    kpis: tuple[KpiChange, ...]
    category_table: pd.DataFrame  # state, published_score, published_rank, score, rank
    scenario_rows: np.ndarray  # (M, C) department rows after the scenario
    base_rows: np.ndarray  # (M, C) the same rows before it
    departments: pd.DataFrame  # id, department, mdo, is_remainder of those rows
    additions: ScenarioAdditions
    extra_completers: int

    @property
    def rows(self) -> pd.DataFrame:
        """Department rows after the scenario, with `added` (built on demand: the app's
        lever changes do not need it)."""
        frame = self.departments[["id", "department", "mdo", "is_remainder"]].copy()
        frame[list(COLUMNS)] = self.scenario_rows
        frame["added"] = self.scenario_rows[:, UC] - self.base_rows[:, UC]
        return frame

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "category": self.category,
            "baseline": {"score": self.baseline_score, "rank": self.baseline_rank},
            "scenario": {"score": self.score, "rank": self.rank},
            "extra_completers": self.extra_completers,
            "kpis": [
                {
                    "id": k.id,
                    "baseline": round(k.baseline, 6),
                    "scenario": round(k.scenario, 6),
                    "baseline_subscore": round(k.baseline_subscore, 4),
                    "scenario_subscore": round(k.scenario_subscore, 4),
                    "contribution": round(k.contribution, 4),
                }
                for k in self.kpis
            ],
            "levers": [
                {
                    "target": o.target.label,
                    "scope": o.target.scope.value,
                    "kind": o.lever.kind.value,
                    "value": o.lever.value,
                    "requested": o.requested,
                    "applied": o.applied,
                }
                for o in self.additions.outcomes
            ],
            "category_table": [
                {"state": r.state, "score": r.score, "rank": int(r.rank)}
                for r in self.category_table.itertuples()
            ],
        }


def _anchor_baseline(
    rows: np.ndarray, is_remainder: np.ndarray, kpis: tuple[KpiSpec, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """KPI values and sub-scores (K,) of one table's rows: the one way every model shape and
    weighting gets its baseline."""
    raw = kpi_values(rows[None], is_remainder, kpis)[0]
    return raw, subscores(raw[None], kpis)[0]


def build_model(
    config: ModelConfig,
    data: Dataset,
    anchor: DepartmentTable | None = None,
    ranking_as_of: dt.date | None = None,
) -> Model:
    """The model of a config on a data set. `anchor`: the department table of the ranking's
    date when `data.departments` is newer (a nowcast; scoring.nowcast.anchored_model passes
    it): scenarios then start from the newer table, and the score is published +
    model(rows) - model(anchor), for the model's KPIs, its variants and any weights alike.
    `ranking_as_of`: the ranking's date when it is not the department table's."""
    # Where a model file and a data set meet: a deadline before the data date would give negative
    # days and run-rates on every page (the file alone cannot know the data's date).
    check_deadline(config.deadline, data.as_of)
    ranking = data.ranking
    focus = config.focus_state.upper()
    row = ranking[ranking["state"] == focus]
    if row.empty:
        raise ScoringInputError(f"focus state {focus!r} is not in the ranking")
    category = str(row["category"].iloc[0])
    published = float(row["score"].iloc[0])
    ranks = rank_within_category(ranking["score"].to_numpy(), ranking["category"].to_numpy())
    published_rank = int(ranks[row.index[0]])
    table = data.departments
    anchor = table if anchor is None else anchor
    weights = np.array(config.weights, dtype=float)
    # Through the same path as any scenario, so that "no change" is bit-for-bit the baseline.
    zero = np.zeros((1, len(anchor.values)))
    anchor_rows = apply_additions(anchor.values, zero, config.scenario, anchor.is_remainder)[0]
    anchor_rows.flags.writeable = False
    raw, subs = _anchor_baseline(anchor_rows, anchor.is_remainder, config.kpis)
    others = ranking[(ranking["category"] == category) & (ranking["state"] != focus)]
    return Model(
        config=config,
        data=data,
        base_rows=table.values,
        is_remainder=table.is_remainder,
        weights=weights,
        baseline_raw=raw,
        baseline_subscores=subs,
        baseline_composite=float(composite(subs[None], weights)[0]),
        anchor_rows=anchor_rows,
        anchor_is_remainder=anchor.is_remainder,
        ranking_as_of=data.as_of if ranking_as_of is None else ranking_as_of,
        focus_state=focus,
        focus_category=category,
        published_score=published,
        published_rank=published_rank,
        others=others.reset_index(drop=True),
    )


def evaluate(model: Model, added: np.ndarray) -> BatchResult:
    """Score a batch of additions (S, M) in one vectorised pass."""
    return _score_rows(model, model.apply(added))


def _score_rows(model: Model, rows: np.ndarray) -> BatchResult:
    """Score a batch of department tables (S, M, C) after their additions."""
    raw = model.kpi_plan.values(rows)
    subs = subscores(raw, model.config.kpis)
    comp = composite(subs, model.weights)
    score = round_half_up(
        anchor(model.published_score, comp, model.baseline_composite), model.config.score_decimals
    )
    rank = rank_against(score, model.others["score"].to_numpy())
    return BatchResult(raw, subs, comp, score, rank)


def score_weight_batch(model: Model, added: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Anchored focus scores for scenarios (S, M) under a batch of weights (W, K): (S, W).

    Anchoring makes this one product: published + (subs - baseline subs) @ w / sum(w).
    """
    subs = subscores(model.kpi_plan.values(model.apply(added)), model.config.kpis)
    weights = np.asarray(weights, dtype=float)
    # One product gives both each vector's total (a row of ones) and, with the published score
    # folded in, published * total + the weighted gains: one division then gives the score.
    stacked = np.empty((subs.shape[0] + 1, subs.shape[1]))
    np.subtract(subs, model.baseline_subscores[None], out=stacked[:-1])
    stacked[:-1] += model.published_score
    stacked[-1] = 1.0
    product = stacked @ weights.T
    # In place: with 100,000 vectors each temporary array costs as much as a third of the product.
    scores = product[:-1]
    scores /= product[-1:]
    return np.clip(scores, 0.0, 100.0, out=scores)


def category_table(model: Model, focus_score: float, category: str | None = None) -> pd.DataFrame:
    """All states of a category with published and simulated score and rank."""
    category = category or model.focus_category
    if category == model.focus_category:
        # Numpy on the precomputed columns: this runs on every lever change.
        table = model.focus_table
        scores = table.scores.copy()
        scores[table.focus] = focus_score
        states, categories = table.states, table.categories
        published, published_rank = table.published, table.published_rank
    else:
        states, categories, published, published_rank = _category_columns(
            model.data.ranking, category
        )
        scores = published.copy()
    rank = rank_within_category(scores, categories)
    order = sorted(range(len(states)), key=lambda i: (rank[i], states[i]))
    return pd.DataFrame(
        {
            "state": states[order],
            "category": categories[order],
            "published_score": published[order],
            "published_rank": published_rank[order],
            "score": scores[order],
            "rank": rank[order],
        }
    )


def ranking_table(model: Model) -> pd.DataFrame:
    """Every state with its rank recomputed from the published scores."""
    frame = model.data.ranking.copy()
    frame["computed_rank"] = rank_within_category(
        frame["score"].to_numpy(), frame["category"].to_numpy()
    )
    return frame.sort_values(["category", "computed_rank", "state"]).reset_index(drop=True)


def simulate_additions(model: Model, additions: ScenarioAdditions) -> SimulationResult:
    rows = model.apply(additions.added[None])
    result = _score_rows(model, rows)
    score, rank = float(result.score[0]), int(result.rank[0])
    share = normalised(model.weights)
    kpis = tuple(
        KpiChange(
            id=spec.id,
            pillar=spec.pillar.value,
            weight_share=float(share[k]),
            baseline=float(model.baseline_raw[k]),
            scenario=float(result.raw[0, k]),
            baseline_subscore=float(model.baseline_subscores[k]),
            scenario_subscore=float(result.subscores[0, k]),
            contribution=float(share[k] * (result.subscores[0, k] - model.baseline_subscores[k])),
        )
        for k, spec in enumerate(model.config.kpis)
    )
    baseline_rank = model.published_rank
    return SimulationResult(
        state=model.focus_state,
        category=model.focus_category,
        baseline_score=model.published_score,
        baseline_rank=baseline_rank,
        score=score,
        rank=rank,
        kpis=kpis,
        category_table=category_table(model, score),
        scenario_rows=rows[0],
        base_rows=model.base_rows,
        departments=model.departments,
        additions=additions,
        extra_completers=int((rows[0, :, UC] - model.base_rows[:, UC]).sum()),
    )


def simulate(model: Model, scenario: Scenario) -> SimulationResult:
    """Apply a scenario's levers and explain the result KPI by KPI."""
    return simulate_additions(model, lever_additions(model.data.departments, scenario.levers))
