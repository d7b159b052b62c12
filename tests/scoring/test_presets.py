"""Presets: the source documents' scenarios as levers, and course bundles by experience band."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.data import department_headroom
from scoring.engine import Model, build_model, simulate
from scoring.errors import ScoringInputError
from scoring.presets import (
    PRESET_IDS,
    available_bands,
    band_courses,
    course_bundle,
    home_department_push,
    karmayogi_directive,
    preset,
    water_resources_memo,
)
from scoring.scenario import LeverKind


def _courses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "topic": ["AI", "AI", "Cybersecurity", "Cybersecurity", "Cybersecurity", "AI"],
            "band": ["junior", "junior", "junior", "junior", "junior", "senior"],
            "course": ["A1", "A2", "C1", "C2", "C1", "A9"],
            "provider": ["p", "p", "q", "q", "q", "p"],
            "minutes": [60, 120, 30, 90, 30, 45],
        }
    )


def test_bundle_is_the_mean_of_the_band_means_and_counts_a_repeated_course_once() -> None:
    bundle = course_bundle(_courses(), "junior")
    # AI: (60 + 120) / 2 = 90 min; Cyber: C1 listed twice counts once, (30 + 90) / 2 = 60 min.
    assert (bundle.ai_minutes, bundle.cyber_minutes) == (90.0, 60.0)
    assert bundle.hours_per_course == pytest.approx((90 + 60) / 2 / 60)  # 1.25 h


def test_bundle_of_chosen_courses() -> None:
    bundle = course_bundle(_courses(), "junior", ai_course="A2", cyber_course="C1")
    assert bundle.hours_per_course == pytest.approx((120 + 30) / 2 / 60)  # 1.25 h
    assert course_bundle(_courses(), "junior", ai_course="A1").hours_per_course == pytest.approx(
        (60 + 60) / 2 / 60
    )


def test_bundle_rejects_unknown_band_or_course() -> None:
    with pytest.raises(ScoringInputError, match="no recommended Cybersecurity course"):
        course_bundle(_courses(), "senior")
    with pytest.raises(ScoringInputError, match="not a recommended AI course"):
        course_bundle(_courses(), "junior", ai_course="A9")


def test_bands_need_both_topics() -> None:
    assert available_bands(_courses()) == ["junior"]
    assert band_courses(_courses(), "junior", "Cybersecurity")["course"].tolist() == ["C1", "C2"]


def test_bundled_course_list_bands(model: Model) -> None:
    courses = model.data.courses
    assert available_bands(courses) == [
        "MTS & equivalent",
        "0 - 9 Years",
        "9 - 16 Years",
        "16 Years and above",
    ]
    # 0-9 years: AI (230+162+104+58+76+274+62+68)/8 = 129.25 min; Cyber lists two courses twice,
    # distinct ones (44+70+85+84)/4 = 70.75 min; one of each: 100 min a course = 1.667 h.
    bundle = course_bundle(courses, "0 - 9 Years")
    assert bundle.ai_minutes == pytest.approx(129.25)
    assert bundle.cyber_minutes == pytest.approx(70.75)
    assert bundle.hours_per_course == pytest.approx(100 / 60)
    # MTS: AI (230+82+95+94+67)/5 = 113.6, Cyber (84+130+113)/3 = 109 -> 111.3 min = 1.855 h.
    assert course_bundle(courses, "MTS & equivalent").hours_per_course == pytest.approx(1.855)


def test_directive_reaches_every_listed_department_once(model: Model) -> None:
    result = karmayogi_directive(model.departments)
    listed = model.departments.loc[~model.departments["is_remainder"], "department"]
    assert [lever.target for lever in result.levers] == list(dict.fromkeys(listed))
    assert all(lv.kind is LeverKind.REACH and lv.value == 100 for lv in result.levers)
    assert result.assumptions == {"courses_per_completer": 2}


def test_water_and_home_presets() -> None:
    water = water_resources_memo()
    assert [(lv.target, lv.kind, lv.value) for lv in water.levers] == [
        ("Water Resources Department, Bihar", LeverKind.REACH, 100.0)
    ]
    assert water.assumptions == {"courses_per_completer": 2.5}
    home = home_department_push()
    assert [(lv.target, lv.value) for lv in home.levers] == [("Home Department Bihar", 50.0)]
    assert home_department_push(100).levers[0].value == 100.0


def test_presets_simulate_with_hand_checked_completers(model: Model) -> None:
    # Water Resources: 1,219 onboarded, 1,049 with a completion -> 170 more reach 100%.
    water = preset("water", model.departments)
    water_model = build_model(model.config.with_assumptions(**water.assumptions), model.data)
    assert simulate(water_model, water.scenario).extra_completers == 170
    # Home, four units at 50%: main unit ceil(0.5 x 30,646) - 398 = 14,925; the three small
    # units (145/116, 101/81, 53/34) are already above half.
    home = preset("home", model.departments)
    result = simulate(model, home.scenario)
    assert result.extra_completers == 14_925
    assert result.score > model.published_score
    directive = simulate(model, preset("directive", model.departments).scenario)
    listed = model.departments[~model.departments["is_remainder"]]
    headroom = int((listed["onboarded"] - listed["user_completions"]).sum())
    assert directive.extra_completers == headroom
    assert directive.rank == 1


def test_unknown_preset_is_refused(model: Model) -> None:
    assert PRESET_IDS == ("directive", "water", "home")
    with pytest.raises(ScoringInputError, match="no preset called"):
        preset("nope", model.departments)


def test_department_headroom_orders_largest_first() -> None:
    departments = pd.DataFrame(
        {
            "department": ["B", "A", "B", "C", "rest"],
            "is_remainder": [False, False, False, False, True],
            "onboarded": [100.0, 50.0, 40.0, 500.0, 9999.0],
            "user_completions": [10.0, 5.0, 30.0, 500.0, 0.0],
        }
    )
    frame = department_headroom(departments)
    # B: (100 - 10) + (40 - 30) = 100; A: 45; C: 0; the remainder is not a department.
    assert frame["department"].tolist() == ["B", "A", "C"]
    assert frame["headroom"].tolist() == [100.0, 45.0, 0.0]
    assert frame["onboarded"].tolist() == [140.0, 50.0, 500.0]
