"""The compare chart (app_ui/charts/compare.py): every bar in score order, coloured by kind."""

from __future__ import annotations

import pandas as pd
import pytest

from app_ui.charts import FOCUS_COLOUR, OTHER_COLOUR, PUBLISHED_COLOUR
from app_ui.charts.compare import compare_chart


def test_bars_in_score_order_with_kinds_and_labels() -> None:
    chart = compare_chart(
        pd.DataFrame({"state": ["KERALA", "GOA"], "score": [41.0, 38.5]}),
        ("BIHAR (published)", 39.09),
        pd.DataFrame({"label": ["▸ Big", "▸ Small"], "score": [42.15, 39.2], "text": ["a", "b"]}),
        title="T",
        score_title="Score",
        run_kind="Saved",
        published_kind="Published",
        other_kind="Others",
    )
    spec = chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["label"] for r in rows] == [
        "▸ Big",
        "KERALA",
        "▸ Small",
        "BIHAR (published)",
        "GOA",
    ]
    assert [r["kind"] for r in rows] == ["Saved", "Others", "Saved", "Published", "Others"]
    assert [r["text"] for r in rows] == ["a", "41.00", "b", "39.09", "38.50"]
    bars, labels = spec["layer"]
    scale = bars["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Saved", "Published", "Others"]
    assert scale["range"] == [FOCUS_COLOUR, PUBLISHED_COLOUR, OTHER_COLOUR]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100.0]  # scores under 100
    assert bars["encoding"]["y"]["sort"] == [r["label"] for r in rows]
    assert labels["encoding"]["text"]["field"] == "text"


def test_axis_grows_past_one_hundred() -> None:
    chart = compare_chart(
        pd.DataFrame({"state": ["A"], "score": [50.0]}),
        ("F", 40.0),
        pd.DataFrame({"label": ["x"], "score": [100.0], "text": ["100"]}),
        title="T",
        score_title="S",
        run_kind="r",
        published_kind="p",
        other_kind="o",
    )
    assert chart.to_dict()["layer"][0]["encoding"]["x"]["scale"]["domain"] == [
        0,
        pytest.approx(110),
    ]
