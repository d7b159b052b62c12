"""The typed session: defaults set once, the scenario kept as one validated object, notices
shown once on the page they were left for."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from app_ui import session
    from scoring.share import LeverState

    session.init()
    if not st.session_state.get("done"):
        st.session_state["done"] = True
        session.set_levers((LeverState(target="Education Department, Bihar", kind="add", value=5),))
        session.set_assumptions({"courses_per_completer": 3.0})
        session.set_weights({"active_rate": 1.0})
        session.set_levers(session.levers(), "water")
        session.notify("simulator", "info", "hello")
        session.notify("weights", "info", "not for the simulator")
    notices = session.take_notices("simulator")
    st.write(f"{len(session.levers())}|{session.scenario_source()}|{len(notices)}")


def test_accessors_keep_one_scenario_and_notices_show_once() -> None:
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert at.markdown[0].value == "1|water|1"
    state = at.session_state["scenario"]
    assert state.assumptions == {"courses_per_completer": 3.0}
    assert state.weights == {"active_rate": 1.0}
    at.run()
    assert at.markdown[0].value == "1|water|0"  # shown once
    assert len(at.session_state["notices"]) == 1  # the weights page's is still waiting


def test_defaults_are_set_once() -> None:
    from app_ui import session

    assert set(session.DEFAULTS) >= {"lang", "presenter", "scenario", "uploaded_data"}
