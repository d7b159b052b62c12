"""The model file section: a bad upload is refused beside the uploader and changes nothing; a
good one replaces the model and drops edited weights; the bundled model can be brought back."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.config import dump_config, load_config


def _script(name: str, content: bytes) -> None:
    import streamlit as st

    from app_ui import services, session
    from app_ui.widgets import model_file

    class Upload:  # what st.file_uploader leaves in the session: a name and the bytes
        def __init__(self, name: str, content: bytes) -> None:
            self.name = name
            self._content = content

        def getvalue(self) -> bytes:
            return self._content

    session.init()
    if not st.session_state.get("uploaded_once"):
        st.session_state["uploaded_once"] = True
        session.set_weights({"active_rate": 30.0})
        model_file.accept_upload(Upload(name, content))
    model_file.section(services.file_config())


def test_a_bad_model_file_is_refused_beside_the_uploader() -> None:
    at = AppTest.from_function(_script, args=("bad.yaml", b"kpis: [\n"), default_timeout=30)
    at.run()
    assert not at.exception
    assert "The input was not accepted" in at.error[0].value
    assert "not valid YAML at line 2" in at.error[0].value
    assert at.warning[0].value.startswith("The uploaded file was not used")
    assert at.session_state["config_yaml"] is None
    assert at.session_state["scenario"].weights == {"active_rate": 30.0}
    assert not [b for b in at.button if b.key == "w_reset_model"]
    at.run()
    assert not at.error and not at.warning  # each message is shown once


def test_a_good_model_file_is_used_and_the_bundled_one_can_come_back() -> None:
    text = dump_config(load_config().with_weights({"completer_rate": 40}))
    at = AppTest.from_function(_script, args=("heavier.yaml", text.encode()), default_timeout=30)
    at.run()
    assert not at.exception
    assert "heavier" in at.success[0].value and "accepted and in use" in at.success[0].value
    assert at.session_state["config_yaml"] == text
    assert at.session_state["scenario"].weights is None
    assert "uploaded model file" in at.caption[0].value
    at.button(key="w_reset_model").click().run()
    assert at.session_state["config_yaml"] is None
    assert "bundled model" in at.caption[0].value
