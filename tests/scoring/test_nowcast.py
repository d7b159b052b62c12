"""Nowcast: a department table newer than the ranking moves the starting point, labelled with
both dates; simulate and goal seek start there, and the published position stays."""

from __future__ import annotations

import numpy as np
import pytest

from scoring import editions as ed
from scoring.config import ModelConfig
from scoring.data import Dataset
from scoring.db import Database, sqlite_url
from scoring.engine import Model, build_model, score_weight_batch, simulate, simulate_additions
from scoring.goal import GoalTarget, goal_seek
from scoring.nowcast import anchored_model
from scoring.ranking import round_half_up
from scoring.scenario import Scenario, ScenarioAdditions
from tests.scoring.test_editions import JAN, grown_table


@pytest.fixture(scope="module")
def january(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset, config: ModelConfig):  # type: ignore[no-untyped-def]
    """December as published plus a department table of 31 Jan 2026 with 55,000 more
    completers (the issue's example)."""
    database = ed.open_editions(sqlite_url(tmp_path_factory.mktemp("now") / "igot.sqlite"))
    table, totals, added = grown_table(dataset, config)
    prepared = ed.prepare(departments=("jan.csv", table), totals=("totals.csv", totals))
    ed.publish(database, prepared, JAN)
    return database, added


def test_the_55000_example(
    january: tuple[Database, np.ndarray], config: ModelConfig, dataset: Dataset
) -> None:
    database, added = january
    anchored = anchored_model(config, ed.edition_data(database))
    now = anchored.nowcast
    assert now is not None
    assert (now.score, now.rank, now.published_score, now.published_rank) == (42.44, 7, 39.09, 8)
    assert (
        now.ranking_as_of.isoformat() == "2025-12-31" and now.departments_as_of.isoformat() == JAN
    )
    assert anchored.dates() == {
        "ranking_as_of": "2025-12-31",
        "departments_as_of": JAN,
        "nowcast": {"score": 42.44, "rank": 7},
    }
    # By definition: published + model(new table) - model(table of the ranking's date), each
    # table scored on its own.
    plain_new = build_model(config, ed.edition_data(database).dataset)
    plain_old = build_model(config, dataset)
    expected = round_half_up(39.09 + plain_new.baseline_composite - plain_old.baseline_composite, 2)
    assert now.score == float(expected)
    # And the same as simulating those 55,000 completers on December's table.
    grow = build_model(config.with_assumptions(from_inactive=1.0), dataset)
    additions = ScenarioAdditions(added=added, outcomes=())
    assert simulate_additions(grow, additions).score == now.score


def test_simulate_starts_from_the_nowcast_and_shows_the_published(
    january: tuple[Database, np.ndarray], config: ModelConfig
) -> None:
    model = anchored_model(config, ed.edition_data(january[0])).model
    result = simulate(model, Scenario())
    assert (result.baseline_score, result.baseline_rank) == (39.09, 8)  # the published position
    assert (result.score, result.rank, result.extra_completers) == (42.44, 7, 0)
    # The KPI table explains the move from the published score: contributions add up to it.
    total = sum(k.contribution for k in result.kpis)
    assert 39.09 + total == pytest.approx(42.44, abs=0.005)


def test_goal_seek_from_the_nowcast_gets_cheaper_when_completers_grew(
    january: tuple[Database, np.ndarray], config: ModelConfig, model: Model
) -> None:
    data = ed.edition_data(january[0])
    nowcast = anchored_model(config, data).model
    december = goal_seek(model, GoalTarget(rank=5))
    from_nowcast = goal_seek(nowcast, GoalTarget(rank=5))
    # What the issue saw: the newer table as "today" with December's score as the anchor.
    misleading = goal_seek(build_model(config, data.dataset), GoalTarget(rank=5))
    assert december.extra_completers == 210_780  # proven minimal
    assert from_nowcast.extra_completers == 157_484 < december.extra_completers
    assert misleading.extra_completers == 214_988 > december.extra_completers
    assert from_nowcast.score >= 53.04 and from_nowcast.rank == 5
    assert (from_nowcast.days, from_nowcast.until.isoformat()) == (59, "2026-03-31")
    # Passing Tamil Nadu (40.40) is already done by the nowcast's 42.44.
    beat = goal_seek(nowcast, GoalTarget(beat="Tamil Nadu"))
    assert beat.already_met and beat.extra_completers == 0


def test_any_weights_count_the_growth_with_those_weights(
    january: tuple[Database, np.ndarray], config: ModelConfig, dataset: Dataset
) -> None:
    data = ed.edition_data(january[0])
    nowcast = anchored_model(config, data).model
    old = build_model(config, dataset)
    new = build_model(config, data.dataset)
    weights = np.random.default_rng(3).dirichlet(np.ones(len(config.kpis)), 50) * 100
    got = score_weight_batch(nowcast, np.zeros((1, len(nowcast.base_rows))), weights)[0]
    gain = (new.baseline_subscores - old.baseline_subscores) @ weights.T / weights.sum(axis=1)
    np.testing.assert_allclose(got, np.clip(39.09 + gain, 0, 100), atol=1e-9)


def test_no_newer_table_no_nowcast(config: ModelConfig, tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = ed.open_editions(sqlite_url(tmp_path / "igot.sqlite"))
    anchored = anchored_model(config, ed.edition_data(database))
    assert anchored.nowcast is None and anchored.warnings == ()
    assert anchored.dates() == {"ranking_as_of": "2025-12-31", "departments_as_of": "2025-12-31"}
    assert simulate(anchored.model, Scenario()).score == 39.09
