"""WCAG 2.1 A/AA (what GIGW 3.0 asks for) on every page in both languages, checked by axe-core
(npm, tools/axe) in Chromium; the violations by page and rule go to
test-artifacts/axe-results.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_main_flow import _settle
from tests.browser.test_print import EDUCATION, encode_link

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Every page as it opens, and the Simulator with a lever (its lever card, results and charts).
PAGES = (
    "",
    "simulator",
    f"simulator?scenario={encode_link(EDUCATION)}",
    "departments",
    "weights",
    "sensitivity",
    "scenarios",
    "data",
)
LANGS = {"en": "English", "hi": "हिन्दी"}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,"
        " html: n.html.slice(0, 200)}))}))",
        TAGS,
    )
    return list(result)


def _open(page: Any, app_url: str, path: str, lang: str) -> None:
    page.goto(f"{app_url}/{path}")
    page.get_by_role("heading", level=1).first.wait_for()
    _settle(page)
    if lang != "en":
        select = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input')
        option = page.get_by_role("option").filter(has_text=LANGS[lang]).first
        for _ in range(5):
            select.click()
            try:
                option.wait_for(timeout=3_000)
            except Exception:  # the menu did not open while the page moved: again
                page.keyboard.press("Escape")
                continue
            option.click()
            break
        _settle(page)
        page.wait_for_timeout(500)


def survey(page: Any, app_url: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{lang: {page: violations}} over every page in both languages."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for lang in LANGS:
        for path in PAGES:
            _open(page, app_url, path, lang)
            found.setdefault(lang, {})[path.split("=")[0] or "overview"] = axe_violations(page)
    return found


def counts(found: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, dict[str, int]]:
    """Failing elements by "lang/page" and rule."""
    return {
        f"{lang}/{name}": dict(Counter({v["id"]: len(v["nodes"]) for v in violations}))
        for lang, pages in found.items()
        for name, violations in pages.items()
    }


def test_every_page_meets_wcag_21_aa_in_both_languages(page: Any, app_url: str) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tools/axe`")
    found = survey(page, app_url)
    out = ROOT / "test-artifacts" / "axe-results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(found, indent=2, ensure_ascii=False))
    failing = {where: rules for where, rules in counts(found).items() if rules}
    assert not failing, f"WCAG 2.1 A/AA violations (elements by rule; details in {out}): {failing}"
