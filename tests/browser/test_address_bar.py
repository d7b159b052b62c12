"""Work that survives, in a real browser: a lever change is in the address bar, so reload (F5)
and the Back and Forward buttons restore it exactly; Undo (button and Alt+Z) and Redo."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

EDUCATION = "Education Department, Bihar"


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !/Running|Stop/.test(document.querySelector('[data-testid=\"stStatusWidget\"]')"
        ".innerText)",
        timeout=60_000,
    )
    page.wait_for_timeout(600)


def _expect_position(page: Any, score: str, rank: str) -> None:
    from playwright.sync_api import expect

    values = page.get_by_test_id("stMetricValue")
    expect(values.filter(has_text=re.compile(rf"^{re.escape(score)}$")).first).to_be_visible()
    expect(values.filter(has_text=rank).first).to_be_visible()


def _set_education(page: Any, value: int) -> None:
    amount = page.get_by_label("Extra users who complete courses")
    amount.fill(str(value))
    amount.press("Enter")
    _settle(page)


def test_reload_back_forward_and_undo_keep_the_scenario(page: Any, app_url: str) -> None:
    page.goto(f"{app_url}/simulator")
    page.get_by_role("heading", name="Rank simulator").wait_for()
    _settle(page)
    _expect_position(page, "39.09", "8 of 9")
    assert "scenario=" not in page.url  # the published position keeps a bare address

    targets = page.locator(".st-key-sim_targets input")
    targets.click()
    targets.fill("Education Department")
    page.get_by_role("option", name=re.compile("^Education Department, Bihar")).first.click()
    page.keyboard.press("Escape")
    _settle(page)
    _set_education(page, 50_000)
    _expect_position(page, "42.15", "7 of 9")
    assert "scenario=" in page.url
    fifty = page.url

    # F5: a new session, restored from the address bar.
    page.reload()
    page.get_by_role("heading", name="Rank simulator").wait_for()
    _settle(page)
    _expect_position(page, "42.15", "7 of 9")
    assert page.url == fifty

    # Another change (exactly one new history entry), then the browser's Back and Forward.
    entries = page.evaluate("() => history.length")
    _set_education(page, 20_000)
    assert page.evaluate("() => history.length") == entries + 1
    assert page.url != fifty
    twenty = page.url
    score_twenty = page.get_by_test_id("stMetricValue").first.inner_text()
    assert score_twenty != "42.15"
    page.go_back()
    _settle(page)
    _expect_position(page, "42.15", "7 of 9")
    assert page.url == fifty
    page.go_forward()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")
    assert page.url == twenty

    # Undo by keyboard (Alt+Z), Redo by its button; both move the address bar too.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Alt+z")
    _settle(page)
    _expect_position(page, "42.15", "7 of 9")
    assert page.url == fifty
    page.get_by_role("button", name=re.compile("Redo")).click()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")

    # Clear levers, then Undo: the levers are back, and a reload keeps them.
    page.get_by_role("button", name="Clear levers").click()
    _settle(page)
    _expect_position(page, "39.09", "8 of 9")
    assert "scenario=" not in page.url
    page.get_by_role("button", name=re.compile("Undo")).click()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")
    page.reload()
    page.get_by_role("heading", name="Rank simulator").wait_for()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")
    assert not page.get_by_test_id("stException").count()
