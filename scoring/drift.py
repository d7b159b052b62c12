"""Moving peers: other states' scores drift (points per month) until the deadline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from scoring.db import Database
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


def drift_months(model: Model, until: dt.date | None = None) -> float:
    """Months the peers drift: from the ranking's date (their scores are the ranking's, also
    when the department table is newer or older) until `until` (default the deadline). What
    `with_peer_drift` moves them by, and what the pages say it does."""
    return months_between(model.ranking_as_of, until or model.config.deadline)


def with_peer_drift(
    model: Model, drift: float | Mapping[str, float], until: dt.date | None = None
) -> Model:
    """The model with the focus category's other states moved by their drift for
    `drift_months` until `until` (default the deadline); simulate and goal seek then compare
    against the moved scores."""
    months = drift_months(model, until)
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


def real_movement(
    months: Iterable[tuple[dt.date, pd.DataFrame]], states: Iterable[str] | None = None
) -> dict[str, float] | None:
    """Each state's real movement, points per month (least-squares slope over the published
    rankings), for the states given (default all); None with fewer than two rankings, when a
    guessed drift is all there is."""
    frames = [ranking[["state", "score"]].assign(as_of=as_of) for as_of, ranking in months]
    if len({f["as_of"].iloc[0] for f in frames if len(f)}) < 2:
        return None
    trend = trend_per_month(pd.concat(frames, ignore_index=True))
    if states is not None:
        wanted = set(states)
        trend = {s: v for s, v in trend.items() if s in wanted}
    return {s: round(max(-MAX_DRIFT, min(MAX_DRIFT, v)), 4) for s, v in trend.items()}


def default_peer_drift(database: Database, model: Model) -> dict[str, float] | None:
    """The drift the pages start from: the focus category's other states moving as they really
    did between the published editions (None with fewer than two rankings)."""
    from scoring.editions import rankings_in_force

    return real_movement(rankings_in_force(database), model.others["state"])
