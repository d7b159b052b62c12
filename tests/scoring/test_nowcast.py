"""Nowcast: a department table newer than the ranking moves the starting point, labelled with
both dates; simulate and goal seek start there, and the published position stays."""

from __future__ import annotations

import numpy as np
import pytest

from scoring import editions as ed
from scoring import milp
from scoring.chance import Prior, sample_for
from scoring.config import KpiSpec, ModelConfig, parse_config
from scoring.data import Dataset
from scoring.db import Database, sqlite_url
from scoring.drift import drift_months, with_peer_drift
from scoring.engine import Model, build_model, score_weight_batch, simulate, simulate_additions
from scoring.goal import GoalTarget, goal_seek
from scoring.kpis import KpiPlan
from scoring.nowcast import anchored_model
from scoring.ranking import round_half_up
from scoring.scenario import Scenario, ScenarioAdditions
from scoring.sensitivity import draw_weights, rank_distribution
from scoring.subscores import subscores
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


# -- the model file's variants and sampled weightings stand on the same anchor ------------------


def _shape_config(config: ModelConfig, kpis: tuple[KpiSpec, ...]) -> ModelConfig:
    """The model file with a variant's KPIs as its own: scored plainly, the brute-force check."""
    data = config.model_dump(mode="json")
    data.update(kpis=[k.model_dump(mode="json") for k in kpis], variants=[])
    return parse_config(data)


def _expected_start(
    config: ModelConfig, kpis: tuple[KpiSpec, ...], old: Dataset, new: Dataset, weights: np.ndarray
) -> np.ndarray:
    """published + shape(new table) - shape(table at the ranking's date), under each weighting
    (W, K), each table scored on its own by a plain model of that shape and weighting."""
    shaped = _shape_config(config, kpis)
    out = []
    for w in weights:
        weighted = shaped.with_weights({k.id: float(x) * 100 for k, x in zip(kpis, w, strict=True)})
        gain = (
            build_model(weighted, new).baseline_composite
            - build_model(weighted, old).baseline_composite
        )
        out.append(39.09 + gain)
    return round_half_up(np.clip(np.array(out), 0, 100), 2)


def test_every_variant_starts_from_the_nowcast(
    january: tuple[Database, np.ndarray], config: ModelConfig, dataset: Dataset
) -> None:
    data = ed.edition_data(january[0])
    nowcast = anchored_model(config, data).model
    sample = sample_for(nowcast, Prior(draws=600, seed=5))
    start = sample.scores(nowcast, np.zeros(len(nowcast.base_rows)))[0]
    assert len(config.variants) == 2 and all(group.size for group in sample.groups)
    for s, (kpis, group) in enumerate(zip(sample.kpis, sample.groups, strict=True)):
        picked = group[:6]  # six weightings of each shape, checked against plain models
        expected = _expected_start(config, kpis, dataset, data.dataset, sample.weights[picked])
        np.testing.assert_array_equal(start[picked], expected, err_msg=f"shape {s}")
        # The anchor each shape measures gains from is the table of the ranking's date.
        old = build_model(_shape_config(config, kpis), dataset).baseline_subscores
        np.testing.assert_allclose(nowcast.anchor_subscores(kpis), old, atol=1e-12)
        form = milp.formulation(nowcast, np.zeros(len(nowcast.base_rows)), sample.kpis)
        np.testing.assert_allclose(form.shapes[s].baseline_subscores, old, atol=1e-12)
    # What it means on screen: the nowcast's 42.44 is rank 7 under the configured model, and
    # the variants see the same growth (not a start at the published 39.09, rank 8).
    assert (start[sample.groups[1]] > 40.39).mean() > 0.9
    assert (start[sample.groups[2]] > 40.39).mean() > 0.9


def test_without_a_newer_table_every_variant_starts_at_the_published_score(
    config: ModelConfig, model: Model
) -> None:
    sample = sample_for(model, Prior(draws=600, seed=5))
    start = sample.scores(model, np.zeros(len(model.base_rows)))[0]
    assert set(start.tolist()) == {39.09}
    for kpis in sample.kpis:
        rows = model.apply(np.zeros((1, len(model.base_rows))))
        plain = subscores(KpiPlan.build(kpis, model.is_remainder).values(rows), kpis)[0]
        np.testing.assert_array_equal(model.anchor_subscores(kpis), plain)


def test_sampled_weightings_count_the_growth_with_those_weights(
    january: tuple[Database, np.ndarray], config: ModelConfig, dataset: Dataset
) -> None:
    """The Sensitivity page's Monte Carlo: each sampled weighting starts from
    published + model_w(new) - model_w(old), with model_w a plain model of that weighting."""
    data = ed.edition_data(january[0])
    nowcast = anchored_model(config, data).model
    weights = draw_weights(nowcast.weights, 8, 30.0, 11)
    zero = np.zeros(len(nowcast.base_rows))
    got = rank_distribution(nowcast, zero, weights)
    scores = round_half_up(score_weight_batch(nowcast, zero[None], weights)[0], 2)
    expected = _expected_start(config, config.kpis, dataset, data.dataset, weights)
    np.testing.assert_array_equal(scores, expected)
    np.testing.assert_array_equal(
        got.scenario_scores, score_weight_batch(nowcast, zero[None], weights)[0]
    )


def test_peers_drift_from_the_rankings_date_under_a_nowcast(
    january: tuple[Database, np.ndarray], config: ModelConfig
) -> None:
    """The peers' scores are December's: they drift 90 days to 31 March, not the 59 from the
    January department table."""
    nowcast = anchored_model(config, ed.edition_data(january[0])).model
    assert (nowcast.ranking_as_of.isoformat(), nowcast.data.as_of.isoformat()) == (
        "2025-12-31",
        JAN,
    )
    assert drift_months(nowcast) == pytest.approx(90 / (365.25 / 12))
    moved = with_peer_drift(nowcast, 0.5).others.set_index("state")["score"]
    assert moved["TAMIL NADU"] == round(40.39 + 0.5 * 90 / (365.25 / 12), 2) == 41.87
