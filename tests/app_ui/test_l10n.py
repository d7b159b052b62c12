"""Numbers (Indian digit grouping through Babel), dates, plurals and texts of both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app_ui.l10n import (
    date_text,
    fmt_delta,
    fmt_num,
    fmt_pct,
    fmt_probability,
    goal_proof,
    parse_whole,
    plural_form,
    translate,
)
from scoring.engine import Model
from scoring.goal import GoalTarget, greedy_seek


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1_000, "1,000"),
        (99_999, "99,999"),
        (1_00_000, "1,00,000"),
        (13_89_815, "13,89,815"),
        (1_00_00_000, "1,00,00,000"),
        (-78_215, "-78,215"),
    ],
)
def test_indian_grouping(value: int, text: str) -> None:
    assert fmt_num(value) == text


def test_decimals_percent_delta_and_missing() -> None:
    assert fmt_num(705788.84, 2) == "7,05,788.84"
    assert fmt_num(39.085, 2) in {"39.08", "39.09"}
    assert fmt_num(-0.004, 2) == "0.00"
    assert fmt_num(float("nan")) == "-" and fmt_num(None) == "-"
    assert fmt_pct(0.06484) == "6.5%"
    assert fmt_delta(3.06) == "+3.06" and fmt_delta(-1.5, 1) == "-1.5"


def test_dates_in_both_languages() -> None:
    assert date_text("en", dt.date(2026, 3, 31)) == "31 Mar 2026"
    assert date_text("hi", dt.date(2026, 3, 31)) == "31 मार्च 2026"
    assert date_text("en", dt.date(2025, 12, 31)) == "31 Dec 2025"


def test_plural_forms_follow_cldr() -> None:
    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_form(n, "hi") for n in (0, 1, 2)] == ["one", "one", "other"]
    assert translate("en", "simulator.places.one", places="+1") == "+1 place"
    assert translate("en", "simulator.places.other", places="+2") == "+2 places"


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0, ""),
        (0.0001, "<0.1%"),  # not "0.0%": it happened in some draws
        (0.034, "3.4%"),
        (0.45, "45%"),
        (0.9996, ">99%"),  # not "100%": it failed in some draws
        (1.0, "100%"),
    ],
)
def test_probability_labels_never_round_to_certainty_or_impossibility(p: float, text: str) -> None:
    assert fmt_probability(p) == text


def test_every_state_of_annexure_1_has_a_hindi_name() -> None:
    import pandas as pd

    from app_ui.l10n import _state_names_hi

    ranking = pd.read_csv("data/ranking_2025-12-31.csv")
    names = _state_names_hi()
    assert len(ranking) == 36
    missing = [s for s in ranking["state"] if s.strip().upper() not in names]
    assert not missing, missing
    assert names["BIHAR"] == "बिहार" and names["TAMIL NADU"] == "तमिलनाडु"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("50000", 50_000),
        ("50,000", 50_000),
        ("5,00,000", 500_000),
        ("13,89,815", 1_389_815),
        ("1,389,815", 1_389_815),  # international grouping
        ("५०,०००", 50_000),  # Devanagari digits
        ("१३,८९,८१५", 1_389_815),
        (" 7 ", 7),
        ("1,5", None),  # a comma where no grouping puts one
        ("12,34,56,7", None),
        ("5,", None),
        ("-5", None),
        ("+5", None),
        ("2.5", None),
        ("1e3", None),
        ("NaN", None),
        ("50 000", None),
        ("", None),
    ],
)
def test_whole_numbers_as_people_type_them(typed: str, value: int | None) -> None:
    assert parse_whole(typed, "en") == value
    assert parse_whole(typed, "hi") == value


def test_goal_proof_says_proven_within_or_unknown(model: Model) -> None:
    result = greedy_seek(model, GoalTarget(rank=6))  # 137,918 completers; proven fewest 137,802
    assert goal_proof(dataclasses.replace(result, optimal=True, lower_bound=137_918), "en") == (
        translate("en", "chance.fewest_proven")
    )
    stopped = dataclasses.replace(result, optimal=False, lower_bound=137_802)
    assert goal_proof(stopped, "en") == (
        "Not proven minimal, within 0.08%: at most 116 completers more than the fewest."
    )
    assert goal_proof(stopped, "hi") == "न्यूनतम सिद्ध नहीं, 0.08% के भीतर: न्यूनतम से अधिकतम 116 अधिक।"
    close = dataclasses.replace(stopped, lower_bound=137_916)
    assert "within <0.01%: at most 2 completers" in goal_proof(close, "en")
    unknown = dataclasses.replace(stopped, lower_bound=None)
    assert goal_proof(unknown, "en") == translate("en", "chance.fewest_unproven")
    assert goal_proof(unknown, "hi") == translate("hi", "chance.fewest_unproven")


def test_table_formatters_match_fmt_num_and_fmt_pct(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-table formatters (language read once) give what fmt_num / fmt_pct give, and '-'
    for a missing ratio as the department table always showed."""
    import pandas as pd

    from app_ui import session
    from app_ui.l10n import number_formatter, pct_formatter

    for lang in ("en", "hi"):
        monkeypatch.setattr(session, "lang", lambda lang=lang: lang)
        num, num2, pct = number_formatter(), number_formatter(2), pct_formatter()
        for value in (0, 999, 13_89_815, -78_215, 705788.84, -0.004):
            assert num(value) == fmt_num(value)
            assert num2(value) == fmt_num(value, 2)
        assert num(13_89_815) == "13,89,815" and num2(705788.84) == "7,05,788.84"
        assert pct(0.065) == fmt_pct(0.065) == "6.5%"
        assert pct(None) == pct(float("nan")) == pct(pd.NA) == "-"
        assert pct(float("inf")) == fmt_pct(float("inf")) == "-%"  # as fmt_pct always showed
        assert num(None) == "-"
