"""History: monthly rankings combine; Bihar's pace since the October 2024 MoU note."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scoring.errors import ScoringInputError
from scoring.history import combine_months, load_bihar_history, needed_completions_per_month, pace


def test_bihar_pace_since_the_mou_note() -> None:
    result = pace(load_bihar_history())
    assert result.start == dt.date(2024, 10, 7) and result.end == dt.date(2025, 12, 31)
    assert result.months == pytest.approx(14.78, abs=0.01)
    # (9,31,710 - 23,724) completions over 14.78 months
    assert result.per_month["completions"] == pytest.approx(61_415, abs=1)
    assert result.per_month["onboarded"] == pytest.approx(77_633, abs=1)


def test_goal_pace_in_the_same_unit() -> None:
    # 2,16,153 completers x 2 courses over 90 days = 1,46,203 completions a month
    assert needed_completions_per_month(216_153, 2, 90) == pytest.approx(146_203, abs=1)


def test_months_combine_with_recomputed_ranks() -> None:
    nov = pd.DataFrame({"state": ["A", "B"], "category": ["C", "C"], "score": [40.0, 41.0]})
    dec = pd.DataFrame({"state": ["A", "B"], "category": ["C", "C"], "score": [42.0, 41.0]})
    long = combine_months([(dt.date(2025, 11, 30), nov), (dt.date(2025, 12, 31), dec)])
    ranks = long.set_index(["as_of", "state"])["rank"]
    assert ranks[(dt.date(2025, 11, 30), "A")] == 2 and ranks[(dt.date(2025, 12, 31), "A")] == 1
    with pytest.raises(ScoringInputError, match="two rankings"):
        combine_months([(dt.date(2025, 11, 30), nov), (dt.date(2025, 11, 30), dec)])
