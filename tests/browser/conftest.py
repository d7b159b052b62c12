"""Browser fixtures: the app served by `streamlit run` on a free port, and Debian's Chromium."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from app_ui.export.browser import CHROMIUM, launch_options
from tools.appserver import AppDidNotStart, serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@contextmanager
def serve_app(name: str) -> Iterator[tuple[str, int]]:
    """The app on a free 127.0.0.1 port: yields (url, pid); always stopped."""
    log = ROOT / "test-artifacts" / f"streamlit-{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    database = ROOT / "test-artifacts" / f"{name}.sqlite"
    for stale in database.parent.glob(f"{database.name}*"):
        stale.unlink()
    # Saved scenarios of the test go to a throw-away database, not the app's own.
    try:
        with serve(
            env={"IGOT_SCENARIO_DB": str(database), "IGOT_WARM_EXPORTS": "1"}, log=log
        ) as running:
            yield running.url, running.pid
    except AppDidNotStart as exc:  # raised only while starting, before the yield
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def shared_app() -> Iterator[tuple[str, int]]:
    """The app as `make run` serves it, shared by the session's tests: (url, pid)."""
    with serve_app("browser") as running:
        yield running


@pytest.fixture(scope="session")
def app_url(shared_app: tuple[str, int]) -> str:
    return shared_app[0]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (run `make browser-deps`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object, app_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def app_server() -> Callable[[str], AbstractContextManager[tuple[str, int]]]:
    """Start a dedicated app server: `with app_server("name") as (url, pid): ...`."""
    return serve_app


@pytest.fixture(scope="session")
def chromium_launch() -> dict[str, object]:
    """Keyword arguments for playwright's chromium.launch (sync or async)."""
    require_chromium()
    return launch_options()
