"""The main flow with the keyboard alone (WCAG 2.1.1): pick a department, set its lever, read the
new rank, run goal seek and save the scenario, moving only with Tab / Shift+Tab, choosing with
Enter, Space and the arrow keys, and typing the figures and the name. No mouse click at all; the
path walked goes to test-artifacts/keyboard-path.txt."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_main_flow import _settle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MAX_TABS = 120
# What has the focus, in words: its role/tag, accessible name or label, and its widget key.
DESCRIBE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return 'body';
  const keyed = e.closest('[class*="st-key-"]');
  const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')) : '';
  const name = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || e.innerText || e.value || '';
  return `${e.tagName.toLowerCase()}[${(name || '').trim().slice(0, 60)}] ${key}`;
}"""


class Walk:
    """Key presses with a record of where the focus went."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.path: list[str] = []

    def focused(self) -> str:
        return str(self.page.evaluate(DESCRIBE))

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.path.append(f"{key:<10} -> {self.focused()}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.path.append(f"type {text!r}")

    def tab_to(self, pattern: str, *, back: bool = False) -> None:
        """Tab (or Shift+Tab) until the focused element's description matches `pattern`."""
        wanted = re.compile(pattern)
        stops = []
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            where = self.focused()
            stops.append(where)
            if wanted.search(where):
                self.path.append(f"{'Shift+Tab' if back else 'Tab'} x{len(stops)} -> {where}")
                return
        raise AssertionError(f"{pattern!r} never got the focus; stops: {stops[:40]}")


def test_main_flow_with_the_keyboard_alone(page: Any, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/simulator")
    page.get_by_role("heading", level=1).first.wait_for()
    _settle(page)
    walk = Walk(page)
    metrics = page.get_by_test_id("stMetricValue")
    expect(metrics.filter(has_text="8 of 9")).to_be_visible()

    # 1. Pick a department: the picker lists the largest headroom first; type to narrow it.
    walk.tab_to(r"^input\[.*st-key-sim_targets")
    walk.type("Education Department")
    option = page.get_by_role("option").filter(has_text="Education Department, Bihar").first
    expect(option).to_be_visible()
    walk.press("Enter")  # the first match is highlighted
    _settle(page)
    walk.press("Escape")
    expect(page.get_by_text("Education Department, Bihar").first).to_be_visible()

    # 2. Set its lever: 50,000 more completers.
    walk.tab_to(r"input\[Extra users who complete courses")
    walk.press("Control+a")
    walk.type("50000")
    walk.press("Enter")
    _settle(page)

    # 3. Read the rank: the metrics are text, announced in reading order.
    expect(metrics.filter(has_text="7 of 9")).to_be_visible()
    expect(metrics.filter(has_text="42.15")).to_be_visible()

    # 4. Goal seek, with its default goal (the next rank up), from the button.
    walk.tab_to(r"button\[Find the fewest completers")
    walk.press("Enter")
    _settle(page)
    expect(page.get_by_text(re.compile(r"needs at least [\d,]+ extra completers"))).to_be_visible()

    # 5. Save the scenario: back up to the page list, open Saved scenarios, name it, save.
    walk.tab_to(r"^a\[[\s\S]*Saved scenarios", back=True)
    walk.press("Enter")
    _settle(page)
    expect(page.get_by_role("heading", name="Saved scenarios", exact=True)).to_be_visible()
    walk.tab_to(r"^input\[.*st-key-scn_name")
    walk.type("Keyboard push")
    walk.press("Enter")
    _settle(page)
    walk.tab_to(r"button\[Save\] st-key-scn_save")
    walk.press("Space")
    _settle(page)
    expect(page.get_by_text("Saved as “Keyboard push”.")).to_be_visible()
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()

    out = ROOT / "test-artifacts" / "keyboard-path.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(walk.path) + "\n", encoding="utf-8")
