"""Undo and redo of scenario changes: the session's bounded history and the shared buttons, as
the Weights page uses them (weights set through session.set_weights)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _weights_page() -> None:
    """A stand-in for the Weights page: one weight input writing through set_weights, and the
    shared Undo/Redo buttons beside it."""
    import streamlit as st

    from app_ui import session
    from app_ui.widgets import history

    session.init()

    def on_weight() -> None:
        session.set_weights({"completer_rate": float(st.session_state["w_kpi_completer_rate"])})

    weights = session.scenario().weights or {}
    st.session_state["w_kpi_completer_rate"] = float(weights.get("completer_rate", 20.0))
    st.number_input("Completers", key="w_kpi_completer_rate", on_change=on_weight)
    history.undo_redo("w", "weights")


def _weight(at: AppTest) -> float | None:
    weights = at.session_state["scenario"].weights
    return None if weights is None else weights["completer_rate"]


def test_weight_changes_undo_and_redo() -> None:
    at = AppTest.from_function(_weights_page).run()
    assert at.button(key="w_undo").disabled and at.button(key="w_redo").disabled
    assert at.button(key="w_undo").label == "Undo"
    for value in (30.0, 40.0, 50.0):
        at.number_input(key="w_kpi_completer_rate").set_value(value).run()
    assert _weight(at) == 50.0
    at.button(key="w_undo").click().run()
    at.button(key="w_undo").click().run()
    assert _weight(at) == 30.0
    assert at.number_input(key="w_kpi_completer_rate").value == 30.0  # the input follows
    at.button(key="w_redo").click().run()
    assert _weight(at) == 40.0
    # A new change after an undo starts a new branch: nothing left to redo.
    at.number_input(key="w_kpi_completer_rate").set_value(45.0).run()
    assert at.button(key="w_redo").disabled
    at.button(key="w_undo").click().run()
    assert _weight(at) == 40.0
    at.button(key="w_undo").click().run()
    at.button(key="w_undo").click().run()
    assert _weight(at) is None  # back to the model's own weights
    assert at.button(key="w_undo").disabled


def test_undo_buttons_in_hindi_and_hidden_for_a_projector() -> None:
    at = AppTest.from_function(_weights_page)
    at.session_state["lang"] = "hi"
    at.run()
    assert at.button(key="w_undo").label == "पूर्ववत करें"
    at.session_state["presenter"] = True
    at.run()
    assert not [b for b in at.button if b.key in ("w_undo", "w_redo")]


def _many_changes() -> None:
    import streamlit as st

    from app_ui import session
    from scoring.share import LeverState

    session.init()
    if not st.session_state.get("done"):
        st.session_state["done"] = True
        for value in range(1, 61):  # 60 changes
            session.set_levers(
                (LeverState(target="Education Department, Bihar", kind="add", value=value),)
            )
        session.set_levers(session.levers())  # no change: no step
        undone = 0
        while session.undo():
            undone += 1
        st.write(f"{undone}|{session.levers()[0].value}|{len(session.redo_steps())}")


def test_history_keeps_the_last_fifty_changes() -> None:
    at = AppTest.from_function(_many_changes).run()
    assert not at.exception, at.exception
    # 60 changes keep 50 steps back: from 60 down to 10 (the first ten are forgotten).
    assert at.markdown[0].value == "50|10.0|50"


def _upload_then_undo() -> None:
    """Weights changed, then a model file without that KPI uploaded, then Undo."""
    from dataclasses import dataclass

    import streamlit as st

    from app_ui import session
    from app_ui.widgets import history, model_file
    from app_ui.widgets.notices import show_notices
    from scoring.config import dump_config, load_config, parse_config

    @dataclass
    class Upload:
        name: str
        data: bytes

        def getvalue(self) -> bytes:
            return self.data

    session.init()
    if not st.session_state.get("done"):
        st.session_state["done"] = True
        session.set_weights({"pass_rate": 1.0})
        data = load_config().model_dump(mode="json")
        data["kpis"] = [k for k in data["kpis"] if k["id"] != "pass_rate"]
        model_file.accept_upload(Upload("fewer.yaml", dump_config(parse_config(data)).encode()))
    show_notices("weights")
    history.undo_redo("w", "weights")


def test_undo_across_a_model_change_is_refused_plainly() -> None:
    at = AppTest.from_function(_upload_then_undo).run()
    assert at.session_state["scenario"].weights is None  # the upload reset the weights
    assert not at.button(key="w_undo").disabled
    at.button(key="w_undo").click().run()
    # {"pass_rate": 1} does not fit the uploaded model: not restored, and said so.
    assert at.session_state["scenario"].weights is None
    assert any("another model file" in w.value for w in at.warning)
    assert at.button(key="w_undo").disabled
    assert at.button(key="w_redo").disabled
    assert not at.exception
