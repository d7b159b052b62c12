"""The focus state's published standing: neighbours and gaps, days left, KPIs at baseline."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import Model, build_model
from scoring.standing import Neighbour, baseline_kpis, categories, standing


@pytest.fixture(scope="module")
def model() -> Model:
    return build_model(load_config(), load_dataset())


def _with_ranking(rows: list[tuple[str, str, float]]) -> Model:
    data = load_dataset()
    ranking = pd.DataFrame(rows, columns=["state", "category", "score"])
    ranking["rank"] = ranking.groupby("category")["score"].rank(ascending=False, method="min")
    return build_model(load_config(), dataclasses.replace(data, ranking=ranking))


def test_bihar_between_tamil_nadu_and_west_bengal(model: Model) -> None:
    shown = standing(model)
    assert (shown.state, shown.category, shown.score) == ("BIHAR", "C", 39.09)
    assert (shown.rank, shown.count) == (8, 9)
    assert shown.above is not None and shown.below is not None
    assert (shown.above.state, shown.above.score) == ("TAMIL NADU", 40.39)
    assert shown.above.gap == pytest.approx(40.39 - 39.09)
    assert (shown.below.state, shown.below.score) == ("WEST BENGAL", 38.06)
    assert shown.below.gap == pytest.approx(39.09 - 38.06)
    # 31 Dec 2025 to 31 Mar 2026: 31 + 28 + 31 days.
    assert (shown.as_of, shown.deadline) == (dt.date(2025, 12, 31), dt.date(2026, 3, 31))
    assert shown.days_left == 90


def test_top_and_bottom_of_a_category_have_one_neighbour() -> None:
    top = standing(_with_ranking([("BIHAR", "C", 50.0), ("X", "C", 40.0), ("Y", "A", 60.0)]))
    assert (top.rank, top.count, top.above) == (1, 2, None)
    assert top.below == Neighbour("X", 40.0, 10.0)
    bottom = standing(_with_ranking([("X", "C", 45.5), ("BIHAR", "C", 40.0), ("Z", "C", 41.0)]))
    assert (bottom.rank, bottom.count, bottom.below) == (3, 3, None)
    assert bottom.above == Neighbour("Z", 41.0, 1.0)


def test_categories_sorted(model: Model) -> None:
    assert categories(model) == ["A", "B", "C"]


def test_baseline_kpis_by_pillar_then_weight(model: Model) -> None:
    kpis = baseline_kpis(model)
    assert kpis["id"].tolist() == [
        "completer_rate",  # readiness, weight 20
        "active_rate",  # readiness, 15
        "completions_per_user",  # consumption, 20
        "hours_per_user",  # 15
        "completion_rate",  # 12
        "pass_rate",  # 8
        "mdo_active_share",  # hygiene, 10
    ]
    # The weights add up to 100, so each share is the weight in hundredths.
    assert kpis["weight_share"].tolist() == pytest.approx([0.2, 0.15, 0.2, 0.15, 0.12, 0.08, 0.1])
    active = kpis.set_index("id").loc["active_rate"]
    assert active["kind"] == "ratio"
    assert active["value"] == pytest.approx(90_110 / 13_89_815)
    assert active["subscore"] == pytest.approx(100 * 90_110 / 13_89_815)
    assert kpis.set_index("id").loc["completions_per_user", "kind"] == "target"
