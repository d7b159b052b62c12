"""History from the editions: rank and score month by month, KPIs month by month, the pace
against the goal, and peers' real movement as the default drift."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring import editions as ed
from scoring.config import ModelConfig
from scoring.data import Dataset
from scoring.db import Database
from scoring.drift import default_peer_drift, real_movement, with_peer_drift
from scoring.engine import Model
from scoring.history import edition_pace, focus_history, kpis_by_month, rank_history
from scoring.nowcast import anchored_model
from tests.scoring.test_editions import JAN, grown_table, ranking_bytes


@pytest.fixture
def database(database_url: str) -> Database:
    return ed.open_editions(database_url)


@pytest.fixture
def two_months(database: Database, dataset: Dataset, config: ModelConfig) -> Database:
    table, totals, _ = grown_table(dataset, config)
    ranking = ranking_bytes(dataset, {"KERALA": 1.0, "TAMIL NADU": -0.5, "BIHAR": 2.0})
    prepared = ed.prepare(
        ranking=("r.csv", ranking), departments=("d.csv", table), totals=("t.csv", totals)
    )
    ed.publish(database, prepared, JAN)
    return database


def test_rank_and_score_month_by_month(two_months: Database, config: ModelConfig) -> None:
    focus = focus_history(two_months, config)
    assert [d.isoformat() for d in focus["as_of"]] == ["2025-12-31", JAN]
    assert focus["score"].tolist() == [39.09, 41.09] and focus["rank"].tolist() == [8, 7]
    assert focus["score_change"].tolist()[1] == 2.0 and focus["rank_change"].tolist()[1] == 1
    everyone = rank_history(two_months)
    assert len(everyone) == 72 and set(everyone["as_of"]) == {
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
    }


def test_kpis_month_by_month(two_months: Database, config: ModelConfig) -> None:
    kpis = kpis_by_month(two_months, config)
    assert kpis["user_completions"].tolist() == [78_215, 133_215]
    assert kpis["active"].tolist() == [90_110, 145_110]
    first, second = kpis.iloc[0], kpis.iloc[1]
    active_id = config.kpis[0].id
    assert first[active_id] == pytest.approx(90_110 / 1_389_815)
    assert second[active_id] == pytest.approx(145_110 / 1_389_815)
    # The composite's change is the nowcast's change: 42.44 - 39.09.
    assert second["composite"] - first["composite"] == pytest.approx(3.35, abs=0.006)


def test_pace_against_the_goal(
    two_months: Database, database: Database, config: ModelConfig
) -> None:
    pace = edition_pace(two_months, 161_046, config.deadline)
    assert (pace.start, pace.end) == (dt.date(2025, 12, 31), dt.date(2026, 1, 31))
    assert pace.per_day_so_far == pytest.approx(55_000 / 31)  # 1,774 completers a day
    assert pace.days_left == 59 and pace.needed_per_day == pytest.approx(161_046 / 59)  # 2,730
    assert pace.on_track is False
    assert edition_pace(two_months, 50_000, config.deadline).on_track is True


def test_pace_with_one_table_has_no_history_yet(database: Database, config: ModelConfig) -> None:
    pace = edition_pace(database, 216_153, config.deadline)
    assert pace.per_day_so_far is None and pace.on_track is None
    assert pace.days_left == 90 and pace.needed_per_day == pytest.approx(2_401.7, abs=0.1)
    with pytest.raises(Exception, match="is not after the latest department table"):
        edition_pace(database, 1, dt.date(2025, 12, 1))


def test_peers_real_movement_is_the_default_drift(
    two_months: Database, database: Database, config: ModelConfig, model: Model
) -> None:
    drift = default_peer_drift(two_months, model)
    assert drift is not None and set(drift) == set(model.others["state"])  # BIHAR is not a peer
    month = 31 / (365.25 / 12)
    assert drift["KERALA"] == pytest.approx(1.0 / month, abs=1e-4)  # 0.9819 points a month
    assert drift["TAMIL NADU"] == pytest.approx(-0.5 / month, abs=1e-4)
    assert drift["WEST BENGAL"] == 0.0
    nowcast = anchored_model(config, ed.edition_data(two_months)).model
    # From the ranking's date (31 Jan) to the deadline: 59 days of movement.
    moved = with_peer_drift(nowcast, drift)
    assert nowcast.ranking_as_of == dt.date(2026, 1, 31)
    kerala = moved.others.set_index("state").loc["KERALA", "score"]
    assert kerala == pytest.approx(round(49.74 + drift["KERALA"] * 59 / (365.25 / 12), 2))


def test_one_ranking_keeps_the_guessed_drift(database: Database, model: Model) -> None:
    assert default_peer_drift(database, model) is None
    assert real_movement([]) is None
