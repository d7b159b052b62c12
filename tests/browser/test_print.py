"""Printing the Simulator: in print emulation at A4 width its results and charts show, the
sidebar and every control are hidden; the A4 PDF is kept for a look (and as PNGs when pdftoppm
is installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scoring.share import LeverState, ScenarioState, encode_link
from tests.browser.test_main_flow import _settle

pytestmark = pytest.mark.browser

A4_CSS_PX = {"width": 794, "height": 1123}  # 210 x 297 mm at 96 px per inch
EDUCATION = ScenarioState(
    levers=(LeverState(target="Education Department, Bihar", kind="add", value=50_000),)
)
CONTROLS = (
    "stSidebar",
    "stHeader",
    "stNumberInput",
    "stMultiSelect",
    "stButton",
    "stDownloadButton",
    "stSelectbox",
    "stRadio",
    "stExpander",
)


def _visible(page: Any, test_id: str) -> int:
    return int(
        page.evaluate(
            """(id) => [...document.querySelectorAll(`[data-testid="${id}"]`)]
                .filter(e => e.getClientRects().length && getComputedStyle(e).display !== 'none'
                        && getComputedStyle(e).visibility !== 'hidden').length""",
            test_id,
        )
    )


def test_simulator_prints_results_and_charts_without_controls(
    page: Any, app_url: str, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/simulator?scenario={encode_link(EDUCATION)}")
    page.get_by_role("heading", level=1).first.wait_for()
    _settle(page)
    expect(page.get_by_test_id("stMetricValue").filter(has_text="7 of 9")).to_be_visible()
    # The Print button is there on screen, and only there.
    expect(page.locator("button.igot-print")).to_be_visible()

    page.set_viewport_size(A4_CSS_PX)
    page.emulate_media(media="print")
    _settle(page)  # the narrower window makes Streamlit lay the charts out again
    page.get_by_test_id("stVegaLiteChart").nth(1).wait_for()
    assert _visible(page, "stMetric") >= 3
    assert _visible(page, "stVegaLiteChart") >= 2  # the ranking and what each KPI adds
    for control in CONTROLS:
        assert _visible(page, control) == 0, f"{control} shows in print"
    assert not page.locator("button.igot-print").is_visible()
    # Every chart fits the page's width (a wider one would be cut on paper).
    widths = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
            .filter(e => e.getClientRects().length)
            .map(e => e.getBoundingClientRect().right)"""
    )
    assert widths and max(widths) <= A4_CSS_PX["width"] + 1, widths

    out = screenshots.parent / "print"
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / "simulator-a4.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=True))
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "simulator-a4")],
            check=True,
            timeout=60,
        )
    page.emulate_media(media="screen")
