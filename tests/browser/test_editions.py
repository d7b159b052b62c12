"""Editions in Chromium: a January department table published through the Data page reaches a new
browser context as the nowcast with both dates (its own app server and database)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from scoring.config import load_config
from scoring.data import load_dataset
from tests.browser.test_main_flow import _settle
from tests.scoring.test_editions import grown_table

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000


def publish_january(browser: Any, url: str) -> tuple[float, str]:
    """Publish the issue's January table (55,000 more completers) through the Data page of the
    server at `url`, in a browser context of its own; returns the seconds from the click to the
    success message, and the message."""
    from playwright.sync_api import expect

    table, totals, _ = grown_table(load_dataset(), load_config())
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"{url}/data")
        page.locator(".st-key-data_as_of").wait_for()
        _settle(page)
        # A date field of day, month and year segments: typed into, each segment moves on.
        page.locator('.st-key-data_as_of [data-type="day"]').click()
        page.keyboard.type("31012026")
        page.keyboard.press("Tab")
        _settle(page)
        expect(page.locator(".st-key-data_as_of input[type=date]")).to_have_value("2026-01-31")
        page.locator(".st-key-data_departments_file input[type=file]").set_input_files(
            files=[{"name": "jan.csv", "mimeType": "text/csv", "buffer": table}]
        )
        page.locator(".st-key-data_totals_file input[type=file]").set_input_files(
            files=[{"name": "jan-totals.csv", "mimeType": "text/csv", "buffer": totals}]
        )
        _settle(page)
        expect(page.get_by_text("Files to publish: department table.")).to_be_visible()
        started = time.perf_counter()
        page.locator(".st-key-data_publish button").click()
        done = page.get_by_text("Published the edition of 31 Jan 2026").first
        expect(done).to_be_visible(timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - started
        assert not page.get_by_test_id("stException").count()
        return seconds, done.inner_text()
    finally:
        context.close()


def expect_nowcast(browser: Any, url: str) -> None:
    """A new browser context on `url` shows the nowcast beside the published position."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(url)
        page.get_by_test_id("stMetric").first.wait_for()
        _settle(page)
        metrics = page.get_by_test_id("stMetric")
        score = metrics.filter(has_text="Estimated score on 31 Jan 2026")
        expect(score.get_by_test_id("stMetricValue")).to_have_text("42.44", timeout=TIMEOUT_MS)
        rank = metrics.filter(has_text="Estimated rank on 31 Jan 2026")
        expect(rank.get_by_test_id("stMetricValue")).to_have_text("7 of 9")
        published = metrics.filter(has_text="Published score")
        expect(published.get_by_test_id("stMetricValue")).to_have_text("39.09")
        expect(page.get_by_text("ranking of 31 Dec 2025").first).to_be_visible()
        assert not page.get_by_test_id("stException").count()
    finally:
        context.close()


def test_publish_in_the_data_page_and_a_new_context_sees_the_nowcast(
    browser: Any,
    app_server: Callable[[str], AbstractContextManager[tuple[str, int]]],
    record_property: Callable[[str, object], None],
) -> None:
    with app_server("editions") as (url, _pid):
        seconds, message = publish_january(browser, url)
        record_property("publish_seconds_in_browser", round(seconds, 2))
        print(f"publish through the Data page, click to message: {seconds:.2f} s; {message}")
        expect_nowcast(browser, url)
