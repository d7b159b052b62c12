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

PUBLISH_TIMEOUT_MS = 60_000


def test_publish_in_the_data_page_and_a_new_context_sees_the_nowcast(
    browser: Any,
    app_server: Callable[[str], AbstractContextManager[tuple[str, int]]],
    record_property: Callable[[str, object], None],
) -> None:
    from playwright.sync_api import expect

    table, totals, _ = grown_table(load_dataset(), load_config())
    with app_server("editions") as (url, _pid):
        publisher = browser.new_context(viewport={"width": 1366, "height": 900})
        publisher.set_default_timeout(60_000)
        page = publisher.new_page()
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
        expect(page.get_by_text("Published the edition of 31 Jan 2026").first).to_be_visible(
            timeout=PUBLISH_TIMEOUT_MS
        )
        seconds = time.perf_counter() - started
        record_property("publish_seconds_in_browser", round(seconds, 2))
        message = page.get_by_text("Published the edition of 31 Jan 2026").first.inner_text()
        print(f"publish through the Data page, click to message: {seconds:.2f} s; {message}")
        assert not page.get_by_test_id("stException").count()
        publisher.close()

        viewer = browser.new_context(viewport={"width": 1366, "height": 900})
        viewer.set_default_timeout(60_000)
        fresh = viewer.new_page()
        fresh.goto(url)
        fresh.get_by_test_id("stMetric").first.wait_for()
        _settle(fresh)
        metric = fresh.get_by_test_id("stMetric").filter(has_text="Estimated score on 31 Jan 2026")
        expect(metric.get_by_test_id("stMetricValue")).to_have_text("42.44", timeout=60_000)
        rank = fresh.get_by_test_id("stMetric").filter(has_text="Estimated rank on 31 Jan 2026")
        expect(rank.get_by_test_id("stMetricValue")).to_have_text("7 of 9")
        expect(fresh.get_by_text("ranking of 31 Dec 2025").first).to_be_visible()
        assert not fresh.get_by_test_id("stException").count()
        viewer.close()
