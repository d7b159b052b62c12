"""History: several months of rankings, rank over time, and Bihar's own pace since October 2024;
from the published editions, rank, score and KPIs month by month and the pace against the goal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.aggregate import composite
from scoring.config import ModelConfig
from scoring.data import DATA_DIR, parse_number, raise_problems, read_table
from scoring.db import Database
from scoring.drift import DAYS_PER_MONTH, months_between
from scoring.editions import rankings_in_force, tables_in_force
from scoring.errors import ScoringInputError
from scoring.kpis import kpi_values
from scoring.limits import MAX_HISTORY_FILES, check_date
from scoring.ranking import rank_within_category
from scoring.subscores import subscores

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


# -- from the published editions ----------------------------------------------------------------


def rank_history(database: Database) -> pd.DataFrame:
    """Every state's score and rank (recomputed within its category) for each ranking in force:
    as_of, state, category, score, rank."""
    return combine_months(rankings_in_force(database))


def focus_history(database: Database, config: ModelConfig) -> pd.DataFrame:
    """The focus state's published score and rank month by month: as_of, category, score,
    rank, and the change in score and rank since the previous ranking."""
    history = rank_history(database)
    focus = config.focus_state.upper()
    frame = history[history["state"] == focus][["as_of", "category", "score", "rank"]]
    frame = frame.sort_values("as_of").reset_index(drop=True)
    frame["score_change"] = frame["score"].diff().round(2)
    frame["rank_change"] = -frame["rank"].diff()  # up the table is positive
    return frame


def kpis_by_month(database: Database, config: ModelConfig) -> pd.DataFrame:
    """The focus state's KPIs from each department table in force: as_of, each KPI's raw value
    (`<id>`) and sub-score (`<id>_subscore`), the model's composite, and the totals of
    onboarded, active and completers."""
    weights = np.array(config.weights, dtype=float)
    records = []
    for as_of, table in tables_in_force(database):
        raw = kpi_values(table.values[None], table.is_remainder, config.kpis)
        subs = subscores(raw, config.kpis)
        totals = table.totals()
        record: dict[str, object] = {"as_of": as_of}
        for k, spec in enumerate(config.kpis):
            record[spec.id] = float(raw[0, k])
            record[f"{spec.id}_subscore"] = float(subs[0, k])
        record["composite"] = float(composite(subs, weights)[0])
        for column in ("onboarded", "active", "user_completions", "completions"):
            record[column] = float(totals[column])
        records.append(record)
    return pd.DataFrame(records)


@dataclass(frozen=True)
class EditionPace:
    """Completers a day so far (between the first and the latest department table) against
    the run-rate a goal needs from the latest table's date to the deadline."""

    start: dt.date | None  # None with a single department table: no pace yet
    end: dt.date
    completers_start: float | None
    completers_end: float
    per_day_so_far: float | None
    deadline: dt.date
    days_left: int
    extra_completers: int
    needed_per_day: float

    @property
    def on_track(self) -> bool | None:
        if self.per_day_so_far is None:
            return None
        return self.per_day_so_far >= self.needed_per_day


def edition_pace(database: Database, extra_completers: int, deadline: dt.date) -> EditionPace:
    """`extra_completers` is what the goal needs (a goal seek from the latest edition)."""
    tables = tables_in_force(database)
    if not tables:
        raise ScoringInputError("no department table is published")
    end, last = tables[-1]
    completers_end = float(last.totals()["user_completions"])
    start = completers_start = per_day = None
    if len(tables) >= 2:
        start, first = tables[0]
        completers_start = float(first.totals()["user_completions"])
        per_day = (completers_end - completers_start) / max((end - start).days, 1)
    days_left = (deadline - end).days
    if days_left <= 0:
        raise ScoringInputError(
            f"the deadline {deadline.isoformat()} is not after the latest department table "
            f"({end.isoformat()})"
        )
    return EditionPace(
        start=start,
        end=end,
        completers_start=completers_start,
        completers_end=completers_end,
        per_day_so_far=per_day,
        deadline=deadline,
        days_left=days_left,
        extra_completers=int(extra_completers),
        needed_per_day=int(extra_completers) / days_left,
    )
