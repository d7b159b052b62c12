"""Trends: dating uploaded months, the rank history, peers' own paces, Bihar's pace vs a goal."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import build_model
from scoring.errors import ScoringInputError
from scoring.goal import GoalTarget, goal_seek
from scoring.history import load_bihar_history, pace
from scoring.trends import (
    PaceStatus,
    RankingMonth,
    date_in,
    history_table,
    months_in,
    pace_goal,
    pace_series,
    peer_trends,
    read_ranking_month,
    with_month,
)

NOV = dt.date(2025, 11, 30)
DEC = dt.date(2025, 12, 31)
RANKING = pd.DataFrame({"state": ["A", "B", "C"], "category": ["C"] * 3, "score": [40.0, 41.0, 30]})


def test_a_date_is_read_from_a_file_name() -> None:
    assert date_in("ranking_2025-11-30.csv") == NOV
    # An impossible date is skipped for the next real one.
    assert date_in("from_2025-02-30_to_2025-03-01.csv") == dt.date(2025, 3, 1)
    assert date_in("ranking_november.csv") is None


def test_a_month_is_dated_by_its_column_before_its_name() -> None:
    body = b"state,category,score,as_of\nA,C,40,2025-10-31\nB,C,41,2025-10-31\n"
    month = read_ranking_month(body, "ranking_2025-11-30.csv", ["A", "B", "C"])
    assert month.as_of == dt.date(2025, 10, 31)
    assert month.ranking["score"].tolist() == [40.0, 41.0]
    undated = read_ranking_month(b"state,category,score\nA,C,40\n", "ranking.csv", ["C"])
    assert undated.as_of is None
    named = read_ranking_month(b"state,category,score\nA,C,40\n", "r_2025-11-30.csv", ["C"])
    assert named.as_of == NOV


def test_a_bad_month_names_the_file() -> None:
    with pytest.raises(ScoringInputError, match=r"bad_2025-11-30\.csv"):
        read_ranking_month(b"state,category,score\nA,C,abc\n", "bad_2025-11-30.csv", ["C"])


def test_an_upload_of_the_datas_own_month_is_left_out() -> None:
    months = with_month({}, RankingMonth(NOV, RANKING), own=DEC)
    assert list(months) == ["2025-11-30"]
    assert with_month(months, RankingMonth(DEC, RANKING), own=DEC) == months
    assert with_month(months, RankingMonth(None, RANKING), own=DEC) == months


def test_history_ranks_each_month_and_the_own_month_wins() -> None:
    december = RANKING.assign(score=[42.0, 41.0, 30.0])
    long = history_table(DEC, december, {"2025-11-30": RANKING, "2025-12-31": RANKING})
    assert months_in(long) == ["2025-11-30", "2025-12-31"]
    ranks = long.set_index(["as_of", "state"])["rank"]
    assert ranks[(NOV, "A")] == 2 and ranks[(DEC, "A")] == 1
    assert ranks[(NOV, "C")] == 3 and ranks[(DEC, "C")] == 3


def test_peer_trends_cover_every_peer() -> None:
    december = RANKING.assign(score=[41.0, 41.0, 29.0])
    long = history_table(DEC, december, {"2025-11-30": RANKING})
    trends = peer_trends(long, ["B", "A", "Z"])
    # 31 days = 31 / 30.4375 months: +1 point is 0.9819 a month.
    assert list(trends) == ["B", "A", "Z"]
    assert trends["A"] == pytest.approx(30.4375 / 31, abs=1e-6)
    assert trends["B"] == pytest.approx(0.0, abs=1e-9)
    assert trends["Z"] == 0.0  # seen in no month


@pytest.fixture(scope="module")
def rank5():  # type: ignore[no-untyped-def]
    model = build_model(load_config(), load_dataset())
    return goal_seek(model, GoalTarget(rank=5))


def test_the_goals_pace_against_the_pace_so_far(rank5) -> None:  # type: ignore[no-untyped-def]
    so_far = pace(load_bihar_history())
    goal = pace_goal(rank5, 2.0, so_far)
    assert goal.status is PaceStatus.NEEDED
    # 2,10,780 completers (the proven minimum) x 2 courses over 90 days (2.9569 months) vs
    # 61,415 a month so far.
    assert goal.needed_per_month == pytest.approx(210_780 * 2 / (90 / 30.4375), rel=1e-9)
    assert round(goal.needed_per_month or 0) == 142_569
    assert goal.ratio == pytest.approx(142_569 / 61_415.16, abs=1e-3)
    met = pace_goal(dataclasses.replace(rank5, already_met=True), 2.0, so_far)
    assert met.status is PaceStatus.ALREADY_MET and met.needed_per_month is None
    out = pace_goal(dataclasses.replace(rank5, reachable=False), 2.0, so_far)
    assert out.status is PaceStatus.UNREACHABLE


def test_pace_series_runs_to_the_deadline(rank5) -> None:  # type: ignore[no-untyped-def]
    snapshots = load_bihar_history()
    so_far = pace(snapshots)
    deadline = dt.date(2026, 3, 31)
    frame = pace_series(snapshots, so_far, deadline, pace_goal(rank5, 2.0, so_far))
    assert frame["series"].tolist() == ["actual", "actual", "trend", "trend", "needed", "needed"]
    ends = frame[frame["as_of"] == deadline].set_index("series")["completions"]
    months = 90 / 30.4375
    assert ends["trend"] == pytest.approx(931_710 + 61_415.164 * months, abs=0.01)
    assert ends["needed"] == pytest.approx(931_710 + 210_780 * 2, abs=0.01)
    assert frame["lakh"].iloc[1] == pytest.approx(9.3171)
    unreachable = pace_goal(dataclasses.replace(rank5, reachable=False), 2.0, so_far)
    only_trend = pace_series(snapshots, so_far, deadline, unreachable)
    assert set(only_trend["series"]) == {"actual", "trend"}
