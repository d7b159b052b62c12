"""The Data page's date calendar opens on the month the field shows, also after the calendar was
browsed to another month and closed without a pick (Streamlit keeps that month by itself)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_main_flow import _settle

pytestmark = pytest.mark.browser


def _shown(page: Any) -> tuple[int, int]:
    """(year, month) the open calendar shows, from its month and year pickers' values."""
    dialog = page.get_by_test_id("stDateInputCalendar")
    dialog.wait_for()
    page.wait_for_timeout(300)  # the page's script steps the calendar a frame at a time
    month, year = dialog.locator("select").evaluate_all("s => s.map(e => Number(e.value))")
    return year, month


def test_calendar_opens_on_the_fields_month(page: Any, app_url: str, screenshots: Path) -> None:
    page.goto(f"{app_url}/data")
    box = page.get_by_test_id("stDateInput")
    box.wait_for(timeout=60_000)
    _settle(page)
    field = box.locator("[role=group]")
    button = box.get_by_test_id("stDateInputCalendarButton")
    assert field.inner_text().replace("\n", "") == "31/12/2025"  # the bundled data's date
    button.click()
    assert _shown(page) == (2025, 12)
    page.keyboard.press("Escape")

    box.locator('[data-type="day"]').click()
    page.keyboard.type("31012026")
    page.keyboard.press("Tab")  # the new date goes to the app, which runs again
    _settle(page)
    assert field.inner_text().replace("\n", "") == "31/01/2026"
    button.click()
    assert _shown(page) == (2026, 1)
    page.keyboard.press("Escape")
    _settle(page)
    # Opened again, browsed back two months and closed without a pick: Streamlit alone would
    # reopen it on November; it reopens on the field's month.
    button.click()
    dialog = page.get_by_test_id("stDateInputCalendar")
    dialog.locator('[slot="previous"]').click()
    dialog.locator('[slot="previous"]').click()
    assert _shown(page) == (2025, 11)
    page.keyboard.press("Escape")
    page.wait_for_timeout(1000)
    assert field.inner_text().replace("\n", "") == "31/01/2026"
    button.click()
    assert _shown(page) == (2026, 1)
    # The keyboard starts on the field's day too (Nov has no 31st: browsing left it on the 30th).
    focused = page.get_by_test_id("stDateInputCalendar").locator('[role="grid"] [tabindex="0"]')
    assert focused.inner_text() == "31"
    page.screenshot(path=str(screenshots / "data-calendar-reopened.png"))
    page.keyboard.press("Escape")
