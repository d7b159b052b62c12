"""Shared AppTest helpers: start the app from its entry point and open one page."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring.config import load_config
from scoring.data import load_dataset
from scoring.db import ENV_PATH, forget_databases
from scoring.engine import build_model
from scoring.goal import GoalResult, goal_seek
from scoring.share import ScenarioState
from tests.app.hostile import shown_cells

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
    scenario = {k: state.pop(k) for k in ("levers", "assumptions", "weights") if k in state}
    if scenario:
        at.session_state["scenario"] = scenario_state(**scenario)  # type: ignore[arg-type]
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
    """The first table on the page having all these columns, a data grid (st.dataframe) or a
    plain table (st.table) alike (AppTest keeps no dataframe keys)."""
    frames = [element.value for element in at.dataframe]
    # A plain table's text went through text.plain_cells: read as it is shown.
    frames += [shown_cells(element.value) for element in at.table]
    for frame in frames:
        if all(c in frame.columns for c in columns):
            return frame
    raise AssertionError(f"no table with columns {columns}")


@pytest.fixture
def find_table() -> Callable[..., object]:
    return table


# --- the session's scenario, as tests set and read it ------------------------------------------


def scenario_state(
    levers: list[dict[str, object]] | None = None,
    assumptions: dict[str, object] | None = None,
    weights: dict[str, float] | None = None,
) -> ScenarioState:
    """A ScenarioState for `at.session_state["scenario"]` from plain lever dicts."""
    return ScenarioState.model_validate(
        {"levers": levers or [], "assumptions": assumptions, "weights": weights}
    )


def levers_of(at: AppTest) -> list[dict[str, object]]:
    """The session's levers as plain dicts ({"target", "kind", "value"})."""
    return [lv.model_dump() for lv in at.session_state["scenario"].levers]


def assumptions_of(at: AppTest) -> dict[str, object] | None:
    return at.session_state["scenario"].assumptions


def weights_of(at: AppTest) -> dict[str, float] | None:
    return at.session_state["scenario"].weights


def goal_result_of(at: AppTest) -> GoalResult:
    """The result of the session's goal under the default model and the bundled data."""
    target = at.session_state["goal_request"]
    return goal_seek(build_model(load_config(), load_dataset()), target)


class CountField:
    """A count's text box (app_ui/widgets/counts.py: it shows 50,000) read as a number and set
    as a person types it, in the shape of AppTest's number_input."""

    def __init__(self, at: AppTest, key: str) -> None:
        self.at = at
        self.widget = at.text_input(key=key)

    @property
    def value(self) -> int:
        return int(str(self.widget.value).replace(",", ""))

    def set_value(self, value: int | str) -> CountField:
        self.widget.input(str(value))
        return self

    def run(self) -> AppTest:
        return self.at.run()


def count_input(at: AppTest, key: str) -> CountField:
    return CountField(at, key)


@pytest.fixture
def own_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A database of the test's own (its path), seeded with the bundled December edition on
    first use; the process forgets it afterwards."""
    path = tmp_path / "igot.sqlite"
    monkeypatch.setenv(ENV_PATH, str(path))
    yield path
    forget_databases()
