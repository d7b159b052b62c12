"""Sensitivity's calibration view, "From BIHAR's own months": with the bundled edition alone it
says what is needed; with three editions it shows the editions used, the fitted weights beside the
configured ones with their ranges, the score changes, and puts the fitted weights in use."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_ui import auth
from scoring import editions as ed
from scoring.config import load_config
from scoring.data import load_dataset
from scoring.db import sqlite_url
from scoring.month_calibration import calibrate_months
from scoring.robustness import fitted_weights
from tests.app.conftest import open_page, texts, weights_of
from tests.app.users import PLANNER, ROLES_FILE, VIEWER, sign_in
from tests.scoring.test_month_calibration import publish_months, table_files

APP = str(Path(__file__).resolve().parents[2] / "app.py")
REFUSED = "Not allowed: your role (Viewer) may not change the model's weights."


# Each test on a database of its own (tests/app/conftest.py).
pytestmark = pytest.mark.usefixtures("own_database")


def _calibration(lang: str = "en", user: dict[str, object] | None = None) -> AppTest:
    if user is None:
        at = open_page("sensitivity", lang=lang)
    else:
        at = sign_in(AppTest.from_file(APP, default_timeout=60), user)
        at.session_state["lang"] = lang
        at.run()
        at.switch_page("app_pages/sensitivity.py").run()
    at.segmented_control(key="sens_view").set_value("calibration").run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, column: str) -> dict[str, list[str]]:
    frame = next(d.value for d in at.dataframe if column in d.value.columns)
    return {c: [str(v) for v in frame[c]] for c in frame.columns}


def test_one_edition_says_what_is_needed(own_database: Path) -> None:
    # A ranking alone and a department table alone do not count: the months need both.
    database = ed.open_editions(sqlite_url(own_database))
    december = load_dataset()
    ranking = december.ranking[["state", "category", "score"]].to_csv(index=False).encode()
    ed.publish(database, ed.prepare(ranking=("r.csv", ranking)), "2025-10-31")
    _, table, totals = table_files(december.departments.frame)
    ed.publish(database, ed.prepare(departments=table, totals=totals), "2025-11-30")
    at = _calibration()
    assert "From BIHAR's own months" in [s.value for s in at.subheader]
    assert [i.value for i in at.info if "two or more editions" in i.value] == [
        "This needs two or more editions with both a ranking and a department table of the same "
        "date; there is 1: 31 Dec 2025."
    ]
    assert not any("Least" in d.value.columns for d in at.dataframe)
    hindi = _calibration("hi")
    assert "बिहार के अपने महीनों से" in [s.value for s in hindi.subheader]
    assert any("अभी 1 है: 31 दिसंबर 2025।" in i.value for i in hindi.info), [
        i.value for i in hindi.info
    ]


def test_three_editions_fit_and_the_weights_can_be_used(own_database: Path) -> None:
    config, dataset = load_config(), load_dataset()
    database = ed.open_editions(sqlite_url(own_database))
    published = publish_months(database, dataset, config, 2, seed=5)
    fit = calibrate_months(database, config)
    at = _calibration()
    body = texts(at).replace("\\", "").replace("\u2060", "")  # as plain() escaped it
    assert (
        "Used 3 editions: 31 Oct 2025, 30 Nov 2025, 31 Dec 2025. Score changes between "
        "consecutive editions: 2." in body
    )
    warning = " ".join(w.value for w in at.warning)
    assert "2 score changes cannot fix 7 weights" in warning and "7 editions are needed" in warning
    weights = _table(at, "Least")
    assert weights["Current weight"] == ["15.0", "20.0", "20.0", "15.0", "12.0", "8.0", "10.0"]
    assert weights["Fitted weight"] == [f"{w:,.1f}" for w in fit.weights]
    assert weights["Least"] == [f"{v:.1f}" for v in fit.identification.ranges[:, 0]]
    assert weights["Greatest"] == [f"{v:.1f}" for v in fit.identification.ranges[:, 1]]
    changes = _table(at, "Published change")
    scores = [s for _, s in published]
    expected = [round(b - a, 2) for a, b in itertools.pairwise(scores)]
    assert changes["Published change"] == [f"{v:+.2f}" if v > 0 else f"{v:.2f}" for v in expected]
    assert changes["From"] == ["31 Oct 2025", "30 Nov 2025"]
    at.button(key="sens_use_month_fitted").click().run()
    assert not at.exception, at.exception
    assert weights_of(at) == fitted_weights(fit, config)
    assert any("fitted weights are now used" in s.value for s in at.success)


@pytest.fixture
def _roles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("IGOT_ROLES_FILE", str(ROLES_FILE))
    auth._roles.clear()
    yield
    auth._roles.clear()


@pytest.mark.usefixtures("_roles")
def test_a_viewer_cannot_put_the_fitted_weights_in_use(own_database: Path) -> None:
    config, dataset = load_config(), load_dataset()
    publish_months(ed.open_editions(sqlite_url(own_database)), dataset, config, 1, seed=5)
    viewer = _calibration(user=VIEWER)
    assert viewer.button(key="sens_use_month_fitted").disabled
    # Drawn for a planner, clicked once the session is a viewer's: refused on the server.
    at = _calibration(user=PLANNER)
    assert not at.button(key="sens_use_month_fitted").disabled
    at.user = VIEWER
    at.button(key="sens_use_month_fitted").click().run()
    assert not at.exception, at.exception
    assert any(REFUSED in e.value.replace("\\", "") for e in at.error)
    assert weights_of(at) is None
