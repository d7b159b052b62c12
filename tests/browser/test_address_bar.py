"""Work that survives, in a real browser: a lever change is in the address bar, so reload (F5)
and the Back and Forward buttons restore it exactly; Undo (button and Alt+Z) and Redo."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

EDUCATION = "Education Department, Bihar"


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !/Running|Stop/.test(document.querySelector('[data-testid=\"stStatusWidget\"]')"
        ".innerText)",
        timeout=60_000,
    )
    page.wait_for_timeout(600)


def _expect_position(page: Any, score: str, rank: str) -> None:
    from playwright.sync_api import expect

    values = page.get_by_test_id("stMetricValue")
    expect(values.filter(has_text=re.compile(rf"^{re.escape(score)}$")).first).to_be_visible()
    expect(values.filter(has_text=rank).first).to_be_visible()


def _set_education(page: Any, value: int) -> None:
    amount = page.get_by_label("Extra users who complete courses")
    amount.fill(str(value))
    amount.press("Enter")
    _settle(page)


def test_reload_back_forward_and_undo_keep_the_scenario(page: Any, app_url: str) -> None:
    page.goto(f"{app_url}/simulator")
    page.get_by_role("heading", name="Rank simulator").wait_for()
    _settle(page)
    _expect_position(page, "39.09", "8 of 9")
    assert "scenario=" not in page.url  # the published position keeps a bare address

    targets = page.locator(".st-key-sim_targets input")
    targets.click()
    targets.fill("Education Department")
    page.get_by_role("option", name=re.compile("^Education Department, Bihar")).first.click()
    page.keyboard.press("Escape")
    _settle(page)
    _set_education(page, 50_000)
    _expect_position(page, "42.15", "7 of 9")
    assert "scenario=" in page.url
    fifty = page.url

    # F5: a new session, restored from the address bar.
    page.reload()
    page.get_by_role("heading", name="Rank simulator").wait_for()
    _settle(page)
    _expect_position(page, "42.15", "7 of 9")
    assert page.url == fifty

    # Another change (exactly one new history entry), then the browser's Back and Forward.
    entries = page.evaluate("() => history.length")
    _set_education(page, 20_000)
    assert page.evaluate("() => history.length") == entries + 1
    assert page.url != fifty
    twenty = page.url
    score_twenty = page.get_by_test_id("stMetricValue").first.inner_text()
    assert score_twenty != "42.15"
    page.go_back()
    _settle(page)
    _expect_position(page, "42.15", "7 of 9")
    assert page.url == fifty
    page.go_forward()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")
    assert page.url == twenty

    # Undo by keyboard (Alt+Z), Redo by its button; both move the address bar too.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Alt+z")
    _settle(page)
    _expect_position(page, "42.15", "7 of 9")
    assert page.url == fifty
    page.get_by_role("button", name=re.compile("Redo")).click()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")

    # Clear levers, then Undo: the levers are back, and a reload keeps them.
    page.get_by_role("button", name="Clear levers").click()
    _settle(page)
    _expect_position(page, "39.09", "8 of 9")
    assert "scenario=" not in page.url
    page.get_by_role("button", name=re.compile("Undo")).click()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")
    page.reload()
    page.get_by_role("heading", name="Rank simulator").wait_for()
    _settle(page)
    _expect_position(page, score_twenty, "of 9")
    assert not page.get_by_test_id("stException").count()


def _upload_model(page: Any, name: str, text: str) -> None:
    from playwright.sync_api import expect

    page.locator('[data-testid="stSidebarNav"] a', has_text="Weights").first.click()
    _settle(page)
    upload = page.locator(".st-key-w_upload input[type=file]")
    upload.set_input_files(
        files=[{"name": name, "mimeType": "application/x-yaml", "buffer": text.encode()}]
    )
    _settle(page)
    # plain() may escape the dot of the name for Markdown; the text shown reads the same.
    stem, suffix = name.rsplit(".", 1)
    accepted = re.compile(rf"Model file {re.escape(stem)}\.\W?{suffix} accepted and in use\.")
    expect(page.get_by_text(accepted)).to_be_visible()


def test_links_under_an_uploaded_model(page: Any, browser: Any, app_url: str) -> None:
    """The sender uploads a model file and sets a lever; a recipient in another browser context
    (a new session: the bundled model) opens the address: same figures for a same-shape model,
    a warning for a model of another shape."""
    from playwright.sync_api import expect

    from scoring.config import dump_config, load_config, parse_config

    heavier = load_config().with_weights({"completer_rate": 40})
    page.goto(f"{app_url}/simulator?scenario={_education_link()}")
    page.get_by_role("heading", name="Rank simulator").wait_for()
    _settle(page)
    _expect_position(page, "42.15", "7 of 9")
    _upload_model(page, "heavier.yaml", dump_config(heavier))
    page.locator('[data-testid="stSidebarNav"] a', has_text="Simulator").first.click()
    _settle(page)
    _expect_position(page, "42.24", "7 of 9")  # the sender, under the uploaded model
    recipient = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        other = recipient.new_page()
        other.goto(page.url)
        other.get_by_role("heading", name="Rank simulator").wait_for()
        _settle(other)
        _expect_position(other, "42.24", "7 of 9")  # was 42.15 before: silently different
        assert not other.get_by_text("made under another model file").count()

        data = load_config().model_dump(mode="json")
        for kpi in data["kpis"]:
            if kpi["id"] == "completions_per_user":
                kpi["subscore"]["target"] = 1.0
        _upload_model(
            page, "other.yaml", dump_config(parse_config(data).with_weights({"completer_rate": 40}))
        )
        page.locator('[data-testid="stSidebarNav"] a', has_text="Simulator").first.click()
        _settle(page)
        _expect_position(page, "42.84", "7 of 9")
        assert "model=" in page.url
        other.goto(page.url)
        other.get_by_role("heading", name="Rank simulator").wait_for()
        _settle(other)
        _expect_position(other, "42.24", "7 of 9")
        expect(other.get_by_text(re.compile("made under another model file")).first).to_be_visible()
    finally:
        recipient.close()


def _education_link() -> str:
    from scoring.share import LeverState, ScenarioState, encode_link

    lever = LeverState(target=EDUCATION, kind="add", value=50_000)
    return encode_link(ScenarioState(levers=(lever,)))
