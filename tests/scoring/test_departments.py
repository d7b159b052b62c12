"""Department and MDO figures: ratios, sums, search, headroom, totals, on a hand-made table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scoring.data import load_dataset
from scoring.departments import (
    by_department,
    department_mdos,
    department_names,
    department_table,
    find_units,
    headroom_leaders,
    mdo_table,
    ratio,
    remainder,
    totals,
    with_ratios,
)

COLS = ("onboarded", "active", "user_completions", "enrolments", "completions", "hours")
COLS += ("attempted", "passed")


def _rows() -> pd.DataFrame:
    records = [
        # department, mdo, remainder, onboarded, active, completers, enrol, compl, hours, att, pass
        ("Health", "Health HQ", False, 100, 10, 5, 20, 10, 4, 8, 6),
        ("Health", "Rural Clinics", False, 50, 0, 0, 0, 0, 0, 0, 0),
        ("Police", "Police HQ", False, 200, 50, 40, 80, 60, 30, 10, 5),
        ("Unlisted", "Unlisted", True, 12, 1, 1, 2, 1, 0.5, 0, 0),
    ]
    frame = pd.DataFrame(records, columns=["department", "mdo", "is_remainder", *COLS])
    frame.insert(0, "id", [f"u{i}" for i in range(len(frame))])
    return frame.astype({c: float for c in COLS})


def test_ratio_is_missing_not_zero_without_a_denominator() -> None:
    out = ratio(pd.Series([1.0, 3.0, 0.0]), pd.Series([4.0, 0.0, 0.0]))
    assert out.iloc[0] == 0.25
    assert math.isnan(out.iloc[1]) and math.isnan(out.iloc[2])


def test_with_ratios_on_mdo_rows() -> None:
    out = with_ratios(_rows())
    hq = out.iloc[0]
    assert hq["active_pct"] == pytest.approx(10 / 100)
    assert hq["completers_pct"] == pytest.approx(5 / 100)
    assert hq["completion_rate"] == pytest.approx(10 / 20)
    assert hq["pass_rate"] == pytest.approx(6 / 8)
    assert hq["headroom"] == 95
    clinics = out.iloc[1]
    assert clinics["active_pct"] == 0.0 and clinics["headroom"] == 50
    assert math.isnan(clinics["completion_rate"]) and math.isnan(clinics["pass_rate"])
    assert "active_pct" not in _rows().columns  # the input is not changed


def test_by_department_sums_and_counts_mdos() -> None:
    sums = by_department(_rows())
    assert sums["department"].tolist() == ["Health", "Police", "Unlisted"]
    health = sums.iloc[0]
    assert health["mdos"] == 2
    assert (health["onboarded"], health["active"], health["user_completions"]) == (150, 10, 5)
    assert (health["enrolments"], health["attempted"], health["passed"]) == (20, 8, 6)


def test_department_table_sorted_with_ratios_of_the_sums() -> None:
    table = department_table(_rows())
    assert table["department"].tolist() == ["Police", "Health", "Unlisted"]
    health = table.iloc[1]
    assert health["active_pct"] == pytest.approx(10 / 150)
    assert health["completers_pct"] == pytest.approx(5 / 150)
    assert health["headroom"] == 145
    assert table["onboarded"].dtype.kind == "f"  # numeric, so that sorting sorts by value


def test_mdo_tables_and_drill_down() -> None:
    assert mdo_table(_rows())["mdo"].tolist() == [
        "Police HQ",
        "Health HQ",
        "Rural Clinics",
        "Unlisted",
    ]
    drill = department_mdos(_rows(), "Health")
    assert drill["mdo"].tolist() == ["Health HQ", "Rural Clinics"]
    assert drill["onboarded"].sum() == 150
    assert department_mdos(_rows(), "Nobody").empty
    assert department_names(_rows()) == ["Health", "Police", "Unlisted"]


def test_find_units_by_department_or_mdo_name() -> None:
    rows = _rows()
    assert len(find_units(rows, "  ", whole_departments=True)) == 4
    # "clinic" matches one MDO; by department the whole of Health comes with it.
    assert find_units(rows, "CLINIC", whole_departments=False)["mdo"].tolist() == ["Rural Clinics"]
    whole = find_units(rows, "clinic", whole_departments=True)
    assert whole["mdo"].tolist() == ["Health HQ", "Rural Clinics"]
    assert find_units(rows, "hq", whole_departments=False)["department"].tolist() == [
        "Health",
        "Police",
    ]
    assert find_units(rows, "zzz", whole_departments=True).empty
    # Text, not a pattern: a "." matches only a dot.
    assert find_units(rows, ".", whole_departments=False).empty


def test_headroom_leaders() -> None:
    top = headroom_leaders(_rows(), 2)
    # Headroom: Police 200 - 40 = 160, Health 150 - 5 = 145, Unlisted 12 - 1 = 11.
    assert top["department"].tolist() == ["Police", "Health"]
    assert top["headroom"].tolist() == [160, 145]
    assert len(headroom_leaders(_rows(), 10)) == 3


def test_totals_include_the_remainder_and_count_listed_units() -> None:
    shown = totals(_rows())
    assert (shown.onboarded, shown.active, shown.completers, shown.completions) == (
        362,
        61,
        46,
        71,
    )
    assert (shown.departments, shown.mdos) == (2, 3)
    assert shown.active_share == pytest.approx(61 / 362)
    assert shown.completer_share == pytest.approx(46 / 362)
    empty = totals(_rows().iloc[:0])
    assert empty.onboarded == 0 and empty.active_share is None and empty.completer_share is None


def test_remainder() -> None:
    rest = remainder(_rows())
    assert rest is not None
    assert (rest.name, rest.listed_rows) == ("Unlisted", 3)
    assert (rest.onboarded, rest.active, rest.completers, rest.completions) == (12, 1, 1, 1)
    assert remainder(_rows().iloc[:3]) is None


def test_bundled_table_figures() -> None:
    rows = load_dataset().departments.frame
    shown = totals(rows)
    assert (shown.onboarded, shown.active) == (13_89_815, 90_110)
    assert (shown.departments, shown.mdos) == (60, 100)
    education = department_table(rows).set_index("department").loc["Education Department, Bihar"]
    assert education["onboarded"] == 293_307
    assert education["active_pct"] == pytest.approx(16_795 / 293_307)
    assert education["headroom"] == 293_307 - 12_068
