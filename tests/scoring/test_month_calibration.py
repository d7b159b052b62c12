"""Calibration from the focus state's own months: synthetic editions generated from known weights
(published scores rounded to 2 decimals) give the weights back within the rounding when the
months determine them, honest ranges when they do not, and a clear message with too few."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scoring import editions as ed
from scoring.config import COLUMNS, ModelConfig
from scoring.data import COUNT_COLUMNS, Dataset
from scoring.db import Database
from scoring.engine import build_model
from scoring.errors import ScoringInputError
from scoring.month_calibration import (
    MonthPoint,
    calibrate_months,
    edition_subscores,
    fit_months,
    month_inputs,
)
from scoring.ranking import round_half_up
from tests.scoring.test_editions import ranking_bytes

TRUE = np.array([22.0, 18.0, 10.0, 20.0, 5.0, 15.0, 10.0])  # sum 100, unlike the configured
DECEMBER = dt.date(2025, 12, 31)


def _month_ends(count: int) -> list[dt.date]:
    """`count` month ends before December 2025, oldest first."""
    ends = []
    year, month = 2025, 12
    for _ in range(count):
        first = dt.date(year, month, 1)
        ends.append(first - dt.timedelta(days=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def _month_frame(december: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The December rows (the unlisted remainder too) moved by a month's own factor per column
    and some noise per row, so that each KPI moves on its own; every bound a table must keep
    (a part never above its whole) holds."""
    frame = december.copy()
    v = {c: frame[c].to_numpy(dtype=float) for c in COLUMNS}

    def factor(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high) * rng.uniform(0.9, 1.1, len(frame))

    onb = np.ceil(v["onboarded"] * factor(0.97, 1.03))  # a unit with users keeps some
    act = np.minimum(np.floor(v["active"] * factor(0.6, 1.5)), onb)
    uc = np.minimum(np.floor(v["user_completions"] * factor(0.6, 1.5)), act)
    enr = np.floor(v["enrolments"] * factor(0.7, 1.4))
    comp = np.minimum(np.floor(v["completions"] * factor(0.6, 1.5)), enr)
    att = np.floor(v["attempted"] * factor(0.7, 1.4))
    new = {
        "onboarded": onb,
        "active": act,
        "user_completions": uc,
        "enrolments": enr,
        "completions": comp,
        "hours": np.round(v["hours"] * factor(0.6, 1.5), 2),
        "attempted": att,
        "passed": np.minimum(np.floor(v["passed"] * factor(0.6, 1.4)), att),
    }
    for c in COLUMNS:
        frame[c] = new[c]
    return frame


def _model_subscores(config: ModelConfig, dataset: Dataset, frame: pd.DataFrame) -> np.ndarray:
    """The truth's sub-scores through the engine's own entry point (build_model's baseline)."""
    _, table_file, totals_file = table_files(frame)
    table = ed.prepare(departments=table_file, totals=totals_file).departments
    assert table is not None
    data = dataclasses.replace(dataset, departments=table)
    return build_model(config, data).baseline_subscores


def table_files(frame: pd.DataFrame) -> tuple[None, tuple[str, bytes], tuple[str, bytes]]:
    listed = frame[~frame["is_remainder"]]
    out = listed[["id", "department", "mdo", *COLUMNS]].copy()
    for c in COUNT_COLUMNS:
        out[c] = out[c].astype(int)
    totals = pd.DataFrame([frame[list(COLUMNS)].sum()])
    return (
        None,
        ("d.csv", out.to_csv(index=False).encode()),
        ("t.csv", totals.to_csv(index=False).encode()),
    )


def publish_months(
    database: Database,
    dataset: Dataset,
    config: ModelConfig,
    count: int,
    seed: int,
    weights: np.ndarray = TRUE,
) -> list[tuple[dt.date, float]]:
    """Publish `count` editions before the bundled December one, each with a department table
    that moved month to month and a ranking whose focus score is what `weights` give, anchored
    so that December's published 39.09 is exact, and rounded to the published 2 decimals.
    Returns every usable edition's (date, published score), oldest first."""
    rng = np.random.default_rng(seed)
    share = weights / weights.sum()
    december = build_model(config, dataset).baseline_subscores
    offset = 39.09 - float(december @ share)
    out = []
    for as_of in _month_ends(count):
        frame = _month_frame(dataset.departments.frame, rng)
        _, table, totals = table_files(frame)
        subs = _model_subscores(config, dataset, frame)
        score = float(round_half_up(offset + float(subs @ share), 2))
        ranking = ranking_bytes(dataset, {"BIHAR": score - 39.09})
        prepared = ed.prepare(ranking=("r.csv", ranking), departments=table, totals=totals)
        ed.publish(database, prepared, as_of)
        out.append((as_of, score))
    return [*out, (DECEMBER, 39.09)]


@pytest.fixture
def database(database_url: str) -> Database:
    return ed.open_editions(database_url)


def _contains(ranges: np.ndarray, weights: np.ndarray, slack: float = 1e-6) -> bool:
    return bool(np.all(ranges[:, 0] - slack <= weights) and np.all(weights <= ranges[:, 1] + slack))


def test_the_months_determine_the_weights(
    database: Database, dataset: Dataset, config: ModelConfig
) -> None:
    published = publish_months(database, dataset, config, 11, seed=7)
    fit = calibrate_months(database, config)
    assert fit.dates == tuple(d for d, _ in published) and len(fit.changes) == 11
    assert fit.published.tolist() == [s for _, s in published]
    found = fit.identification
    assert found.identified and found.reason_code == "" and found.rank == 7
    # Every change is reproduced within the rounding of two published scores (0.01).
    assert fit.max_abs_error <= 0.01 + 1e-9 and found.best_max_error <= 0.01
    assert found.tolerance == pytest.approx(found.best_max_error + 0.01, abs=1e-8)
    # The truth lies in every range and the ranges are narrow: at most 2.2 points of 100 for
    # the readiness KPIs, which move least from month to month (about 1.3 sub-score points), and
    # under 0.85 for the others. The fit is 0.08 points or less from the truth.
    assert _contains(found.ranges, TRUE)
    assert _contains(found.ranges, fit.weights)
    widths = found.ranges[:, 1] - found.ranges[:, 0]
    assert widths[:2].max() < 2.2 and widths[2:].max() < 0.85
    assert np.abs(fit.weights - TRUE).max() < 0.08
    assert fit.weights.sum() == pytest.approx(100.0)
    assert fit.as_config(config).weights[0] == pytest.approx(fit.weights[0])


def test_fewer_changes_than_kpis_is_said_and_the_ranges_hold_the_truth(
    database: Database, dataset: Dataset, config: ModelConfig
) -> None:
    publish_months(database, dataset, config, 3, seed=11)
    fit = calibrate_months(database, config)
    assert len(fit.dates) == 4 and len(fit.changes) == 3
    found = fit.identification
    assert not found.identified and found.reason_code == "fewer_changes"
    assert "3 score change(s) cannot determine 7 weights" in found.reason
    assert "at least 6 changes, that is 7 editions" in found.reason
    assert found.rank == 4 and found.best_max_error < 1e-6
    # NNLS returns one of many exact fits; the truth and that fit both lie in the ranges, which
    # are wide.
    assert _contains(found.ranges, TRUE) and _contains(found.ranges, fit.weights)
    assert (found.ranges[:, 1] - found.ranges[:, 0]).max() > 20


def test_one_edition_is_not_enough(database: Database, config: ModelConfig) -> None:
    # The bundled December edition alone; a ranking without a department table does not count.
    only_ranking = ed.prepare(ranking=("r.csv", ranking_bytes_of(database)))
    ed.publish(database, only_ranking, "2025-11-30")
    inputs = month_inputs(database, config)
    assert inputs.dates == (DECEMBER,)
    with pytest.raises(
        ScoringInputError,
        match="needs 2 or more editions with both a ranking and a department table; "
        "there is 1: 2025-12-31",
    ):
        calibrate_months(database, config)


def ranking_bytes_of(database: Database) -> bytes:
    _, ranking = ed.rankings_in_force(database)[-1]
    return ranking[["state", "category", "score"]].to_csv(index=False).encode()


def test_no_edition_is_not_enough(config: ModelConfig) -> None:
    with pytest.raises(ScoringInputError, match="there are none"):
        fit_months([], config)


def test_a_ranking_without_the_focus_state_is_named(
    database: Database, dataset: Dataset, config: ModelConfig
) -> None:
    _, table, totals = table_files(dataset.departments.frame)
    others = dataset.ranking[dataset.ranking["state"] != "BIHAR"][["state", "category", "score"]]
    prepared = ed.prepare(
        ranking=("r.csv", others.to_csv(index=False).encode()), departments=table, totals=totals
    )
    ed.publish(database, prepared, "2025-11-30")
    inputs = month_inputs(database, config)
    assert inputs.dates == (DECEMBER,) and inputs.without_focus == (dt.date(2025, 11, 30),)
    with pytest.raises(ScoringInputError, match="missing from the ranking of 2025-11-30"):
        calibrate_months(database, config)


def test_sub_scores_are_the_models_own(dataset: Dataset, config: ModelConfig) -> None:
    expected = build_model(config, dataset).baseline_subscores
    assert np.array_equal(edition_subscores(config, dataset.departments), expected)


def test_a_kpi_alone_moving_pins_its_weight_through_the_total(config: ModelConfig) -> None:
    # Hand-computed: only the first KPI moves, by 10 sub-score points, and the score by 1.5, so
    # its share of the weights is 1.5 / 10 = 0.15 (15 of 100), give or take the rounding of a
    # change (0.01 points): 14.9 to 15.1. The other six share the remaining 85 in any way.
    base = np.full(7, 40.0)
    moved = base.copy()
    moved[0] += 10.0
    points = [
        MonthPoint(dt.date(2025, 11, 30), 39.09, base),
        MonthPoint(dt.date(2025, 12, 31), 40.59, moved),
    ]
    fit = fit_months(points, config)
    assert fit.weights[0] == pytest.approx(15.0, abs=1e-3)
    assert fit.changes["published"].tolist() == pytest.approx([1.5])
    found = fit.identification
    assert not found.identified and found.reason_code == "fewer_changes"
    assert found.zero == tuple(k.id for k in config.kpis[1:])
    assert found.ranges[0] == pytest.approx([14.9, 15.1], abs=1e-6)
    assert found.ranges[1:, 0] == pytest.approx([0.0] * 6, abs=1e-6)
    assert found.ranges[1:, 1] == pytest.approx([85.1] * 6, abs=1e-6)


def test_the_weights_keep_the_configured_total(config: ModelConfig) -> None:
    # Weights summing to 50 instead of 100: the fit's shares are the same, in the unit of 50.
    half = config.with_weights({k.id: k.weight / 2 for k in config.kpis})
    rng = np.random.default_rng(3)
    subs = rng.uniform(10, 60, size=(9, 7))
    scores = round_half_up(20 + subs @ (TRUE / TRUE.sum()), 2)
    points = [
        MonthPoint(d, float(s), row) for d, s, row in zip(_month_ends(9), scores, subs, strict=True)
    ]
    full = fit_months(points, config)
    halved = fit_months(points, half)
    assert halved.weights.sum() == pytest.approx(50.0)
    assert np.allclose(halved.weights * 2, full.weights, atol=1e-6)
    assert np.allclose(halved.identification.ranges * 2, full.identification.ranges, atol=1e-6)
    assert _contains(full.identification.ranges, TRUE)
    assert full.changes["configured"].tolist() == pytest.approx(
        (np.diff(subs, axis=0) @ (np.array(config.weights) / 100)).tolist()
    )
