"""Sensitivity charts: the pace chart's colours belong to the series, whatever their names."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from app_ui.charts import FOCUS_COLOUR, OTHER_COLOUR, PUBLISHED_COLOUR
from app_ui.charts.uncertainty import pace_chart

HINDI = {"actual": "अब तक", "trend": "पिछली गति से", "needed": "लक्ष्य की गति"}


def test_pace_colours_follow_the_series_not_the_alphabet() -> None:
    frame = pd.DataFrame(
        {
            "as_of": [dt.date(2024, 10, 7), dt.date(2025, 12, 31), dt.date(2026, 3, 31)] * 2,
            "completions": [1.0, 2.0, 3.0, 1.0, 2.0, 4.0],
            "lakh": [0.1, 0.2, 0.3, 0.1, 0.2, 0.4],
            "series": ["actual", "actual", "trend", "actual", "needed", "needed"],
        }
    )
    spec = pace_chart(frame, series_labels=HINDI, date_title="d", value_title="v").to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == ["अब तक", "पिछली गति से", "लक्ष्य की गति"]
    assert scale["range"] == [PUBLISHED_COLOUR, OTHER_COLOUR, FOCUS_COLOUR]
    values = spec["datasets"][spec["data"]["name"]]
    assert {row["series"] for row in values} == set(HINDI.values())
