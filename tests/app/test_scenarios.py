"""Scenarios page and share links: save, list, open, rename, delete, compare; hostile links."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from scoring.goal import GoalTarget
from scoring.share import ScenarioState, decode_link, encode_link
from scoring.store import ENV_PATH
from tests.app.conftest import assumptions_of, levers_of, scenario_state, weights_of

ROOT = Path(__file__).resolve().parents[2]
EDUCATION = "Education Department, Bihar"
HOSTILE = "<script>alert(1)</script>"
LEVERS = [{"target": EDUCATION, "kind": "add", "value": 50000}]

# The page as app.py runs it: state initialised, the address bar followed, then navigation.
# Absolute page paths, because AppTest runs this text from a temporary file.
WRAPPER = f"""
import streamlit as st
from app_ui.session import init
from app_ui.links import sync_address_bar
init()
sync_address_bar()
st.navigation([
    st.Page({str(ROOT / "app_pages" / "scenarios.py")!r}, default=True),
    st.Page({str(ROOT / "app_pages" / "simulator.py")!r}),
]).run()
"""

# Only the link restoration, to check what it leaves in the session.
LINK_ONLY = """
import streamlit as st
from app_ui.session import init
from app_ui import session
from app_ui.links import sync_address_bar
from scoring.share import encode_link
init()
sync_address_bar()
st.text("param:" + encode_link(session.scenario()))
"""


@pytest.fixture(autouse=True)
def _scenario_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "scenarios.sqlite"))
    st.cache_resource.clear()


def _page(**state: object) -> AppTest:
    at = AppTest.from_string(WRAPPER, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _saved_table(at: AppTest):
    for element in at.dataframe:
        if "Name" in element.value.columns and "Rank" in element.value.columns:
            return element.value
    raise AssertionError("no saved-scenarios table")


def _save(at: AppTest, name: str) -> None:
    at.text_input(key="scn_name").input(name)
    at.button(key="scn_save").click().run()
    assert not at.exception, at.exception


def test_empty_store_says_so_and_offers_share_and_briefing() -> None:
    at = _page()
    assert any("No scenario saved yet" in i.value for i in at.info)
    assert at.button(key="scn_save")
    codes = [c.value for c in at.code]
    assert any("?scenario=" in c for c in codes)
    labels = [b.label for b in at.get("download_button")]
    assert "Download the briefing (HTML)" in labels


def test_save_lists_name_score_and_rank() -> None:
    at = _page(scenario=scenario_state(LEVERS))
    _save(at, "Education push")
    assert any("Saved as" in s.value for s in at.success)
    table = _saved_table(at)
    row = table[table["Name"] == "Education push"].iloc[0]
    assert row["Score"] == "42.15"
    assert row["Rank"] == "7 of 9"
    assert row["Extra completers"] == "50,000"
    assert EDUCATION in row["Levers"]


def test_open_restores_levers_and_links_to_simulator() -> None:
    at = _page(scenario=scenario_state(LEVERS, {"courses_per_completer": 3.0}))
    _save(at, "Education push")
    at.session_state["scenario"] = scenario_state()
    at.run()
    at.button(key="scn_open").click().run()
    assert not at.exception, at.exception
    assert levers_of(at) == LEVERS
    assert assumptions_of(at) == {"courses_per_completer": 3.0}
    assert any("is now the current scenario" in s.value for s in at.success)
    at.switch_page(str(ROOT / "app_pages" / "simulator.py")).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rank"] == "7 of 9"


def test_rename_and_delete_with_confirmation() -> None:
    at = _page(scenario=scenario_state(LEVERS))
    _save(at, "First name")
    at.text_input(key="scn_new_name").input("Second name")
    at.button(key="scn_rename").click().run()
    assert not at.exception, at.exception
    assert _saved_table(at)["Name"].tolist() == ["Second name"]
    at.button(key="scn_delete").click().run()
    assert any("can be restored for 30 days" in w.value for w in at.warning)
    at.button(key="scn_delete_cancel").click().run()
    assert _saved_table(at)["Name"].tolist() == ["Second name"]
    at.button(key="scn_delete").click().run()
    at.button(key="scn_delete_confirm").click().run()
    assert not at.exception, at.exception
    assert any("No scenario saved yet" in i.value for i in at.info)


def test_rename_to_existing_name_is_refused() -> None:
    at = _page(scenario=scenario_state(LEVERS))
    _save(at, "One")
    _save(at, "Two")
    at.selectbox(key="scn_pick").set_value(at.selectbox(key="scn_pick").options[0])
    at.text_input(key="scn_new_name").input("One")
    at.button(key="scn_rename").click().run()
    assert not at.exception, at.exception
    assert any("Not renamed" in e.value for e in at.error)
    assert sorted(_saved_table(at)["Name"]) == ["One", "Two"]


def test_compare_two_shows_both() -> None:
    at = _page(scenario=scenario_state(LEVERS))
    _save(at, "Big push")
    at.session_state["scenario"] = scenario_state(
        [{"target": EDUCATION, "kind": "add", "value": 1000}]
    )
    at.run()
    _save(at, "Small push")
    compare = at.multiselect(key="scn_compare")
    assert len(compare.options) == 2
    at.multiselect(key="scn_compare").select("Big push").select("Small push").run()
    assert not at.exception, at.exception
    texts = [x.value for x in at.text]
    assert "Big push" in texts and "Small push" in texts
    scores = [m.value for m in at.metric if m.label == "Score"]
    assert "42.15" in scores and len(scores) == 2
    ranks = [m.value for m in at.metric if m.label == "Rank"]
    assert "7 of 9" in ranks
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    labels = [b.label for b in at.get("download_button")]
    assert "Download PNG" in labels and "Download SVG" in labels


def test_briefing_offers_plan_files_after_a_goal_seek() -> None:
    at = _page(
        scenario=scenario_state(LEVERS),
        goal_request=GoalTarget(rank=7),
        goal_scenario=scenario_state(LEVERS),  # the goal was asked under this scenario
    )
    labels = [b.label for b in at.get("download_button")]
    assert {"Download the briefing (HTML)", "Plan as CSV", "Plan as Excel"} <= set(labels)
    assert any("goal-seek plan" in c.value for c in at.caption)


def test_briefing_leaves_out_a_plan_made_for_another_scenario() -> None:
    """A goal asked under other levers (an earlier run) is not this scenario's plan."""
    at = _page(
        scenario=scenario_state(LEVERS),
        goal_request=GoalTarget(beat="Tamil Nadu"),
        goal_scenario=scenario_state(
            [{"target": "Home Department Bihar", "kind": "add", "value": 1}]
        ),
    )
    labels = [b.label for b in at.get("download_button")]
    assert "Download the briefing (HTML)" in labels
    assert "Plan as CSV" not in labels and "Plan as Excel" not in labels
    assert any("made for another scenario" in c.value for c in at.caption)


def test_bad_levers_in_session_do_not_break_the_page() -> None:
    at = _page(
        scenario=scenario_state([{"target": "No such department", "kind": "add", "value": 5}])
    )
    assert any("cannot be made" in w.value for w in at.warning)
    _save(at, "Broken")
    table = _saved_table(at)
    assert table["Rank"].tolist() == ["-"]
    assert any("cannot be run" in w.value for w in at.warning)


def test_hostile_name_is_stored_and_shown_as_text() -> None:
    at = _page(scenario=scenario_state(LEVERS))
    _save(at, HOSTILE)
    assert _saved_table(at)["Name"].tolist() == [HOSTILE]
    # Markdown is never used for names: no element renders it as markup.
    for element in (*at.markdown, *at.caption, *at.success, *at.info):
        assert "<script>" not in element.value
    success = at.success[0].value
    assert "script" in success and "<script>" not in success  # escaped for Markdown
    at.button(key="scn_delete").click().run()
    assert HOSTILE in [x.value for x in at.text]


def test_damaged_store_is_set_aside_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "scenarios.sqlite").write_bytes(b"this is not a database" * 200)
    at = _page()
    assert any("was damaged" in w.value for w in at.warning)
    assert list(tmp_path.glob("scenarios.sqlite.damaged-*"))


def test_page_in_hindi() -> None:
    at = _page(lang="hi", scenario=scenario_state(LEVERS))
    _save(at, "शिक्षा अभियान")
    assert at.title[0].value == "सहेजे गए परिदृश्य"
    table = None
    for element in at.dataframe:
        if "नाम" in element.value.columns:
            table = element.value
    assert table is not None
    assert table["रैंक"].tolist() == ["9 में से 7"]


# --- share links ------------------------------------------------------------------------------


def _link_app(param: str | None, **state: object) -> AppTest:
    at = AppTest.from_string(LINK_ONLY, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    if param is not None:
        at.query_params["scenario"] = param
    at.run()
    assert not at.exception, at.exception
    return at


def test_share_link_round_trip() -> None:
    state = scenario_state(
        [
            {"target": EDUCATION, "kind": "add", "value": 50000},
            {"target": "Water Resources Department, Bihar", "kind": "reach", "value": 80.0},
        ],
        {"courses_per_completer": 2.5, "from_inactive": 0.5},
        {"completion_rate": 3.0},
    )
    sender = _link_app(None, scenario=state)
    param = sender.text[0].value.removeprefix("param:")
    assert decode_link(param).levers[0].target == EDUCATION
    receiver = _link_app(param)
    assert receiver.session_state["scenario"] == state
    assert receiver.text[0].value == f"param:{param}"  # the same state encodes the same way
    assert not receiver.warning


def test_link_is_applied_once_per_session() -> None:
    param = encode_link(ScenarioState.model_validate({"levers": LEVERS}))
    at = _link_app(param)
    assert levers_of(at) == LEVERS
    at.session_state["scenario"] = scenario_state()
    at.run()
    assert levers_of(at) == []  # the user's later changes are not overwritten


def _raw_link(text: str) -> str:
    """A link holding any JSON, valid or not."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


HOSTILE_LINKS = {
    "garbage": "%%%not-base64!!",
    "huge": "A" * 50_000,
    "not json": encode_link(ScenarioState()).replace("e", "Z") + "Zm9v",
    "wrong types": "eyJsZXZlcnMiOiAiYWxsIG9mIHRoZW0iLCAid2VpZ2h0cyI6IFsxLCAyXX0",
    "unknown department": encode_link(
        ScenarioState.model_validate({"levers": [{"target": HOSTILE, "kind": "add", "value": 5}]})
    ),
    "unknown kpi": encode_link(ScenarioState.model_validate({"weights": {"no_such_kpi": 1.0}})),
    "bad assumption": _raw_link('{"assumptions": {"activation_ceiling": 5}}'),
    "bad value": _raw_link('{"levers": [{"target": "x", "kind": "add", "value": -1e999}]}'),
    # Raw: ScenarioState itself refuses a share above 100 (issue 13), so only a hand-made link can
    # carry one.
    "reach over 100": _raw_link(
        json.dumps({"levers": [{"target": EDUCATION, "kind": "reach", "value": 150}]})
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LINKS))
def test_hostile_link_warns_and_keeps_baseline(name: str) -> None:
    at = _link_app(HOSTILE_LINKS[name])
    assert at.warning, name
    message = at.warning[0].value
    assert "could not be used" in message
    assert "<script>" not in message
    assert levers_of(at) == []
    assert assumptions_of(at) is None
    assert weights_of(at) is None


def test_wrong_type_link_names_the_problem() -> None:
    at = _link_app(HOSTILE_LINKS["wrong types"])
    assert "levers" in at.warning[0].value


def test_hindi_warning_for_bad_link() -> None:
    at = _link_app("garbage!!", lang="hi")
    assert "लिंक में दिया गया परिदृश्य" in at.warning[0].value


def test_compared_scenarios_carry_their_chance_and_margin() -> None:
    """Education +50,000: rank 7 in every plausible weighting, 1.76 points above Tamil Nadu;
    +1,000: still 8th in all of them, 1.09 points above West Bengal."""
    at = _page(scenario=scenario_state(LEVERS))
    _save(at, "Big push")
    at.session_state["scenario"] = scenario_state(
        [{"target": EDUCATION, "kind": "add", "value": 1000}]
    )
    at.run()
    _save(at, "Small push")
    at.multiselect(key="scn_compare").select("Big push").select("Small push").run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric if m.label == "Chance of this rank"] == ["100%", "100%"]
    margins = {c.value for c in at.caption if "points above" in c.value}
    assert margins == {
        r"1\.76 points above TAMIL NADU \(40\.39\)\.",
        r"1\.09 points above WEST BENGAL \(38\.06\)\.",
    }
    table = at.dataframe[0].value
    assert list(table["Chance of this rank"]) == ["100%", "100%"]
