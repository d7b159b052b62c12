"""Moving peers: other states' scores drift (points per month) until the deadline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from scoring.engine import Model
from scoring.errors import ScoringInputError

DAYS_PER_MONTH = 365.25 / 12
MAX_DRIFT = 50.0  # points per month; beyond this a value is surely a typo


def months_between(start: dt.date, end: dt.date) -> float:
    return max((end - start).days, 0) / DAYS_PER_MONTH


def drifted_scores(
    others: pd.DataFrame, drift: float | Mapping[str, float], months: float
) -> pd.Series:
    """Other states' scores after `months` of drift (one value for all, or per state), 0-100."""
    if isinstance(drift, Mapping):
        known = set(others["state"])
        unknown = sorted(set(drift) - known)
        if unknown:
            raise ScoringInputError(
                f"drift given for states not in the category: {', '.join(unknown)}"
            )
        per_state = others["state"].map(lambda s: float(drift.get(s, 0.0)))
    else:
        per_state = pd.Series(float(drift), index=others.index)
    bad = [v for v in per_state if not math.isfinite(v) or abs(v) > MAX_DRIFT]
    if bad:
        raise ScoringInputError(
            f"drift must be a finite number of points per month within ±{MAX_DRIFT:g}, got {bad[0]}"
        )
    return (others["score"] + per_state * months).clip(0, 100).round(2)


def with_peer_drift(
    model: Model, drift: float | Mapping[str, float], until: dt.date | None = None
) -> Model:
    """The model with the focus category's other states moved by their drift until `until`
    (default the deadline); simulate and goal seek then compare against the moved scores."""
    months = months_between(model.data.as_of, until or model.config.deadline)
    others = model.others.copy()
    others["score"] = drifted_scores(model.others, drift, months).to_numpy()
    return dataclasses.replace(model, others=others)


def trend_per_month(history: pd.DataFrame) -> dict[str, float]:
    """Each state's own pace, points per month, as the least-squares slope of score on date over
    the months loaded (needs two or more dates for a state)."""
    out: dict[str, float] = {}
    for state, rows in history.groupby("state"):
        if rows["as_of"].nunique() < 2:
            continue
        days = np.array([(d - rows["as_of"].min()).days for d in rows["as_of"]], dtype=float)
        slope = np.polyfit(days / DAYS_PER_MONTH, rows["score"].to_numpy(dtype=float), 1)[0]
        out[str(state)] = float(slope)
    return out
