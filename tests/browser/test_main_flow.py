"""The main flow in a real browser: simulator lever, new rank, goal seek, and every page renders."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring.config import dump_config, load_config

pytestmark = pytest.mark.browser

PAGES = ("Overview", "Simulator", "Departments", "Weights", "Data")


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished the current run and drawn its charts."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !/Running|Stop/.test(document.querySelector('[data-testid=\"stStatusWidget\"]')"
        ".innerText)",
        timeout=60_000,
    )
    page.wait_for_timeout(800)


def _open(page: Any, name: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=name).first.click()
    _settle(page)


def _shot(page: Any, folder: Path, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it."""
    size = page.viewport_size
    height = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight), 0)'
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    page.wait_for_timeout(600)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(200)


def _is_local(url: str, app_url: str) -> bool:
    return url.startswith((app_url, "data:", "blob:", "about:"))


def _bad_upload_is_refused(page: Any) -> None:
    from playwright.sync_api import expect

    upload = page.locator(".st-key-w_upload input[type=file]")
    upload.set_input_files(
        files=[{"name": "bad.yaml", "mimeType": "application/x-yaml", "buffer": b"kpis: [\n"}]
    )
    _settle(page)
    expect(page.get_by_text("The input was not accepted").first).to_be_visible()
    expect(page.get_by_text("the model in use is unchanged").first).to_be_visible()
    assert not page.get_by_test_id("stException").count()

    # A valid model file is accepted and used; the bundled model can be brought back.
    good = dump_config(load_config().with_weights({"completer_rate": 40})).encode("utf-8")
    upload.set_input_files(
        files=[{"name": "heavier.yaml", "mimeType": "application/x-yaml", "buffer": good}]
    )
    _settle(page)
    # The file name is outside text: shown through text.plain, which puts an invisible word
    # joiner after its dot (no autolink), so the match allows one character there.
    accepted = re.compile(r"Model file heavier\.\W?yaml accepted and in use\.")
    expect(page.get_by_text(accepted)).to_be_visible()
    expect(page.locator(".st-key-w_kpi_completer_rate input")).to_have_value("40.0")
    page.get_by_role("button", name="Go back to the bundled model").click()
    _settle(page)
    expect(page.locator(".st-key-w_kpi_completer_rate input")).to_have_value("20.0")


def test_simulator_lever_goal_seek_and_every_page(
    page: Any, app_url: str, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    # Nothing may be fetched from outside this machine (the deployment has no internet).
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if _is_local(request.url, app_url) else outside.append(request.url),
    )
    page.goto(app_url)
    page.get_by_role("heading", level=1).first.wait_for()
    _settle(page)
    _shot(page, screenshots, "overview")

    _open(page, "Simulator")
    expect(page.get_by_role("heading", name="Rank simulator")).to_be_visible()
    metric_values = page.get_by_test_id("stMetricValue")
    expect(metric_values.filter(has_text="8 of 9")).to_be_visible()

    # A lever: Education Department, 50,000 extra completers.
    targets = page.locator(".st-key-sim_targets input")
    targets.click()
    targets.fill("Education Department")
    page.get_by_role("option", name=re.compile("^Education Department, Bihar")).first.click()
    page.keyboard.press("Escape")
    _settle(page)
    amount = page.get_by_label("Extra users who complete courses")
    amount.fill("50000")
    amount.press("Enter")
    _settle(page)
    expect(metric_values.filter(has_text="7 of 9")).to_be_visible()
    expect(metric_values.filter(has_text="42.15")).to_be_visible()
    expect(metric_values.filter(has_text="50,000")).to_be_visible()
    _shot(page, screenshots, "simulator-lever")

    # Goal seek: the default goal is the next rank up (7); a plan appears and can be loaded.
    page.get_by_role("button", name="Find the fewest completers").click()
    _settle(page)
    expect(page.get_by_text(re.compile(r"needs at least [\d,]+ extra completers"))).to_be_visible()
    # The plan is a plain table (headers wrap, numbers on the right), not the data grid.
    expect(page.locator(".st-key-sim_plan_table table").first).to_be_visible()
    count = page.locator(".st-key-sim_plan_table tbody tr").first.locator("td").last
    assert count.evaluate("e => getComputedStyle(e).textAlign") == "right"  # over Streamlit's left
    _shot(page, screenshots, "simulator-goal-seek")
    page.get_by_role("button", name="Load this plan into the simulator").click()
    _settle(page)
    expect(metric_values.filter(has_text="7 of 9").first).to_be_visible()

    for name in ("Departments", "Weights", "Data"):
        _open(page, name)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        assert not page.get_by_test_id("stException").count(), f"{name} shows a traceback"
        _shot(page, screenshots, name.lower())
        if name == "Weights":
            _bad_upload_is_refused(page)

    _open(page, "Simulator")
    # Levers survive the round trip through the other pages.
    expect(metric_values.filter(has_text="7 of 9").first).to_be_visible()
    assert not page.get_by_test_id("stException").count()
    assert not outside, f"requests left the machine: {outside[:5]}"
