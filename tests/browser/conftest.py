"""Browser fixtures: the app served by `streamlit run` on a free port, and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def serve_app(name: str) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` on a free 127.0.0.1 port: yields (url, pid); always stopped."""
    port = _free_port()
    log = ROOT / "test-artifacts" / f"streamlit-{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    database = ROOT / "test-artifacts" / f"{name}.sqlite"
    for stale in database.parent.glob(f"{database.name}*"):
        stale.unlink()
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
                # Edits to the sources while the test runs must not change what it sees.
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            # Saved scenarios of the test go to a throw-away database, not the app's own.
            env={**os.environ, "IGOT_SCENARIO_DB": str(database)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT
            while not _healthy(f"{url}/_stcore/health"):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the app did not start; see {log}:\n{log.read_text()[-2000:]}")
                time.sleep(0.5)
            yield url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with serve_app("browser") as (url, _):
        yield url


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
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
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
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
