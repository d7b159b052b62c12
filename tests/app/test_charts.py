"""The charts that redraw on every lever or weight change are cached Altair templates filled per
call: the filled spec must be valid Vega-Lite, carry this call's rows, order and axis, and filling
must never change the cached template."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from app_ui.charts import (
    TABLE,
    contribution_chart,
    nice_ceiling,
    ranking_chart,
    weight_share_chart,
)

RANKING = pd.DataFrame(
    {
        "state": ["TAMIL NADU", "BIHAR", "WEST BENGAL"],
        "published_score": [40.39, 39.09, 38.06],
        "score": [40.39, 39.50, 38.06],
        "rank": [1, 2, 3],
    }
)
KPIS = pd.DataFrame(
    {
        "kpi": ["Completions per user", "Active users / onboarded", "पास दर"],
        "pillar": ["Consumption", "Readiness", "Quality"],
        "contribution": [0.72, -0.10, 0.0],
        "share": [0.5, 0.3, 0.2],
    }
)


def _charts() -> list[tuple[str, object]]:
    return [
        (
            "ranking, before and after",
            ranking_chart(
                RANKING,
                "BIHAR",
                title="Category C",
                score_title="Score",
                focus_label="BIHAR",
                published_label="Published",
                simulated_label="Simulated",
            ),
        ),
        ("ranking, one series", ranking_chart(RANKING, "BIHAR", title="T", score_title="S")),
        (
            "contribution",
            contribution_chart(
                KPIS, title="What moved", value_title="Points", kpi_title="KPI", pillar_title="P"
            ),
        ),
        (
            "weight share",
            weight_share_chart(
                KPIS, title="Weights", value_title="%", kpi_title="KPI", pillar_title="P"
            ),
        ),
    ]


@pytest.mark.parametrize(("name", "chart"), _charts(), ids=[n for n, _ in _charts()])
def test_filled_template_is_valid_vega_lite(name: str, chart: object) -> None:
    spec = chart.to_dict()  # type: ignore[attr-defined]
    alt.LayerChart.from_dict(spec, validate=True)  # raises on anything the schema refuses
    assert "\x00" not in repr(spec), "a placeholder was left unfilled"
    assert spec["data"] == {"name": TABLE}


def test_ranking_fill_carries_order_axis_and_rows() -> None:
    spec = ranking_chart(
        RANKING, "BIHAR", title="T", score_title="S", published_label="P", simulated_label="N"
    ).to_dict()
    y = spec["layer"][0]["encoding"]["y"]
    assert y["sort"] == {"field": "position", "op": "min"}
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 100.0]
    rows = spec["datasets"][TABLE]
    order = sorted({(r["position"], r["label"]) for r in rows})
    assert [label for _, label in order] == ["1. TAMIL NADU", "2. BIHAR", "3. WEST BENGAL"]
    assert [r["value_text"] for r in rows if r["order"] == 1] == ["40.39", "39.50", "38.06"]
    assert [r["series"] for r in rows if r["state"] == "BIHAR"] == ["P", "BIHAR"]


def test_contribution_axis_covers_negative_values() -> None:
    spec = contribution_chart(
        KPIS, title="T", value_title="V", kpi_title="K", pillar_title="P"
    ).to_dict()
    low, high = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    # span 0.82: label room 0.72 + 0.205 = 0.925 -> 1.0; left 0.10 + 0.041 = 0.141 -> 0.15
    assert (low, high) == (pytest.approx(-0.15), pytest.approx(1.0))
    assert [r["text"] for r in spec["datasets"][TABLE]] == ["+0.72", "-0.10", "0.00"]
    assert [r["position"] for r in spec["datasets"][TABLE]] == [0, 1, 2]


@pytest.mark.parametrize(
    ("value", "end"),
    [(1.0, 1.0), (1.01, 1.2), (0.925, 1.0), (0.141, 0.15), (7.3, 8.0), (81.0, 100.0), (2.5, 2.5)],
)
def test_axis_ends_move_in_coarse_steps(value: float, end: float) -> None:
    assert nice_ceiling(value) == pytest.approx(end)


def test_the_spec_stays_the_same_when_only_the_figures_move() -> None:
    """So the browser swaps data instead of building a new chart on most lever changes."""
    first = ranking_chart(RANKING, "BIHAR", title="T", score_title="S").to_dict()
    moved = RANKING.assign(score=[40.39, 40.50, 38.06], rank=[2, 1, 3]).sort_values("rank")
    second = ranking_chart(moved, "BIHAR", title="T", score_title="S").to_dict()
    assert first.pop("datasets") != second.pop("datasets")
    assert first == second
    small = contribution_chart(
        KPIS.assign(contribution=[0.70, 0.1, 0.0]),
        title="T",
        value_title="V",
        kpi_title="K",
        pillar_title="P",
    ).to_dict()
    larger = contribution_chart(
        KPIS.assign(contribution=[0.74, 0.1, 0.0]),
        title="T",
        value_title="V",
        kpi_title="K",
        pillar_title="P",
    ).to_dict()
    small.pop("datasets"), larger.pop("datasets")
    assert small == larger


def test_filling_never_changes_the_cached_template() -> None:
    first = ranking_chart(RANKING, "BIHAR", title="Same", score_title="S")
    before = first.to_dict()
    moved = RANKING.assign(score=[90.0, 95.0, 10.0], rank=[2, 1, 3]).sort_values("rank")
    second = ranking_chart(moved, "BIHAR", title="Same", score_title="S").to_dict()
    assert second["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, pytest.approx(95.0 * 1.08)]
    second["layer"][0]["encoding"]["x"]["scale"]["domain"].append("tampered")
    second["layer"][0]["encoding"]["y"]["sort"]["field"] = "tampered"
    assert first.to_dict() == before


def test_empty_frames_still_draw() -> None:
    empty = KPIS.iloc[0:0]
    spec = contribution_chart(empty, title="T", value_title="V", kpi_title="K", pillar_title="P")
    assert spec.to_dict()["datasets"][TABLE] == []
    shares = weight_share_chart(empty, title="T", value_title="V", kpi_title="K", pillar_title="P")
    assert shares.to_dict()["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 1.2]
