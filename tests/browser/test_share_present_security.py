"""Browser: a shared link restores a scenario, presenter mode fits a projector, hostile links are
refused politely, and nothing from data or users is ever executed as HTML or script."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import build_model, simulate
from scoring.scenario import Lever, LeverKind, Scenario
from scoring.share import LeverState, ScenarioState, encode_link

EDUCATION = ScenarioState(
    levers=(LeverState(target="Education Department, Bihar", kind="add", value=50_000),)
)
XSS = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"


def _expected_score() -> str:
    model = build_model(load_config(), load_dataset())
    result = simulate(
        model, Scenario((Lever("Education Department, Bihar", LeverKind.ADD, 50_000),))
    )
    return f"{result.score:.2f}"


def _settle(page: Any) -> None:
    page.wait_for_timeout(600)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(400)


def test_shared_link_then_presenter_mode(page: Any, app_url: str, screenshots: Path) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/simulator?scenario={encode_link(EDUCATION)}")
    metrics = page.get_by_test_id("stMetricValue")
    expect(metrics.filter(has_text=_expected_score()).first).to_be_visible(timeout=60_000)
    expect(metrics.filter(has_text="7 of 9").first).to_be_visible()
    expect(page.locator(".st-key-sim_targets")).to_be_visible()

    page.get_by_test_id("stSidebar").get_by_text("Presenter mode").click()
    _settle(page)
    expect(page.locator(".st-key-sim_targets")).to_be_hidden()  # editing controls hidden
    expect(metrics.filter(has_text=_expected_score()).first).to_be_visible()
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        _settle(page)
        page.screenshot(path=str(screenshots / f"presenter-simulator-{width}x{height}.png"))
    size = page.get_by_test_id("stMetricValue").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 50, size  # projector-sized numbers


def test_a_hostile_link_is_refused_and_the_baseline_kept(page: Any, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/simulator?scenario=%3Cscript%3Ealert(1)%3C/script%3E")
    expect(page.get_by_test_id("stAlertContentWarning").first).to_be_visible(timeout=60_000)
    metrics = page.get_by_test_id("stMetricValue")
    expect(metrics.filter(has_text="39.09").first).to_be_visible()
    assert not page.get_by_test_id("stException").count()


def test_nothing_from_data_or_users_executes(page: Any, app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    columns = (
        "department,mdo,onboarded,active,user_completions,enrolments,completions,hours,"
        "attempted,passed"
    )
    hostile = tmp_path / "departments.csv"
    hostile.write_text(
        f'{columns}\n"{XSS.replace(chr(34), chr(34) * 2)}",{SCRIPT},100,60,50,200,150,120,100,80\n'
        "Dept B,Unit B,10,2,1,10,5,4,4,2\n",
        encoding="utf-8",
    )
    page.goto(app_url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Data").click()
    _settle(page)
    page.get_by_role("tab", name=re.compile("department", re.IGNORECASE)).click()
    page.locator(".st-key-data_departments_file input[type=file]").set_input_files(str(hostile))
    _settle(page)
    page.locator(".st-key-data_use_departments button").click()
    _settle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Departments").click()
    _settle(page)
    expect(page.get_by_text(re.compile("Departments")).first).to_be_visible()

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Saved scenarios").click()
    _settle(page)
    page.locator(".st-key-scn_name input").fill(XSS + SCRIPT)
    page.locator(".st-key-scn_save button").click()
    _settle(page)
    expect(page.get_by_text(XSS + SCRIPT).first).to_be_attached()  # shown as text

    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert not page.get_by_test_id("stException").count()
