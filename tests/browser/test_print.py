"""Printing the Simulator and the Overview: the Print button lays the page out at A4's printable
width, and in print the results, the levers as text, the tables and the charts show, each chart
within the page with its title whole, while the sidebar, every control and the lever cards are
hidden; the A4 PDFs are kept for a look (and as PNGs when pdftoppm is installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scoring.share import LeverState, ScenarioState, encode_link
from tests.browser.test_main_flow import _settle

pytestmark = pytest.mark.browser

# A4 is 210 mm wide; page.css prints with 12 mm margins: 186 mm at 96 px per inch.
PRINTABLE_PX = 186 / 25.4 * 96
EDUCATION = ScenarioState(
    levers=(LeverState(target="Education Department, Bihar", kind="add", value=50_000),)
)
CONTROLS = (
    "stSidebar",
    "stHeader",
    "stNumberInput",
    "stTextInput",
    "stMultiSelect",
    "stButton",
    "stDownloadButton",
    "stSelectbox",
    "stRadio",
    "stExpander",
    "stToggle",
    "stTooltipHoverTarget",
)
# Anything a reader could click or type into, wherever it sits in the page.
INTERACTIVE = "input, select, textarea, button, [role=button], [role=combobox], [role=slider]"


def _visible(page: Any, selector: str) -> list[str]:
    """What each visible element matching `selector` in the main area is (label or test id)."""
    return list(
        page.evaluate(
            """(sel) => [...document.querySelectorAll(sel)]
                .filter(e => e.getClientRects().length && getComputedStyle(e).display !== 'none'
                        && getComputedStyle(e).visibility !== 'hidden')
                .map(e => e.getAttribute('aria-label') || e.dataset.testid || e.tagName)""",
            selector,
        )
    )


def _charts(page: Any) -> list[dict[str, Any]]:
    """Each visible chart's drawing width and title, and whether the title lies inside it."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                .filter(e => e.getClientRects().length).map(e => {
                  const g = e.querySelector('svg.marks, canvas');
                  const box = g.getBoundingClientRect();
                  const title = g.querySelector('.role-title-text');
                  const t = title ? title.getBoundingClientRect() : null;
                  return {width: box.width, title: title ? title.textContent : '',
                          inside: !!t && t.left >= box.left - 1 && t.right <= box.right + 1};
                })"""
        )
    )


def _print(page: Any, name: str, screenshots: Path) -> None:
    """Press Print (the dialogue itself stubbed: page.pdf prints), check the print layout, and
    keep the A4 PDF and its pages as PNGs."""
    from playwright.sync_api import expect

    expect(page.locator("button.igot-print")).to_be_visible()
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.locator("button.igot-print").click()
    page.wait_for_function("() => window.printed > 0", timeout=10_000)
    assert page.evaluate("() => document.documentElement.classList.contains('igot-printing')")
    _settle(page)  # Streamlit draws the charts again at the narrower width
    page.emulate_media(media="print")
    _settle(page)

    width = page.evaluate(
        "() => document.querySelector('[data-testid=stMainBlockContainer]')"
        ".getBoundingClientRect().width"
    )
    assert abs(width - PRINTABLE_PX) < 2, width
    for control in CONTROLS:
        assert not _visible(page, f'[data-testid="{control}"]'), f"{control} shows in print"
    assert not _visible(page, f"[data-testid=stMain] :is({INTERACTIVE})")
    assert not page.locator("button.igot-print").is_visible()
    charts = _charts(page)
    assert len(charts) >= 2, charts
    for chart in charts:
        assert chart["width"] <= PRINTABLE_PX + 1, chart
        assert chart["title"] and chart["inside"], chart
    tables = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stTable"]')]
            .filter(e => e.getClientRects().length).map(e => e.scrollWidth - e.clientWidth)"""
    )
    assert all(extra <= 1 for extra in tables), tables

    out = screenshots.parent / "print"
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / f"{name}-a4.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=True))
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftoppm"):
        for old in out.glob(f"{name}-a4-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(out / f"{name}-a4")],
            check=True,
            timeout=60,
        )
    page.emulate_media(media="screen")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert not page.evaluate("() => document.documentElement.classList.contains('igot-printing')")


def test_simulator_prints_results_levers_and_charts_without_controls(
    page: Any, app_url: str, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/simulator?scenario={encode_link(EDUCATION)}")
    page.get_by_role("heading", level=1).first.wait_for()
    _settle(page)
    expect(page.get_by_test_id("stMetricValue").filter(has_text="7 of 9")).to_be_visible()
    page.get_by_role("button", name="Find the fewest completers").click()
    _settle(page)
    # On screen the lever is a card to edit, and its line for paper is hidden.
    assert _visible(page, '[class*="st-key-sim_lever_cards_no_print"]')
    assert not _visible(page, '[class*="st-key-sim_levers_print_only"]')

    _print(page, "simulator", screenshots)
    page.emulate_media(media="print")
    assert len(_visible(page, '[data-testid="stMetric"]')) >= 3
    assert not _visible(page, '[class*="_no_print"]')  # lever cards, preset buttons
    levers = page.locator('[class*="st-key-sim_levers_print_only"]').inner_text()
    assert levers.strip() == "Education Department, Bihar: Extra completers: 50,000"
    titles = [c["title"] for c in _charts(page)]
    assert "Category C: published and simulated score" in titles
    assert "Where the plan puts the extra completers" in titles
    page.emulate_media(media="screen")


def test_overview_prints_figures_table_and_charts(
    page: Any, app_url: str, screenshots: Path
) -> None:
    page.goto(app_url)
    page.get_by_role("heading", level=1).first.wait_for()
    _settle(page)
    _print(page, "overview", screenshots)
    page.emulate_media(media="print")
    titles = [c["title"] for c in _charts(page)]
    assert titles == ["Category C: published composite score", "KPI sub-scores of BIHAR"]
    # The KPI table is whole on paper, its last column included.
    table = page.locator(".st-key-overview_kpi_table table")
    assert "Weight" in table.inner_text()
    page.emulate_media(media="screen")
