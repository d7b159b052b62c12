"""History: several months of rankings, rank over time, and Bihar's own pace since October 2024."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scoring.data import DATA_DIR, parse_number, raise_problems, read_table
from scoring.drift import DAYS_PER_MONTH, months_between
from scoring.errors import ScoringInputError
from scoring.limits import MAX_HISTORY_FILES, check_date
from scoring.ranking import rank_within_category

PACE_COLUMNS = ("onboarded", "enrolments", "completions")


def combine_months(months: Iterable[tuple[dt.date, pd.DataFrame]]) -> pd.DataFrame:
    """Validated monthly rankings (as_of, ranking) into one long table with ranks recomputed."""
    frames = []
    seen: set[dt.date] = set()
    for as_of, ranking in months:
        if len(seen) >= MAX_HISTORY_FILES:
            raise ScoringInputError(f"more than {MAX_HISTORY_FILES} months of rankings given")
        if as_of in seen:
            raise ScoringInputError(f"two rankings given for {as_of.isoformat()}")
        seen.add(as_of)
        frame = ranking[["state", "category", "score"]].copy()
        frame["rank"] = rank_within_category(
            frame["score"].to_numpy(), frame["category"].to_numpy()
        )
        frame.insert(0, "as_of", as_of)
        frames.append(frame)
    if not frames:
        raise ScoringInputError("no rankings given")
    return pd.concat(frames, ignore_index=True).sort_values(["as_of", "category", "rank"])


@dataclass(frozen=True)
class Pace:
    start: dt.date
    end: dt.date
    months: float
    per_month: dict[str, float]  # column -> increase per month
    start_values: dict[str, float]
    end_values: dict[str, float]


def load_bihar_history(path: str | Path = DATA_DIR / "bihar_history.csv") -> pd.DataFrame:
    """Dated aggregate snapshots (as_of and PACE_COLUMNS), validated row by row, oldest first."""
    name = Path(path).name
    frame = read_table(Path(path), name)
    missing = [c for c in ("as_of", *PACE_COLUMNS) if c not in frame.columns]
    if missing:
        raise ScoringInputError(f"missing column(s) {', '.join(missing)}", name)
    problems: list[str] = []
    dates: list[dt.date] = []
    for i, value in enumerate(frame["as_of"], start=2):
        try:
            dates.append(check_date(value, f"row {i}: as_of"))
        except ScoringInputError as exc:
            problems += exc.problems
    for column in PACE_COLUMNS:
        frame[column] = [
            parse_number(v, column, i, "", problems, integer=True)
            for i, v in enumerate(frame[column], start=2)
        ]
    raise_problems(problems, name)
    frame["as_of"] = dates
    return frame.sort_values("as_of").reset_index(drop=True)


def pace(history: pd.DataFrame) -> Pace:
    """Average monthly increase between the first and the last aggregate snapshot."""
    if len(history) < 2:
        raise ScoringInputError("need at least two dated snapshots to measure a pace")
    first, last = history.iloc[0], history.iloc[-1]
    months = months_between(first["as_of"], last["as_of"])
    if months <= 0:
        raise ScoringInputError("the snapshots must have different dates")
    return Pace(
        start=first["as_of"],
        end=last["as_of"],
        months=months,
        per_month={c: float((last[c] - first[c]) / months) for c in PACE_COLUMNS},
        start_values={c: float(first[c]) for c in PACE_COLUMNS},
        end_values={c: float(last[c]) for c in PACE_COLUMNS},
    )


def needed_completions_per_month(
    extra_completers: int, courses_per_completer: float, days: int
) -> float:
    """A goal-seek plan as course completions per month, comparable with the historical pace."""
    if days <= 0:
        return float("inf")
    return extra_completers * courses_per_completer / (days / DAYS_PER_MONTH)
