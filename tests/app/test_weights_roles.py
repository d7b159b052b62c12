"""Weights page with sign-in: a viewer sees the weights but cannot change them (inputs disabled AND
the change refused on the server, nothing changed), nor upload a model file; a planner can."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app_ui import auth
from scoring.config import dump_config, load_config
from tests.app.conftest import scenario_state, weights_of
from tests.app.users import PLANNER, ROLES_FILE, VIEWER, sign_in

APP = str(Path(__file__).resolve().parents[2] / "app.py")
EDUCATION_50K = [{"target": "Education Department, Bihar", "kind": "add", "value": 50_000}]
REFUSED = "Not allowed: your role (Viewer) may not change the model's weights."


@pytest.fixture(autouse=True)
def _roles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("IGOT_ROLES_FILE", str(ROLES_FILE))
    auth._roles.clear()
    yield
    auth._roles.clear()


def _weights_page(user: dict[str, Any], lang: str = "en") -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=60), user)
    at.session_state["lang"] = lang
    at.session_state["scenario"] = scenario_state(EDUCATION_50K)
    at.run()
    at.switch_page("app_pages/weights.py").run()
    assert not at.exception, at.exception
    return at


def _score(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Scenario score")


def test_viewer_sees_disabled_weights_and_a_crafted_change_is_refused() -> None:
    at = _weights_page(VIEWER)
    field = at.number_input(key="w_kpi_completer_rate")
    default = next(k.weight for k in load_config().kpis if k.id == "completer_rate")
    assert field.disabled and field.value == default
    assert any("needs the planner role" in i.value for i in at.info)
    assert at.get("file_uploader")[0].proto.disabled
    assert weights_of(at) is None and _score(at) == "42.15"


def test_a_change_from_a_viewers_session_is_refused_on_the_server() -> None:
    # The input drawn for a planner; the change arrives once the session is a viewer's (the roles
    # file changed meanwhile, or a crafted message): refused, nothing changes.
    at = _weights_page(PLANNER)
    at.user = VIEWER
    at.number_input(key="w_kpi_completer_rate").set_value(60.0).run()
    assert not at.exception, at.exception
    assert any(REFUSED in e.value.replace("\\", "") for e in at.error)
    assert weights_of(at) is None
    assert _score(at) == "42.15"
    default = next(k.weight for k in load_config().kpis if k.id == "completer_rate")
    assert at.number_input(key="w_kpi_completer_rate").value == default
    assert at.number_input(key="w_kpi_completer_rate").disabled


def test_planner_changes_a_weight() -> None:
    at = _weights_page(PLANNER)
    field = at.number_input(key="w_kpi_completer_rate")
    assert not field.disabled and not at.info
    field.set_value(60.0).run()
    assert not at.error
    assert weights_of(at) == {"completer_rate": 60.0}
    assert _score(at) != "42.15"


def test_refusal_in_hindi() -> None:
    at = _weights_page(PLANNER, lang="hi")
    at.user = VIEWER
    at.number_input(key="w_kpi_completer_rate").set_value(60.0).run()
    assert any("आपकी भूमिका (दर्शक) में मॉडल के भार बदलना की अनुमति नहीं है" in e.value for e in at.error)
    assert weights_of(at) is None


def _upload_as(user: dict[str, Any], content: bytes) -> AppTest:
    def script(content: bytes) -> None:
        import streamlit as st

        from app_ui import services, session
        from app_ui.widgets import model_file

        class Upload:  # what st.file_uploader leaves in the session: a name and the bytes
            name = "heavier.yaml"

            def getvalue(self) -> bytes:
                return content

        session.init()
        if not st.session_state.get("uploaded_once"):
            st.session_state["uploaded_once"] = True
            model_file.accept_upload(Upload())
        model_file.section(services.file_config())

    at = sign_in(AppTest.from_function(script, args=(content,), default_timeout=30), user)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_viewers_model_file_upload_is_refused_and_nothing_changes() -> None:
    text = dump_config(load_config().with_weights({"completer_rate": 40})).encode()
    refused = _upload_as(VIEWER, text)
    assert REFUSED in refused.error[0].value.replace("\\", "")
    assert refused.warning[0].value.startswith("The uploaded file was not used")
    assert refused.session_state["config_yaml"] is None
    accepted = _upload_as(PLANNER, text)
    assert not accepted.error
    assert accepted.session_state["config_yaml"] == text.decode()
