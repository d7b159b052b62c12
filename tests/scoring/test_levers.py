"""Lever rules: a picked unit starts at zero; suggested first steps."""

from __future__ import annotations

from scoring.levers import UnitFigures, new_lever, suggested_add


def test_a_new_lever_adds_nothing_until_a_value_is_typed() -> None:
    lever = new_lever("Education Department, Bihar", UnitFigures(293_307.0, 12_068.0))
    assert (lever.kind, lever.value) == ("add", 0)


def test_the_suggested_first_step_is_a_tenth_of_the_headroom_in_hundreds() -> None:
    assert suggested_add(293_307 - 12_068) == 28_100  # the figure the card shows for Education
    assert suggested_add(170) == 100
    assert suggested_add(50) == 50  # never above the headroom
    assert suggested_add(0) == 0
