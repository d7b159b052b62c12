"""Work that survives: the scenario and language in the address bar (reload, bookmark, Back and
Forward), undo and redo on the simulator, and links made under an uploaded model file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_ui import links
from scoring.config import dump_config, load_config, parse_config
from scoring.share import decode_link
from scoring.store import ENV_PATH
from tests.app.conftest import count_input, levers_of, open_page, weights_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SIMULATOR = "app_pages/simulator.py"
EDUCATION = "Education Department, Bihar"
WATER = "Water Resources Department, Bihar"


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _simulator(query: dict[str, str] | None = None, **state: object) -> AppTest:
    """A new session (a reload or an opened bookmark) on the simulator with this query string."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(SIMULATOR)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _fresh_with(query: dict[str, str]) -> AppTest:
    """What a reload does: a new session whose first run already has the query string."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(SIMULATOR).run()  # a shared link lands on the simulator
    assert not at.exception, at.exception
    return at


def _education(at: AppTest, value: int) -> AppTest:
    if EDUCATION not in at.multiselect(key="sim_targets").value:
        at.multiselect(key="sim_targets").select(EDUCATION).run()
    count_input(at, f"sim_add::{EDUCATION}").set_value(value).run()
    assert not at.exception, at.exception
    return at


def _back(at: AppTest, query: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The browser's Back button: Streamlit reruns with the older query string, flagged as a
    history navigation (AppTest cannot flag it, so the flag is patched for this run)."""
    at.query_params.clear()
    at.query_params.update(query)
    with monkeypatch.context() as patch:
        patch.setattr(links, "_is_history_navigation", lambda: True)
        at.run()
    assert not at.exception, at.exception
    return at


def test_a_lever_change_is_in_the_address_bar_and_survives_a_reload() -> None:
    at = _education(_simulator(), 50_000)
    assert _metrics(at)["Simulated score"] == "42.15"
    assert _metrics(at)["Rank"] == "7 of 9"
    query = dict(at.query_params)
    assert set(query) == {"scenario"}
    assert [lv.model_dump() for lv in decode_link(query["scenario"]).levers] == [
        {"target": EDUCATION, "kind": "add", "value": 50_000.0}
    ]
    reloaded = _fresh_with(query)
    assert _metrics(reloaded)["Simulated score"] == "42.15"
    assert _metrics(reloaded)["Rank"] == "7 of 9"
    assert levers_of(reloaded) == levers_of(at)
    assert dict(reloaded.query_params) == query  # the same address, not a new one


def test_back_and_forward_follow_the_address_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _simulator()
    assert dict(at.query_params) == {}  # the published position keeps a bare address
    at = _education(at, 20_000)
    first = dict(at.query_params)
    first_score = _metrics(at)["Simulated score"]
    at = _education(at, 50_000)
    second = dict(at.query_params)
    assert _metrics(at)["Simulated score"] == "42.15" != first_score
    _back(at, first, monkeypatch)
    assert _metrics(at)["Simulated score"] == first_score
    assert levers_of(at)[0]["value"] == 20_000
    _back(at, second, monkeypatch)  # Forward
    assert _metrics(at)["Simulated score"] == "42.15"
    _back(at, {}, monkeypatch)  # Back to the address the session started at
    assert levers_of(at) == []
    assert _metrics(at)["Simulated score"] == "39.09"


def test_a_stale_address_never_overrides_the_users_edit() -> None:
    """A query string the browser sent before our last write arrived is overwritten, not
    applied: only Back and Forward (or a new session) read the address bar."""
    at = _education(_simulator(), 20_000)
    stale = dict(at.query_params)
    at = _education(at, 50_000)
    current = dict(at.query_params)
    at.query_params.clear()
    at.query_params.update(stale)
    at.run()
    assert _metrics(at)["Simulated score"] == "42.15"
    assert dict(at.query_params) == current


def test_language_is_in_the_address_bar() -> None:
    at = _simulator()
    at.sidebar.selectbox(key="lang").set_value("hi").run()
    assert dict(at.query_params) == {"lang": "hi"}
    reloaded = _fresh_with({"lang": "hi", **dict(_education(_simulator(), 50_000).query_params)})
    assert reloaded.session_state["lang"] == "hi"
    assert _metrics(reloaded)["सिम्युलेटेड अंक"] == "42.15"


def test_a_bad_address_only_warns_and_is_replaced() -> None:
    at = _fresh_with({"scenario": "%%%not-base64!!"})
    assert any("could not be used" in w.value for w in at.warning)
    assert levers_of(at) == []
    assert _metrics(at)["Simulated score"] == "39.09"
    assert "scenario" not in at.query_params  # the address now says what is shown


# --- undo and redo ----------------------------------------------------------------------------


def test_undo_and_redo_lever_changes() -> None:
    at = _simulator()
    assert at.button(key="sim_undo").disabled
    assert at.button(key="sim_redo").disabled
    at = _education(at, 20_000)  # two steps: the unit chosen (its default lever), then 20,000
    at = _education(at, 50_000)
    assert _metrics(at)["Simulated score"] == "42.15"
    at.button(key="sim_undo").click().run()
    assert levers_of(at)[0]["value"] == 20_000
    assert not at.button(key="sim_redo").disabled
    at.button(key="sim_redo").click().run()
    assert _metrics(at)["Simulated score"] == "42.15"
    assert at.button(key="sim_redo").disabled
    at.button(key="sim_undo").click().run()
    at.button(key="sim_undo").click().run()
    at.button(key="sim_undo").click().run()
    assert levers_of(at) == []
    assert at.button(key="sim_undo").disabled
    assert "scenario" not in at.query_params


def test_clear_levers_can_be_undone() -> None:
    at = _simulator()
    at.button(key="sim_preset_water").click().run()
    at = _education(at, 50_000)
    kept = levers_of(at)
    score = _metrics(at)["Simulated score"]
    at.button(key="sim_clear").click().run()
    assert levers_of(at) == []
    assert any("Undo brings them back" in i.value for i in at.info)
    at.button(key="sim_undo").click().run()
    assert levers_of(at) == kept
    assert _metrics(at)["Simulated score"] == score
    # The undone state is in the address bar too: a reload keeps it.
    assert _metrics(_fresh_with(dict(at.query_params)))["Simulated score"] == score


def test_undo_buttons_in_hindi() -> None:
    at = _simulator(lang="hi")
    assert at.button(key="sim_undo").label == "पूर्ववत करें"
    assert at.button(key="sim_redo").label == "फिर से करें"


# --- links made under an uploaded model file ------------------------------------------------


def _heavier_yaml() -> str:
    return dump_config(load_config().with_weights({"completer_rate": 40}))


def _other_shape_yaml() -> str:
    data = load_config().model_dump(mode="json")
    for kpi in data["kpis"]:
        if kpi["id"] == "completions_per_user":
            kpi["subscore"]["target"] = 1.0
    return dump_config(parse_config(data).with_weights({"completer_rate": 40}))


def test_uploaded_model_of_the_same_shape_travels_in_the_link() -> None:
    sender = _education(_simulator(config_yaml=_heavier_yaml()), 50_000)
    assert _metrics(sender)["Simulated score"] == "42.24"  # 42.15 under the bundled model
    query = dict(sender.query_params)
    assert set(query) == {"scenario"}
    recipient = _fresh_with(query)  # a new session: the bundled model
    assert recipient.session_state["config_yaml"] is None
    assert _metrics(recipient)["Simulated score"] == "42.24"
    assert _metrics(recipient)["Rank"] == "7 of 9"
    assert not recipient.warning


def test_uploaded_model_of_another_shape_warns_the_recipient() -> None:
    sender = _education(_simulator(config_yaml=_other_shape_yaml()), 50_000)
    assert _metrics(sender)["Simulated score"] == "42.84"
    query = dict(sender.query_params)
    assert set(query) == {"scenario", "model"}
    recipient = _fresh_with(query)
    assert _metrics(recipient)["Simulated score"] == "42.24"  # the bundled model, told so
    assert any("made under another model file" in w.value for w in recipient.warning)
    recipient.switch_page("app_pages/overview.py").run()  # still said on every page
    assert any("made under another model file" in w.value for w in recipient.warning)
    # The recipient's address keeps the fingerprint while the scenario is unchanged: a reload
    # (or passing the link on) warns again.
    assert dict(recipient.query_params)["model"] == query["model"]
    assert any("another model file" in w.value for w in _fresh_with(query).warning)
    # Until the scenario changes; the address then describes what the recipient sees: no
    # fingerprint, and a reload of it gives no warning.
    recipient.switch_page(SIMULATOR).run()
    _education(recipient, 40_000)
    recipient.run()
    assert not recipient.warning
    assert "model" not in recipient.query_params
    assert not _fresh_with(dict(recipient.query_params)).warning


def test_undo_of_an_assumption_brings_its_editor_back() -> None:
    at = _simulator()
    at.toggle(key="sim_edit_assumptions").set_value(True).run()
    at.radio(key="sim_hours_mode").set_value("unit").run()
    assert at.session_state["scenario"].assumptions == {"hours_per_course": "unit"}
    at.radio(key="sim_inactive_mode").set_value("number").run()
    at.button(key="sim_undo").click().run()
    assert at.radio(key="sim_inactive_mode").value == "proportional"
    at.button(key="sim_undo").click().run()
    assert at.session_state["scenario"].assumptions is None
    assert at.radio(key="sim_hours_mode").value == "number"  # not left on "unit"
    assert not at.exception


def test_weights_page_undo_redo_and_reset_undo() -> None:
    at = open_page("weights", levers=[{"target": EDUCATION, "kind": "add", "value": 50_000}])
    assert at.button(key="w_undo").disabled
    at.number_input(key="w_kpi_completer_rate").set_value(40.0).run()
    assert _metrics(at)["Scenario score"] == "42.24"  # as in tests/scoring/test_portable.py
    at.button(key="w_reset").click().run()
    assert weights_of(at) is None
    assert _metrics(at)["Scenario score"] == "42.15"
    at.button(key="w_undo").click().run()  # the reset taken back
    assert weights_of(at) == {"completer_rate": 40.0}
    assert at.number_input(key="w_kpi_completer_rate").value == 40.0
    assert _metrics(at)["Scenario score"] == "42.24"
    at.button(key="w_undo").click().run()
    assert weights_of(at) is None
    at.button(key="w_redo").click().run()
    assert _metrics(at)["Scenario score"] == "42.24"
    assert decode_link(at.query_params["scenario"]).weights == {"completer_rate": 40.0}


def test_share_box_says_what_a_link_under_an_uploaded_model_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "scenarios.sqlite"))
    levers = [{"target": EDUCATION, "kind": "add", "value": 50_000}]
    at = open_page("scenarios", levers=levers, config_yaml=_heavier_yaml())
    link = at.code[0].value
    assert link.startswith("simulator?scenario=") and "model=" not in link
    assert decode_link(link.split("scenario=")[1]).weights == {"completer_rate": 40.0}
    assert any("same figures under the bundled model" in c.value for c in at.caption)
    at = open_page("scenarios", levers=levers, config_yaml=_other_shape_yaml())
    assert "&model=" in at.code[0].value
    assert any("with a warning" in c.value for c in at.caption)
