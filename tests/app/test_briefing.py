"""The HTML briefing: key numbers, escaping, offline in Chromium; plan files as CSV and Excel."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app_ui.export.briefing import PlanNote, Provenance, briefing_html, plan_csv, plan_xlsx
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
    # The plan, then (with a note) a blank line and the note: here without one.
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


def test_caveat_comes_first_then_weights_name_and_dates(
    model: Model, result: SimulationResult, goal: GoalResult
) -> None:
    page = briefing_html(
        "en",
        model,
        result,
        goal,
        None,
        provenance=Provenance(name="Home push", saved_at="2026-01-05T10:20:00"),
        made_on=dt.date(2026, 1, 7),
    )
    body = page[page.index("<body>") :]
    caveat = body.index("Estimates, not official figures.")
    assert caveat < body.index("Key numbers") and caveat < body.index('<p class="meta">')
    assert "Scenario: Home push (saved 5 Jan 2026)" in page
    assert "Briefing made on 7 Jan 2026" in page
    # The weights in use: completers per onboarded user has 20 of the 100 weight points.
    assert "KPI weights in use" in page
    assert re.search(
        r"Course completions per onboarded user[^<]*</td><td>Consumption</td>"
        r"<td class=\"num\">20</td><td class=\"num\">20.0%</td>",
        page,
    )
    assert "This plan was made for the scenario “Home push”" in page


def test_goal_wording_for_a_state_to_pass(model: Model, result: SimulationResult) -> None:
    beat = goal_seek(model, GoalTarget(beat="Tamil Nadu"))
    english = briefing_html("en", model, result, beat, None)
    hindi = briefing_html("hi", model, result, beat, None)
    extra = f"{beat.extra_completers:,}"  # the figure is goal seek's (tests/scoring/test_goal)
    assert f"To pass TAMIL NADU: {extra} extra completers" in english
    assert "To reach passing" not in english
    assert "TAMIL NADU से आगे निकलने के लिए:" in hindi
    assert "निकलना तक" not in hindi


def test_plan_made_elsewhere_is_said_not_shown(model: Model, result: SimulationResult) -> None:
    page = briefing_html(
        "en", model, result, None, None, provenance=Provenance(plan_elsewhere=True)
    )
    assert "made for another scenario" in page
    assert "Unit (MDO)" not in page


def test_plan_files_carry_a_note(model: Model, goal: GoalResult) -> None:
    note = PlanNote(model=model, scenario_name="=Home push", made_on=dt.date(2026, 1, 7))
    rows = list(csv.reader(io.StringIO(plan_csv(goal, "en", note).decode("utf-8-sig"))))
    blank = rows.index([])
    assert blank == len(goal.plan) + 1  # the plan first, untouched
    about = dict(rows[blank + 2 :])
    assert rows[blank + 1] == ["Item", "Value"]
    assert about["Goal"] == "Rank 7"
    assert about["Scenario the plan was made for"] == "'=Home push"  # defused
    assert about["File made on"] == "2026-01-07"
    assert about["Data as on"] == "2025-12-31"
    assert about["Extra completers in the plan"] == f"{goal.extra_completers:,}"
    assert about["Weight: Course completions per onboarded user (target 2)"] == "20 (20.0%)"

    book = load_workbook(io.BytesIO(plan_xlsx(goal, "en", note)))
    assert book.sheetnames == ["Plan", "About"]
    sheet = book["About"]
    values = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
        for r in range(2, sheet.max_row + 1)
    }
    assert values["Goal"] == "Rank 7" and values["Data as on"] == "2025-12-31"
    assert values["Scenario the plan was made for"] == "=Home push"
    assert sheet.cell(row=3, column=2).data_type == "s"  # text, never a formula


def test_briefing_carries_the_chance_and_the_margin(model: Model, result: SimulationResult) -> None:
    """Education +50,000: rank 7 in all 20,000 plausible weightings, 1.76 points above Tamil
    Nadu; the plan to pass Tamil Nadu (3,328, proven fewest) lands on the 40.40 needed and holds
    in 29% of them, said under the goal."""
    from scoring.chance import chance_of_rank, chance_of_score, wilson

    beat = goal_seek(model, GoalTarget(beat="Tamil Nadu"))
    hits, draws = chance_of_score(model, beat.allocation, beat.needed_score)
    page = briefing_html(
        "en",
        model,
        result,
        beat,
        None,
        chance=chance_of_rank(model, result.additions.added),
        goal_chance=(hits / draws, wilson(hits, draws)),
    )
    assert page.index("Estimates, not official figures.") < page.index("Chance of this rank")
    assert '<div class="label">Chance of this rank</div><div class="value">100%</div>' in page
    assert "1.76 points above TAMIL NADU (40.39)." in page
    assert (
        "Chance of the goal over plausible weightings: 29% (95% interval 28.3% to 29.5%); the "
        "plan&#x27;s score is 0.00 points above the 40.40 needed." in page
    )
    assert "Proven minimal: no plan with fewer extra completers" in page
    hindi = briefing_html(
        "hi", model, result, beat, None, chance=chance_of_rank(model, result.additions.added)
    )
    assert "इस रैंक की संभावना" in hindi and "TAMIL NADU (40.39) से 1.76 अंक ऊपर।" in hindi


def test_plan_files_carry_the_chance_and_the_margin(model: Model) -> None:
    from scoring.chance import chance_of_score, wilson

    beat = goal_seek(model, GoalTarget(beat="Tamil Nadu"))
    hits, draws = chance_of_score(model, beat.allocation, beat.needed_score)
    note = PlanNote(model=model, chance=(hits / draws, wilson(hits, draws)))
    rows = list(csv.reader(io.StringIO(plan_csv(beat, "en", note).decode("utf-8-sig"))))
    about = dict(rows[rows.index([]) + 2 :])
    assert about["Chance of the goal over plausible weightings"] == "28.9%"
    assert about["Chance's 95% interval"] == "28.3% - 29.5%"
    assert about["Points above the score needed"] == "0.00"
    assert about["Proven the fewest"] == "Yes"
    book = load_workbook(io.BytesIO(plan_xlsx(beat, "hi", note)))
    sheet = book.worksheets[1]
    values = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
        for r in range(2, sheet.max_row + 1)
    }
    assert values["संभावित भारों पर लक्ष्य की संभावना"] == "28.9%"
    assert values["न्यूनतम सिद्ध"] == "हाँ"
