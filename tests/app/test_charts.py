"""The charts that redraw on every lever or weight change are cached Altair templates filled per
call: the filled spec must be valid Vega-Lite, carry this call's rows, order and axis, and filling
must never change the cached template."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest
from streamlit import dataframe_util

from app_ui.charts import (
    FOCUS_COLOUR,
    PILLAR_COLOURS,
    TABLE,
    contribution_chart,
    ranking_chart,
    weight_share_chart,
)
from app_ui.presenter import arrow_datasets

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
    rows = spec["datasets"][TABLE]
    assert {(r["x_low"], r["x_high"]) for r in rows} == {(0.0, 100.0)}
    order = sorted({(r["position"], r["label"]) for r in rows})
    assert [label for _, label in order] == ["1. TAMIL NADU", "2. BIHAR", "3. WEST BENGAL"]
    assert [r["value_text"] for r in rows if r["order"] == 1] == ["40.39", "39.50", "38.06"]
    assert [r["series"] for r in rows if r["state"] == "BIHAR"] == ["P", "BIHAR"]


def test_contribution_axis_covers_negative_values() -> None:
    spec = contribution_chart(
        KPIS, title="T", value_title="V", kpi_title="K", pillar_title="P"
    ).to_dict()
    rows = spec["datasets"][TABLE]
    span = 0.72 + 0.10  # room right of the longest bar for its label, a little left of zero
    assert [(r["x_low"], r["x_high"]) for r in rows] == [
        (pytest.approx(-0.10 - 0.05 * span), pytest.approx(0.72 + 0.25 * span))
    ] * 3
    assert [r["text"] for r in rows] == ["+0.72", "-0.10", "0.00"]
    assert [r["position"] for r in rows] == [0, 1, 2]


def test_the_spec_stays_the_same_when_only_the_figures_move() -> None:
    """So the browser swaps data instead of building a new chart on most lever changes."""
    first = ranking_chart(RANKING, "BIHAR", title="T", score_title="S").to_dict()
    moved = RANKING.assign(score=[40.39, 40.50, 38.06], rank=[2, 1, 3]).sort_values("rank")
    second = ranking_chart(moved, "BIHAR", title="T", score_title="S").to_dict()
    assert first.pop("datasets") != second.pop("datasets")
    assert first == second
    small = contribution_chart(
        KPIS.assign(contribution=[0.10, 0.1, 0.0]),
        title="T",
        value_title="V",
        kpi_title="K",
        pillar_title="P",
    ).to_dict()
    larger = contribution_chart(
        KPIS.assign(contribution=[0.90, -0.3, 0.0]),
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
    assert second["datasets"][TABLE][0]["x_high"] == pytest.approx(95.0 * 1.08)
    second["datasets"][TABLE][0]["x_high"] = "tampered"
    second["layer"][0]["encoding"]["y"]["sort"]["field"] = "tampered"
    assert first.to_dict() == before


def test_empty_frames_still_draw() -> None:
    empty = KPIS.iloc[0:0]
    spec = contribution_chart(empty, title="T", value_title="V", kpi_title="K", pillar_title="P")
    assert spec.to_dict()["datasets"][TABLE] == []
    shares = weight_share_chart(empty, title="T", value_title="V", kpi_title="K", pillar_title="P")
    assert shares.to_dict()["datasets"][TABLE] == []


@pytest.mark.parametrize(("name", "chart"), _charts())
def test_rows_go_to_streamlit_as_arrow_with_the_same_values(name: str, chart: object) -> None:
    spec = chart.to_dict()  # type: ignore[attr-defined]
    rows = [dict(row) for row in spec["datasets"][TABLE]]
    converted = arrow_datasets(spec)["datasets"][TABLE]
    assert isinstance(converted, pa.Table), name
    assert converted.to_pylist() == rows
    # Streamlit passes an Arrow table straight through, without a pandas frame.
    assert dataframe_util.convert_anything_to_arrow_bytes(converted)


def test_rows_arrow_cannot_type_are_left_as_they_are() -> None:
    mixed = [{"value": 1.5}, {"value": "n/a"}]
    spec = arrow_datasets({"datasets": {"mixed": mixed, "empty": []}})
    assert spec["datasets"] == {"mixed": mixed, "empty": []}


def test_pillar_colours_follow_the_given_order_not_the_sort() -> None:
    """Sorted by contribution, the pillars appear in another order than in the config: each
    keeps the colour of its place in the config, and none takes the focus state's colour."""
    order = ["Readiness", "Consumption", "Quality"]
    spec = contribution_chart(
        KPIS.sort_values("contribution"),
        title="T",
        value_title="V",
        kpi_title="K",
        pillar_title="P",
        pillars=order,
    ).to_dict()
    scales = [
        layer["encoding"]["color"]["scale"]
        for layer in spec["layer"]
        if "color" in layer.get("encoding", {})
    ]
    assert scales == [{"domain": order, "range": PILLAR_COLOURS[:3]}]
    assert FOCUS_COLOUR not in PILLAR_COLOURS


@pytest.mark.parametrize(("name", "chart"), _charts(), ids=[n for n, _ in _charts()])
def test_presenter_spec_is_valid_with_large_type_and_legends_two_to_a_row(
    name: str, chart: object
) -> None:
    """In large type a legend row of three ran past the chart's edge and was cut off."""
    from app_ui.presenter import FONT_SCALE, for_presenter

    spec = for_presenter(chart.to_dict(validate=False))  # type: ignore[attr-defined]
    alt.LayerChart.from_dict(spec, validate=True)
    assert spec["config"]["legend"]["columns"] == 2
    assert spec["config"]["legend"]["labelFontSize"] == 11 * FONT_SCALE
