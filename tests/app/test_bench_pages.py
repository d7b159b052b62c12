"""The benchmark's two floor pages draw their widget and answer a change, so `make bench` never
measures a page that silently broke."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

TOOLS = Path(__file__).resolve().parents[2] / "tools"


@pytest.mark.parametrize("script", ["bench_floor_app.py", "bench_shell_app.py"])
def test_floor_page_doubles_the_value(script: str) -> None:
    at = AppTest.from_file(str(TOOLS / script), default_timeout=30).run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["0"]
    at.number_input(key="value").set_value(1234).run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["2,468"]


def test_shell_page_has_the_apps_shape() -> None:
    """Sidebar controls and a title, like app.py."""
    at = AppTest.from_file(str(TOOLS / "bench_shell_app.py"), default_timeout=30).run()
    assert at.sidebar.selectbox(key="lang").value == "English"
    assert at.sidebar.toggle(key="presenter").value is False
    assert [t.value for t in at.title] == ["Rank simulator"]
