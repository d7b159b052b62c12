"""A chart's text alternative: the rows of its tooltips, titled and formatted like the chart."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from app_ui.charts import contribution_chart, ranking_chart
from app_ui.charts.uncertainty import rank_history_chart
from app_ui.export.alt_text import chart_table
from app_ui.l10n import date_text, fmt_num
from app_ui.presenter import arrow_datasets

NAMES = {
    "common.state": "State",
    "common.rank": "Rank",
    "common.score": "Score",
    "export.table_date": "Date",
    "export.table_series": "Series",
    "export.table_item": "Item",
}


def _table(spec: dict) -> pd.DataFrame:
    return chart_table(spec, NAMES.__getitem__, lambda d: date_text("en", d), fmt_num)


def _ranking() -> dict:
    frame = pd.DataFrame(
        {
            "state": ["KERALA", "BIHAR"],
            "rank": [1, 2],
            "published_score": [48.74, 39.09],
            "score": [48.74, 42.15],
        }
    )
    return ranking_chart(
        frame,
        "BIHAR",
        title="Category C",
        score_title="Score",
        published_label="Published",
        simulated_label="Simulated",
        focus_label="BIHAR",
        other_label="Others",
    ).to_dict()


def test_ranking_rows_follow_the_bars_with_the_shown_figures() -> None:
    table = _table(_ranking())
    # Untitled tooltip fields are named by what they hold; the state's two bars stay together.
    assert list(table.columns) == ["State", "Series", "Score"]
    assert table.values.tolist() == [
        ["KERALA", "Published", "48.74"],
        ["KERALA", "Simulated", "48.74"],
        ["BIHAR", "Published", "39.09"],
        ["BIHAR", "BIHAR", "42.15"],
    ]


def test_arrow_rows_read_the_same() -> None:
    spec = _ranking()
    plain = _table(spec)
    assert _table(arrow_datasets(spec)).equals(plain)


def test_titles_come_from_the_tooltips_and_numbers_keep_their_text() -> None:
    frame = pd.DataFrame(
        {
            "kpi": ["Active users", "Hours"],
            "pillar": ["Readiness", "Consumption"],
            "contribution": [1.5, -0.25],
        }
    )
    spec = contribution_chart(
        frame, title="t", value_title="Points added", kpi_title="KPI", pillar_title="Pillar"
    ).to_dict()
    table = _table(spec)
    assert list(table.columns) == ["KPI", "Pillar", "Points added"]
    assert table["Points added"].tolist() == ["+1.50", "-0.25"]


def test_dates_and_numbers_without_titles_are_written_for_reading() -> None:
    frame = pd.DataFrame(
        {
            "as_of": [dt.date(2025, 11, 30), dt.date(2025, 12, 31)],
            "state": ["BIHAR", "BIHAR"],
            "rank": [9, 8],
            "score": [37.5, 39.09],
            "category": ["C", "C"],
        }
    )
    spec = rank_history_chart(frame, "BIHAR", title="t", date_title="d", rank_title="r").to_dict()
    table = _table(spec)
    assert list(table.columns) == ["State", "Date", "Rank", "Score"]
    assert table.values.tolist() == [
        ["BIHAR", "30 Nov 2025", "9", "37.50"],
        ["BIHAR", "31 Dec 2025", "8", "39.09"],
    ]


def test_a_chart_without_tooltips_gives_no_table() -> None:
    assert _table({"mark": "bar", "data": {"values": [{"a": 1}]}}).empty
