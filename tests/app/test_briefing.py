"""The HTML briefing: key numbers, escaping, offline in Chromium; plan files as CSV and Excel."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app_ui.export.briefing import briefing_html, plan_csv, plan_xlsx
from app_ui.export.browser import launch_options
from scoring.engine import Model, SimulationResult, simulate
from scoring.goal import GoalResult, GoalTarget, goal_seek
from scoring.scenario import Lever, LeverKind, Scenario

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
HOSTILE = '<img src=x onerror="alert(1)">&"Dept"'
FORMULA = '=HYPERLINK("https://evil.example","x")'
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.fixture(scope="module")
def result(model: Model) -> SimulationResult:
    return simulate(model, Scenario((Lever("Education Department, Bihar", LeverKind.ADD, 50_000),)))


@pytest.fixture(scope="module")
def goal(model: Model) -> GoalResult:
    found = goal_seek(model, GoalTarget(rank=7))
    plan = found.plan.copy()
    # Hostile names, as an uploaded department table could hold them.
    plan.loc[0, "department"] = HOSTILE
    plan.loc[0, "mdo"] = FORMULA
    return dataclasses.replace(found, plan=plan)


@pytest.fixture(scope="module")
def pages(model: Model, result: SimulationResult, goal: GoalResult) -> dict[str, str]:
    return {
        lang: briefing_html(lang, model, result, goal, None, scenario_name="<b>Push</b> & co")
        for lang in ("en", "hi")
    }


def test_key_numbers(pages: dict[str, str]) -> None:
    page = pages["en"]
    assert "42.15" in page and "39.09" in page
    assert "7 of 9" in page and "Published rank: 8 of 9" in page
    assert "50,000" in page
    assert "Goal-seek plan" in page
    assert "What each KPI contributes" in page
    assert "Karmayogi Bharat does not publish its KPI formula" in page
    assert "Data as on 31 Dec 2025" in page


def test_everything_from_data_is_escaped(pages: dict[str, str]) -> None:
    for page in pages.values():
        assert HOSTILE not in page
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&quot;Dept&quot;" in page
        assert "<b>Push</b>" not in page and "&lt;b&gt;Push&lt;/b&gt; &amp; co" in page
        assert "<script" not in page.lower()
        assert "onerror=" not in page.replace("onerror=&quot;", "")


def test_no_external_reference(pages: dict[str, str]) -> None:
    for page in pages.values():
        assert "http://" not in page
        assert "https://" not in page.replace(FORMULA.replace('"', "&quot;"), "")
        assert not re.search(r"<(script|link|iframe|object|embed)\b", page, re.I)
        assert not re.search(r"<[^>]*\b(src|href)\s*=", page, re.I)
        assert "<svg" in page  # the chart is inline


def test_hindi_version_is_translated(pages: dict[str, str]) -> None:
    page = pages["hi"]
    headings = re.findall(r"<h[12]>(.*?)</h[12]>", page)
    assert headings and all(DEVANAGARI.search(h) for h in headings)
    assert "मुख्य आँकड़े" in page and "9 में से 7" in page
    assert 'lang="hi"' in page


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_opens_offline_in_chromium_without_requests(
    pages: dict[str, str], lang: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    path = tmp_path / f"briefing_{lang}.html"
    path.write_text(pages[lang], encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            assert page.locator("h1").inner_text().startswith("BIHAR")
            assert page.locator("svg").count() >= 1
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"briefing_{lang}.png"), full_page=True)
        finally:
            browser.close()
    others = [url for url in requests if not url.startswith(("file://", "data:"))]
    assert others == []
    assert requests == [path.as_uri()]


def test_briefing_without_goal_or_levers(model: Model) -> None:
    baseline = simulate(model, Scenario())
    page = briefing_html("en", model, baseline, None, {"courses_per_completer": 2})
    assert "39.09" in page and "8 of 9" in page
    assert "Goal-seek plan" not in page
    assert "No levers" in page


def test_plan_csv(goal: GoalResult) -> None:
    data = plan_csv(goal)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a byte-order mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["MDO id", "Department", "Unit (MDO)", "Extra completers"]
    assert len(rows) == len(goal.plan) + 1
    assert rows[1][1] == HOSTILE
    assert rows[1][2] == "'" + FORMULA  # never a live formula
    assert sum(int(r[3]) for r in rows[1:]) == goal.extra_completers


def test_plan_xlsx(goal: GoalResult) -> None:
    book = load_workbook(io.BytesIO(plan_xlsx(goal, "hi")))
    sheet = book.active
    assert sheet.title == "योजना"
    header = [c.value for c in sheet[1]]
    assert header[1] == "विभाग"
    assert sheet.cell(row=2, column=3).value == FORMULA
    assert sheet.cell(row=2, column=3).data_type == "s"
    total = sum(sheet.cell(row=r, column=4).value for r in range(2, sheet.max_row + 1))
    assert total == goal.extra_completers
