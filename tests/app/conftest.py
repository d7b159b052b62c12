"""Shared AppTest helpers: start the app from its entry point and open one page."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
# app.py turns unexpected page errors into a friendly message unless this is set; tests want the
# real exception in `at.exception`.
os.environ.setdefault("IGOT_DEBUG", "1")


def open_app(lang: str = "en") -> AppTest:
    """The app run once on its default page (the overview), sidebar included."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(page: str, lang: str = "en", **state: object) -> AppTest:
    """The app run once, then switched to `app_pages/<page>.py` (language and state set first)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def page() -> Callable[..., AppTest]:
    return open_page


@pytest.fixture
def app() -> Callable[..., AppTest]:
    return open_app


@pytest.fixture
def page_text() -> Callable[[AppTest], str]:
    return texts


def texts(at: AppTest) -> str:
    """Every piece of text the page shows, joined, for 'is this figure on the page' checks."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
    ):
        parts.extend(str(element.value) for element in getattr(at, kind))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)


def table(at: AppTest, *columns: str):
    """The first table on the page having all these columns (AppTest keeps no dataframe keys)."""
    for element in at.dataframe:
        frame = element.value
        if all(c in frame.columns for c in columns):
            return frame
    raise AssertionError(f"no table with columns {columns}")


@pytest.fixture
def find_table() -> Callable[..., object]:
    return table
