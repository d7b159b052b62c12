"""Months over time: dating uploaded rankings, the rank history, peers' own trends, and Bihar's
completion pace against the pace a goal needs (the series the Sensitivity page draws)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from scoring.data import parse_ranking, read_table
from scoring.drift import months_between, trend_per_month
from scoring.goal import GoalResult
from scoring.history import Pace, combine_months, needed_completions_per_month

LAKH = 100_000
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date_in(text: str) -> dt.date | None:
    """The first valid ISO date (2025-11-30) written in a text such as a file name; None if none."""
    for found in ISO_DATE.finditer(text):
        try:
            return dt.date(*map(int, found.groups()))
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class RankingMonth:
    """One uploaded month's validated ranking; `as_of` is None when neither the table nor the file
    name says which date it is."""

    as_of: dt.date | None
    ranking: pd.DataFrame


def read_ranking_month(content: bytes, name: str, categories: Iterable[str]) -> RankingMonth:
    """A month's ranking file, validated (ScoringInputError naming the file and rows), dated by its
    single `as_of` value if it has one, else by the date in its file name."""
    frame = read_table(content, name)
    as_of = date_in(name)
    if "as_of" in frame.columns and frame["as_of"].nunique() == 1:
        as_of = date_in(str(frame["as_of"].iloc[0])) or as_of
    return RankingMonth(as_of, parse_ranking(frame, name, list(categories)))


def with_month(
    months: Mapping[str, pd.DataFrame], month: RankingMonth, own: dt.date
) -> dict[str, pd.DataFrame]:
    """The uploaded months ({ISO date: ranking}) with one more; a month dated like the data's own
    ranking (`own`) is left out: the data's own table is that month."""
    out = dict(months)
    if month.as_of is not None and month.as_of != own:
        out[month.as_of.isoformat()] = month.ranking
    return out


def history_table(
    as_of: dt.date, ranking: pd.DataFrame, earlier: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """The data's own ranking and the uploaded months ({ISO date: ranking}) as one long table
    (as_of, state, category, score, rank); the data's own month wins over an upload of that date."""
    months = {dt.date.fromisoformat(iso): frame for iso, frame in earlier.items()}
    months[as_of] = ranking
    return combine_months(sorted(months.items(), key=lambda item: item[0]))


def months_in(history: pd.DataFrame) -> list[str]:
    """The ISO dates a history table covers, oldest first."""
    return sorted({d.isoformat() for d in history["as_of"]})


def peer_trends(history: pd.DataFrame, states: Iterable[str]) -> dict[str, float]:
    """Each of `states`' own pace in points per month over the months loaded (0 for a state seen in
    one month only), in the order given: a drift for every peer."""
    slopes = trend_per_month(history)
    return {state: slopes.get(state, 0.0) for state in states}


class PaceStatus(StrEnum):
    UNREACHABLE = "unreachable"
    ALREADY_MET = "already_met"
    NEEDED = "needed"


@dataclass(frozen=True)
class PaceGoal:
    """A goal-seek plan as a pace of course completions a month, beside the pace so far."""

    status: PaceStatus
    needed_per_month: float | None = None  # course completions a month from now to the deadline
    ratio: float | None = None  # needed / the pace so far


def pace_goal(goal: GoalResult, courses_per_completer: float, so_far: Pace) -> PaceGoal:
    if not goal.reachable:
        return PaceGoal(PaceStatus.UNREACHABLE)
    if goal.already_met:
        return PaceGoal(PaceStatus.ALREADY_MET)
    needed = needed_completions_per_month(goal.extra_completers, courses_per_completer, goal.days)
    per_month = so_far.per_month["completions"]
    ratio = needed / per_month if per_month > 0 else float("inf")
    return PaceGoal(PaceStatus.NEEDED, needed, ratio)


def pace_series(
    snapshots: pd.DataFrame, so_far: Pace, deadline: dt.date, goal: PaceGoal
) -> pd.DataFrame:
    """Course completions to draw: the snapshots ("actual"), the pace so far carried to the
    deadline ("trend"), and the pace the goal needs ("needed", when it needs one); columns as_of,
    completions, lakh, series."""
    end = so_far.end_values["completions"]
    horizon = months_between(so_far.end, deadline)
    rows = [
        {"as_of": d, "completions": float(c), "series": "actual"}
        for d, c in zip(snapshots["as_of"], snapshots["completions"], strict=True)
    ]
    paces = {"trend": so_far.per_month["completions"]}
    if goal.status is PaceStatus.NEEDED and goal.needed_per_month is not None:
        paces["needed"] = goal.needed_per_month
    for series, per_month in paces.items():
        rows.append({"as_of": so_far.end, "completions": end, "series": series})
        rows.append({"as_of": deadline, "completions": end + per_month * horizon, "series": series})
    frame = pd.DataFrame(rows)
    frame["lakh"] = frame["completions"] / LAKH
    return frame
