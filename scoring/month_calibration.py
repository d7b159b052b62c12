"""Calibration from the focus state's own months: KPI weights fitted to its published score
changes between editions, with the same identifiability honesty as the cross-state fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.aggregate import normalised
from scoring.calibration import Identification, identify_rows, nnls_on_simplex
from scoring.config import ModelConfig
from scoring.data import DepartmentTable
from scoring.db import Database
from scoring.editions import rankings_in_force, tables_in_force
from scoring.errors import ScoringInputError
from scoring.kpis import kpi_values
from scoring.scenario import apply_additions
from scoring.subscores import subscores

NEEDED = 2  # editions: one change between two of them is the least a fit can use


@dataclass(frozen=True)
class MonthPoint:
    """One edition the fit can use: a ranking holding the focus state and a department table,
    both of the same date."""

    as_of: dt.date
    score: float  # the focus state's published score
    subscores: np.ndarray  # (K,) the model's sub-scores from that date's department table


@dataclass(frozen=True)
class MonthInputs:
    """What the editions offer the fit, oldest first."""

    points: tuple[MonthPoint, ...]
    # Dates with a ranking and a department table whose ranking lacks the focus state.
    without_focus: tuple[dt.date, ...] = ()

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(p.as_of for p in self.points)


@dataclass(frozen=True)
class MonthCalibration:
    """Weights fitted to the focus state's score changes between consecutive editions."""

    dates: tuple[dt.date, ...]  # the editions used, oldest first
    published: np.ndarray  # (T,) the focus state's published scores
    subscores: np.ndarray  # (T, K)
    weights: np.ndarray  # (K,) non-negative, summing to the configured total
    configured: np.ndarray  # (K,) the weights the fit was asked beside
    changes: pd.DataFrame  # start, end, published, fitted, configured, error (points)
    rmse: float  # over the changes, fitted against published
    max_abs_error: float
    identification: Identification

    @property
    def total(self) -> float:
        return float(self.configured.sum())

    def as_config(self, config: ModelConfig) -> ModelConfig:
        return config.with_weights(
            dict(zip([k.id for k in config.kpis], self.weights.tolist(), strict=True))
        )


def edition_subscores(config: ModelConfig, table: DepartmentTable) -> np.ndarray:
    """The focus state's sub-scores (K,) from one department table, exactly as
    engine.build_model computes its baseline (through the scenario path with nothing added,
    which makes every completer an active user). Not build_model itself: its deadline check
    belongs to planning from the latest data, not to reading an old month."""
    rows = apply_additions(
        table.values, np.zeros((1, len(table.values))), config.scenario, table.is_remainder
    )
    raw = kpi_values(rows, table.is_remainder, config.kpis)[0]
    return np.asarray(subscores(raw[None], config.kpis)[0], dtype=float)


def month_inputs(database: Database, config: ModelConfig) -> MonthInputs:
    """The editions with both a ranking and a department table in force for the same date,
    scored by the model, oldest first."""
    focus = config.focus_state.upper()
    rankings = dict(rankings_in_force(database))
    points: list[MonthPoint] = []
    without: list[dt.date] = []
    for as_of, table in tables_in_force(database):
        ranking = rankings.get(as_of)
        if ranking is None:
            continue
        row = ranking[ranking["state"] == focus]
        if row.empty:
            without.append(as_of)
            continue
        points.append(
            MonthPoint(as_of, float(row["score"].iloc[0]), edition_subscores(config, table))
        )
    return MonthInputs(tuple(points), tuple(without))


def not_enough(inputs: MonthInputs) -> str:
    """The command line's words when the editions cannot be used (the app has its own)."""
    found = len(inputs.points)
    listed = ", ".join(d.isoformat() for d in inputs.dates)
    there = "there are none" if not found else f"there is 1: {listed}"
    message = (
        f"calibration from the months needs {NEEDED} or more editions with both a ranking and a "
        f"department table; {there}"
    )
    if inputs.without_focus:
        dates = ", ".join(d.isoformat() for d in inputs.without_focus)
        message += f" (the focus state is missing from the ranking of {dates})"
    return message


def fit_months(
    points: Sequence[MonthPoint], config: ModelConfig, without_focus: Sequence[dt.date] = ()
) -> MonthCalibration:
    """Non-negative weights that best reproduce the changes in the published score between
    consecutive editions from the changes in the model's sub-scores.

    Anchoring says published(t) = offset + subscores(t) @ w / sum(w), with an offset nobody
    knows; a change between two editions removes it (the anchored simulator itself only relies
    on differences). It does not remove the scale: the composite is a weighted *average*, so
    the weights still sum to one (shown in the configured total's unit, so they can replace the
    configured ones as they are). This is the model's own definition, not an extra assumption,
    and it is what the fit's answer is used for: the simulator moves the score by exactly
    subscore changes @ w / sum(w). It also means K KPIs have K - 1 free weights, so K editions
    (K - 1 changes) can determine them; fewer cannot, and the ranges say how far each weight can
    move. A change between two scores rounded to the published decimals carries up to one whole
    unit of the last decimal of rounding error, which is the slack the ranges allow.
    """
    points = sorted(points, key=lambda p: p.as_of)
    if len(points) < NEEDED:
        raise ScoringInputError(
            not_enough(MonthInputs(tuple(points), tuple(without_focus))), "editions"
        )
    dates = tuple(p.as_of for p in points)
    if len(set(dates)) != len(dates):
        raise ScoringInputError("two editions of the same date were given", "editions")
    published = np.array([p.score for p in points], dtype=float)
    subs = np.vstack([p.subscores for p in points])
    d_subs = np.diff(subs, axis=0)
    d_score = np.diff(published)
    configured = np.array(config.weights, dtype=float)
    total = float(configured.sum())
    share = nnls_on_simplex(d_subs, d_score)
    fitted = d_subs @ share
    changes = pd.DataFrame(
        {
            "start": dates[:-1],
            "end": dates[1:],
            "published": d_score,
            "fitted": fitted,
            "configured": d_subs @ normalised(configured),
        }
    )
    changes["error"] = changes["fitted"] - changes["published"]
    identification = identify_rows(
        d_subs,
        d_score,
        tuple(k.id for k in config.kpis),
        rounding=10.0**-config.score_decimals,
        total=total,
        rows="changes",
    )
    return MonthCalibration(
        dates=dates,
        published=published,
        subscores=subs,
        weights=share * total,
        configured=configured,
        changes=changes,
        rmse=float(np.sqrt(np.mean(changes["error"] ** 2))),
        max_abs_error=float(changes["error"].abs().max()),
        identification=identification,
    )


def calibrate_months(database: Database, config: ModelConfig) -> MonthCalibration:
    """The fit from every usable edition in the database (ScoringInputError with fewer than
    two)."""
    inputs = month_inputs(database, config)
    return fit_months(inputs.points, config, inputs.without_focus)
