"""Sensitivity in a real browser: each view draws on request, and the chosen view and the draw
settings survive a visit to another page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_main_flow import _open, _settle, _shot

pytestmark = pytest.mark.browser

# The view's name on the segmented control, and a text only that view shows.
VIEWS = (
    ("What matters most", "Points added by up to 1,000 more completers, by department"),
    ("Moving peers", "Other states' drift"),
    ("Calibration", "Download the template (CSV)"),
    ("History", "Bihar's course completions since the BIPARD MoU (October 2024)"),
    ("Weight uncertainty", "Chance of rank 7 or better"),
)


def _view(page: Any, name: str) -> None:
    page.locator(".st-key-sens_view button", has_text=name).first.click()
    _settle(page)


def test_each_view_draws_on_request_and_the_choice_survives(
    page: Any, app_url: str, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(app_url)
    page.get_by_role("heading", level=1).first.wait_for()
    _settle(page)
    _open(page, "Sensitivity")
    expect(page.get_by_role("heading", name="Sensitivity")).to_be_visible()
    expect(page.get_by_text("Chance of rank 7 or better")).to_be_visible()
    # Only the shown view is on the page.
    assert not page.get_by_text("Download the template (CSV)").count()
    for name, text in VIEWS:
        _view(page, name)
        expect(page.get_by_text(text).first).to_be_visible()
        assert not page.get_by_test_id("stException").count(), f"{name} shows a traceback"
        _shot(page, screenshots, "sensitivity-" + name.lower().replace(" ", "-"))

    page.locator(".st-key-sens_mode label", has_text="Any weights (uniform)").click()
    _settle(page)
    _view(page, "History")
    _open(page, "Overview")
    _open(page, "Sensitivity")
    # exact: the chart's "Chart as a table: ..." expander repeats the heading's words
    expect(page.get_by_text(VIEWS[3][1], exact=True)).to_be_visible()
    _view(page, "Weight uncertainty")
    expect(page.locator(".st-key-sens_mode input[type=radio]").nth(1)).to_be_checked()
    assert not page.get_by_test_id("stException").count()
