"""Calibration: fit non-negative KPI weights that reproduce published scores, and full mode."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog, nnls

from scoring.aggregate import composite
from scoring.config import ModelConfig
from scoring.data import MAX_NAME, clean_name, parse_number, raise_problems, read_table
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.ranking import rank_within_category, round_half_up
from scoring.subscores import subscores

# Weighting of the sum-to-one row in the least-squares system: large enough that the fitted
# weights sum to 1 to about 1e-6, small enough to keep the problem well conditioned.
SUM_PENALTY = 1_000.0


def kpi_template(config: ModelConfig) -> str:
    """CSV header (and an empty example row) for supplying states' raw KPI values."""
    header = ["state", *[k.id for k in config.kpis]]
    return ",".join(header) + "\n" + ",".join(["EXAMPLE STATE"] + ["" for _ in config.kpis]) + "\n"


def parse_state_kpis(
    source: bytes | str, config: ModelConfig, name: str = "state KPIs"
) -> pd.DataFrame:
    """Validate a table of raw KPI values per state: `state` plus one column per KPI id."""
    frame = read_table(source.encode() if isinstance(source, str) else source, name)
    ids = [k.id for k in config.kpis]
    missing = [c for c in ["state", *ids] if c not in frame.columns]
    if missing:
        raise ScoringInputError(f"missing column(s) {', '.join(missing)}", name)
    problems: list[str] = []
    rows = []
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        state = clean_name(rec["state"]).upper()
        if not state or len(state) > MAX_NAME:
            problems.append(f"row {i}: state is blank or too long")
        label = f" ({state})"
        values = {k: parse_number(rec[k], k, i, label, problems, integer=False) for k in ids}
        rows.append({"state": state, **values})
    raise_problems(problems, name)
    out = pd.DataFrame(rows)
    duplicated = out["state"][out["state"].duplicated()].tolist()
    if duplicated:
        raise ScoringInputError(f"state(s) given twice: {', '.join(duplicated)}", name)
    return out


@dataclass(frozen=True)
class Identification:
    """Whether the data determine the weights, and the range each weight can take.

    `ranges` (K, 2), in the weights' unit (summing to 100, or to the configured total for the
    months' fit): the least and greatest value of each weight among all non-negative weight
    vectors whose fit is as good as the best one, give or take the published scores' rounding:
    every row's error at most `tolerance` (the best achievable largest error plus what rounding
    alone can put in a row). Linear programs (HiGHS), one minimum and one maximum per weight.
    """

    identified: bool
    reason_code: str  # "" | "fewer_states" | "fewer_changes" | "identical_columns" | "combination"
    reason: str  # in English, for the command line; the app words it from the code
    rank: int  # of the sub-score matrix with the sum-to-one row
    identical: tuple[tuple[str, str], ...]  # pairs of KPIs with the same column in every state
    ranges: np.ndarray  # (K, 2)
    best_max_error: float  # the least possible largest error over the states (points)
    tolerance: float  # the largest error allowed for a weight vector to count in `ranges`
    # KPIs whose column is zero in every row: for score changes, the KPIs that never moved (their
    # weight is then held only by the weights' total).
    zero: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalibrationResult:
    weights: np.ndarray  # (K,) non-negative, summing to 100 like the default config
    fitted: pd.DataFrame  # state, published, fitted, error
    rmse: float
    max_abs_error: float
    identification: Identification | None = None

    def as_config(self, config: ModelConfig) -> ModelConfig:
        return config.with_weights(
            dict(zip([k.id for k in config.kpis], self.weights.tolist(), strict=True))
        )


def fit_weights(
    state_kpis: pd.DataFrame, published: pd.DataFrame, config: ModelConfig
) -> CalibrationResult:
    """Non-negative least squares: published score ~ sub-scores @ w with w >= 0 and sum(w) = 1."""
    merged = state_kpis.merge(published[["state", "score"]], on="state", how="inner")
    if len(merged) < 2:
        raise ScoringInputError(
            f"need KPI values for at least 2 states with a published score; {len(merged)} matched"
        )
    subs = subscores(merged[[kpi.id for kpi in config.kpis]].to_numpy(dtype=float), config.kpis)
    target = merged["score"].to_numpy(dtype=float)
    weights = nnls_on_simplex(subs, target)
    fitted = composite(subs, weights)
    frame = pd.DataFrame({"state": merged["state"], "published": target, "fitted": fitted})
    frame["error"] = frame["fitted"] - frame["published"]
    return CalibrationResult(
        weights=weights * 100,
        fitted=frame,
        rmse=float(np.sqrt(np.mean(frame["error"] ** 2))),
        max_abs_error=float(frame["error"].abs().max()),
        identification=identify(subs, target, tuple(k.id for k in config.kpis), config),
    )


def nnls_on_simplex(subs: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Non-negative weights (K,) summing to one that best fit target ~ subs @ w (least squares),
    the sum held by a heavily weighted extra row (SUM_PENALTY)."""
    k = subs.shape[1]
    a = np.vstack([subs, np.full((1, k), SUM_PENALTY)])
    b = np.concatenate([target, [SUM_PENALTY]])
    solution, _ = nnls(a, b)
    return solution / solution.sum() if solution.sum() > 0 else np.full(k, 1 / k)


def identify(
    subs: np.ndarray, target: np.ndarray, ids: tuple[str, ...], config: ModelConfig
) -> Identification:
    """Are the weights determined by these states' sub-scores (n, K) and scores (n,)?"""
    return identify_rows(
        subs, target, ids, rounding=0.5 * 10.0**-config.score_decimals, total=100.0, rows="states"
    )


# How each kind of fit names its rows in the reasons: the code the app words from, then the
# English for the command line. "changes" are the focus state's score changes between editions
# (scoring.month_calibration).
_FEWER = {"states": "fewer_states", "changes": "fewer_changes"}


def _reason(rows: str, code: str, n: int, k: int, identical: tuple[tuple[str, str], ...]) -> str:
    pairs = ", ".join(f"{a} = {b}" for a, b in identical)
    if rows == "changes":
        return {
            "fewer_changes": (
                f"{n} score change(s) cannot determine {k} weights (with the weights summing to "
                f"their total, at least {k - 1} changes, that is {k} editions, are needed): many "
                "weightings fit equally well"
            ),
            "identical_columns": (
                f"KPIs whose sub-scores changed alike in every change ({pairs}) cannot be told "
                "apart"
            ),
            "combination": (
                "one KPI's changes are a combination of others' in these months: its weight can "
                "be shifted"
            ),
        }[code]
    return {
        "fewer_states": (
            f"{n} states cannot determine {k} weights (with the weights summing to one, at "
            f"least {k - 1} states are needed): many weightings fit equally well"
        ),
        "identical_columns": (
            f"KPIs with the same values in every state ({pairs}) cannot be told apart"
        ),
        "combination": (
            "a KPI is a combination of others in these states: its weight can be shifted"
        ),
    }[code]


def identify_rows(
    subs: np.ndarray,
    target: np.ndarray,
    ids: tuple[str, ...],
    *,
    rounding: float,
    total: float,
    rows: str,
) -> Identification:
    """Are non-negative weights summing to one determined by target ~ subs @ w (n rows, K)?

    `rounding` is the largest error rounding alone can put in one row's target (half a unit of
    the last published decimal for a score, a whole unit for the change between two rounded
    scores); `total` scales the ranges to the weights' unit; `rows` ("states" or "changes")
    names the rows in the reason."""
    n, k = subs.shape
    system = np.vstack([subs, np.ones((1, k))])
    rank = int(np.linalg.matrix_rank(system, tol=1e-9 * max(1.0, float(np.abs(system).max()))))
    identical = tuple(
        (ids[a], ids[b])
        for a in range(k)
        for b in range(a + 1, k)
        if np.allclose(subs[:, a], subs[:, b], rtol=0, atol=1e-9)
    )
    unchanged = tuple(ids[j] for j in range(k) if np.allclose(subs[:, j], 0.0, rtol=0, atol=1e-9))
    if rank == k:
        code = ""
    elif n + 1 < k:
        code = _FEWER[rows]
    elif identical:
        code = "identical_columns"
    else:
        code = "combination"
    best, tolerance, ranges = _weight_ranges(subs, target, rounding)
    return Identification(
        identified=rank == k,
        reason_code=code,
        reason=_reason(rows, code, n, k, identical) if code else "",
        rank=rank,
        identical=identical,
        ranges=ranges * total,
        best_max_error=best,
        tolerance=tolerance,
        zero=unchanged,
    )


def _weight_ranges(
    subs: np.ndarray, target: np.ndarray, rounding: float
) -> tuple[float, float, np.ndarray]:
    """Best largest error, its tolerance, and each weight's least and greatest value (K, 2)."""
    n, k = subs.shape
    # Variables: the K weights, then t, the largest error. min t, -t <= subs @ w - target <= t.
    rows = np.block([[subs, -np.ones((n, 1))], [-subs, -np.ones((n, 1))]])
    bounds_rhs = np.concatenate([target, -target])
    equal = np.concatenate([np.ones(k), [0.0]])[None]
    cost = np.zeros(k + 1)
    cost[-1] = 1.0
    fit = linprog(cost, A_ub=rows, b_ub=bounds_rhs, A_eq=equal, b_eq=[1.0], method="highs")
    if fit.status != 0:
        raise ScoringInputError(f"the weight fit failed: {fit.message}")
    best = float(fit.x[-1])
    tolerance = best + rounding + 1e-9
    # Every state within the tolerance, weights non-negative and summing to one.
    within = np.vstack([subs, -subs])
    within_rhs = np.concatenate([target + tolerance, -(target - tolerance)])
    ranges = np.zeros((k, 2))
    for j in range(k):
        for side, sign in ((0, 1.0), (1, -1.0)):
            cost = np.zeros(k)
            cost[j] = sign
            res = linprog(
                cost,
                A_ub=within,
                b_ub=within_rhs,
                A_eq=np.ones((1, k)),
                b_eq=[1.0],
                method="highs",
            )
            ranges[j, side] = float(res.x[j]) if res.status == 0 else np.nan
    return best, tolerance, ranges


def full_mode_scores(
    state_kpis: pd.DataFrame, ranking: pd.DataFrame, config: ModelConfig
) -> pd.DataFrame:
    """Every state with KPI values scored by the model itself (no anchoring), and ranked within
    its category; states without KPI values keep their published score."""
    subs = subscores(state_kpis[[k.id for k in config.kpis]].to_numpy(dtype=float), config.kpis)
    model_scores = dict(
        zip(state_kpis["state"], composite(subs, np.array(config.weights)), strict=True)
    )
    frame = ranking[["state", "category", "score"]].copy()
    frame["published_score"] = frame["score"]
    frame["scored_by_model"] = frame["state"].isin(model_scores)
    frame["score"] = [
        round(model_scores.get(s, p), config.score_decimals)
        for s, p in zip(frame["state"], frame["published_score"], strict=True)
    ]
    frame["rank"] = rank_within_category(frame["score"].to_numpy(), frame["category"].to_numpy())
    return frame.sort_values(["category", "rank", "state"]).reset_index(drop=True)


def category_fully_covered(state_kpis: pd.DataFrame, ranking: pd.DataFrame, category: str) -> bool:
    states = set(ranking.loc[ranking["category"] == category, "state"])
    return bool(states) and states <= set(state_kpis["state"])


def with_full_mode(model: Model, state_kpis: pd.DataFrame) -> Model:
    """The model with every other state of the focus category scored by the model itself.

    The focus state's baseline becomes its own model score (from its department table), so a
    scenario moves it by the model's difference exactly as in anchored mode.
    """
    if not category_fully_covered(
        state_kpis[state_kpis["state"] != model.focus_state], model.others, model.focus_category
    ):
        raise ScoringInputError(
            f"full mode needs KPI values for every other state of category {model.focus_category}"
        )
    full = full_mode_scores(state_kpis, model.data.ranking, model.config).set_index("state")
    others = model.others.copy()
    others["score"] = full.loc[others["state"], "score"].to_numpy()
    own = float(round_half_up(model.baseline_composite, model.config.score_decimals))
    return dataclasses.replace(model, others=others, published_score=own)
