"""The chance beside a rank in words: percentages never rounded into certainty, the margin in
points, ties and thin margins as a warning, in both languages."""

from __future__ import annotations

import math

import pytest
import streamlit as st

from app_ui.charts.chance import price_chart
from app_ui.views.chance import fmt_chance, margin_words
from scoring.chance import Chance

pytestmark = pytest.mark.filterwarnings("ignore")


def _chance(score: float, needed: float, rival: str, tie: bool = False) -> Chance:
    margin = round(score - needed, 6)
    return Chance(
        7, 0.5, (0.49, 0.51), 20_000, score, needed, rival, margin, tie, tie or margin < 0.05
    )


@pytest.fixture(autouse=True)
def english() -> None:
    st.session_state["lang"] = "en"


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (1.0, "100%"),
        (0.99905, ">99%"),
        (0.995, ">99%"),
        (0.2229, "22%"),
        (0.004, "<1%"),
        (0.0, "0%"),
    ],
)
def test_chance_is_never_rounded_into_certainty(p: float, text: str) -> None:
    assert fmt_chance(p) == text


def test_tie_is_said_in_words() -> None:
    words = margin_words(_chance(53.04, 53.04, "ANDHRA PRADESH", tie=True))
    assert words == "Ties ANDHRA PRADESH at 53.04: the smallest slip loses the place."


def test_thin_margin_is_a_warning_and_a_wide_one_a_fact() -> None:
    assert margin_words(_chance(40.40, 40.39, "TAMIL NADU")) == (
        "Only 0.01 points above TAMIL NADU (40.39): the smallest slip loses the place."
    )
    assert (
        margin_words(_chance(42.15, 40.39, "TAMIL NADU")) == "1.76 points above TAMIL NADU (40.39)."
    )


def test_last_place_has_no_margin() -> None:
    last = Chance(9, 1.0, (1.0, 1.0), 20_000, 20.0, -math.inf, "", math.inf, False, False)
    assert margin_words(last) == ""


def test_hindi_tie_names_the_state_in_devanagari() -> None:
    st.session_state["lang"] = "hi"
    words = margin_words(_chance(48.74, 48.74, "KERALA", tie=True))
    assert words.startswith("48.74 पर केरल के बराबर")


def test_price_chart_marks_the_fewest_apart() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "chance": [0.5054, 0.9093, 0.2923],
            "extra": [10_714, 19_265, 3_328],
            "kind": ["Plan for a chance", "Plan for a chance", "Fewest (proven)"],
            "text": ["10,714", "19,265", "3,328"],
        }
    )
    spec = price_chart(
        frame, title="t", chance_title="c", extra_title="e", kind_title="k"
    ).to_dict()
    line = spec["layer"][0]
    assert line["mark"]["type"] == "line"
    assert line["transform"] == [{"filter": "(datum.kind === 'Plan for a chance')"}]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "Plan for a chance",
        "Fewest (proven)",
    ]
