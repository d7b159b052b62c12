"""Chart layout rules of issue 16: columns on their ticks, taller presenter charts, a lakh axis
without an overlapping unit title, and titles and label room that follow the chart's width."""

from __future__ import annotations

import json

import pandas as pd

from app_ui.charts import plan_chart
from app_ui.charts.fit import fit_to_width
from app_ui.charts.uncertainty import rank_probability_chart
from app_ui.presenter import for_presenter


def _rank_spec() -> dict[str, object]:
    frame = pd.DataFrame({"rank": [7, 8], "baseline": [0.0, 1.0], "scenario": [1.0, 0.0]})
    chart = rank_probability_chart(
        frame,
        title="Probability of each rank",
        rank_title="Rank",
        probability_title="Share",
        baseline_label="Today",
        scenario_label="Scenario",
    )
    return chart.to_dict()


def test_rank_columns_stand_on_their_ticks() -> None:
    spec = _rank_spec()
    text = json.dumps(spec)
    assert "xOffset" not in text  # no side-by-side offset that put a lone column between ticks
    widths = [
        layer["mark"].get("width") for layer in spec["layer"] if layer["mark"]["type"] == "bar"
    ]
    assert widths == [{"band": 0.8}, {"band": 0.4}]


def test_presenter_charts_are_taller() -> None:
    assert for_presenter(_rank_spec())["height"] == 520  # 320 x 1.6 = 512, at least 520
    assert for_presenter({"height": 400})["height"] == 640


def test_plan_axis_counts_in_lakh_and_has_no_unit_title() -> None:
    frame = pd.DataFrame({"unit": ["A", "B"], "extra_completers": [150_000, 4_671]})
    spec = plan_chart(
        frame, title="Plan", value_title="Extra", others_label="{count} more"
    ).to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert "' lakh'" in x["axis"]["labelExpr"] and "~s" not in json.dumps(x)
    assert spec["layer"][0]["encoding"]["y"]["title"] is None
    assert x["scale"]["domain"] == [0, 150_000 * 1.35]  # room for the largest value label


def test_titles_wrap_and_label_room_shrinks_with_the_chart() -> None:
    spec = fit_to_width({"title": "A title", "encoding": {"y": {"axis": {"labelLimit": 300}}}})
    assert "containerSize()[0]" in spec["title"]["text"]["expr"]
    limit = spec["encoding"]["y"]["axis"]["labelLimit"]["expr"]
    assert limit == "max(70, min(300, containerSize()[0] * 0.38))"
    assert spec["config"]["legend"]["columns"] == {"expr": "containerSize()[0] < 560 ? 1 : 0"}
