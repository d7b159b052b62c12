"""How firm the focus state's position is: a Monte Carlo rank distribution summed up, the goal
ranks worth asking about, the departments where a completer counts most, and a calibration fit
in the shape a scenario's weights take."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.calibration import CalibrationResult, category_fully_covered
from scoring.config import ModelConfig
from scoring.engine import Model
from scoring.month_calibration import MonthCalibration
from scoring.sensitivity import RankDistribution

# "What does it take to reach 5th?" is the question the letter's table invites: the default
# target of the page's goal questions, where the category is large enough.
DEFAULT_GOAL_RANK = 5
TOP_DEPARTMENTS = 15
SCORE_BAND = (0.05, 0.95)
FITTED_DECIMALS = 4


@dataclass(frozen=True)
class RankSummary:
    likely_rank: int  # the most probable rank under the scenario
    likely_share: float  # its probability
    score_low: float  # the scenario score's 5% quantile over the weightings
    score_high: float  # and its 95% quantile


def summarise(dist: RankDistribution) -> RankSummary:
    index = int(np.argmax(dist.scenario))
    low, high = np.quantile(dist.scenario_scores, SCORE_BAND)
    return RankSummary(
        likely_rank=int(dist.ranks[index]),
        likely_share=float(dist.scenario[index]),
        score_low=float(low),
        score_high=float(high),
    )


def default_target_rank(published_rank: int) -> int:
    """The chance worth showing first: one place better than the published rank."""
    return max(published_rank - 1, 1)


def goal_ranks(model: Model) -> list[int]:
    """The ranks a goal can ask for in the focus state's category (1 to the number of peers)."""
    return list(range(1, len(model.others) + 1))


def default_goal_rank(model: Model) -> int:
    return min(DEFAULT_GOAL_RANK, max(len(model.others), 1))


def strongest_gains(gains: pd.DataFrame, count: int = TOP_DEPARTMENTS) -> pd.DataFrame:
    """The `count` departments whose next completers add the most points, most first."""
    return gains.sort_values("points", ascending=False, kind="stable").head(count)


def fitted_weights(
    fit: CalibrationResult | MonthCalibration, config: ModelConfig
) -> dict[str, float]:
    """A fit's weights (across states, or from the focus state's own months) as a scenario's
    weights ({KPI id: weight}), rounded as a person would type them so that a shared link stays
    short."""
    return {
        spec.id: round(float(w), FITTED_DECIMALS)
        for spec, w in zip(config.kpis, fit.weights, strict=True)
    }


def full_mode_possible(state_kpis: pd.DataFrame, model: Model) -> bool:
    """Full mode scores every peer by the model: it needs KPI values for every other state of the
    focus category (the focus state's own row, if given, is not needed)."""
    others = state_kpis[state_kpis["state"] != model.focus_state]
    return category_fully_covered(others, model.others, model.focus_category)
