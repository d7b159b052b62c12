"""Scenarios page with sign-in: owners, private or shared, rename/delete only by the owner or an
admin (hidden AND refused on the server), undo and Recently deleted, racing sessions, IST times."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_ui import auth
from scoring.roles import Role
from scoring.store import ENV_PATH, Actor, ScenarioStore
from tests.app.conftest import scenario_state
from tests.app.users import ADMIN, OTHER_PLANNER, PLANNER, ROLES_FILE, VIEWER, sign_in

ROOT = Path(__file__).resolve().parents[2]
EDUCATION = "Education Department, Bihar"
LEVERS = [{"target": EDUCATION, "kind": "add", "value": 50000}]
# The page as app.py runs it: session, the sign-in gate, then navigation.
WRAPPER = f"""
import streamlit as st
from app_ui.session import init
from app_ui.auth import sign_in_gate
init()
sign_in_gate()
st.navigation([
    st.Page({str(ROOT / "app_pages" / "scenarios.py")!r}, default=True),
    st.Page({str(ROOT / "app_pages" / "simulator.py")!r}),
]).run()
"""


@pytest.fixture(autouse=True)
def _database_and_roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "igot.sqlite"))
    monkeypatch.setenv("IGOT_ROLES_FILE", str(ROLES_FILE))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()
    auth._roles.clear()


def _store() -> ScenarioStore:
    return ScenarioStore()  # the database the page uses (IGOT_SCENARIO_DB above)


def _page(user: dict[str, Any], lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_string(WRAPPER, default_timeout=60)
    sign_in(at, user)
    at.session_state["lang"] = lang
    at.session_state["scenario"] = scenario_state(LEVERS)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest) -> Any:
    for element in at.dataframe:
        if "Owner" in element.value.columns:
            return element.value
    return None


def _names(at: AppTest) -> list[str]:
    table = _table(at)
    return [] if table is None else sorted(table["Name"])


def _save(at: AppTest, name: str, shared: bool = False) -> None:
    at.text_input(key="scn_name").input(name)
    if shared:
        at.toggle(key="scn_share").set_value(True)
    at.button(key="scn_save").click()
    _run(at)


def _shown(markdown: str) -> str:
    """Text as the user reads it: app_ui.text.plain's escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _errors(at: AppTest) -> str:
    return "\n".join(_shown(e.value) for e in at.error)


def _successes(at: AppTest) -> list[str]:
    return [_shown(s.value) for s in at.success]


def _everything() -> list[tuple[str, str, str]]:
    """Every live scenario in the database, whoever owns it: (name, owner, visibility)."""
    store = _store()
    seen = {
        (s.name, s.owner, s.visibility)
        for who in (PLANNER, OTHER_PLANNER)
        for s in store.list(Actor(str(who["email"]), Role.PLANNER))
    }
    return sorted(seen)


def test_planner_saves_private_and_shared_with_owner_and_ist_time() -> None:
    at = _page(PLANNER)
    _save(at, "Mine only")
    _save(at, "For everyone", shared=True)
    table = _table(at)
    rows = {r["Name"]: r for _, r in table.iterrows()}
    assert rows["Mine only"]["Owner"] == "You" and rows["Mine only"]["Seen by"] == "Only its owner"
    assert rows["For everyone"]["Seen by"] == "Everyone"
    assert rows["For everyone"]["Score"] == "42.15" and rows["For everyone"]["Rank"] == "7 of 9"
    stored = {s.name: s for s in _store().list(Actor("planner@bihar.example", Role.PLANNER))}
    ist = stored["Mine only"].updated + dt.timedelta(hours=5, minutes=30)
    assert rows["Mine only"]["Saved"] == f"{ist:%-d %b %Y, %H:%M} IST"
    assert _everything() == [
        ("For everyone", "planner@bihar.example", "shared"),
        ("Mine only", "planner@bihar.example", "private"),
    ]


def test_another_planner_sees_only_shared_ones_and_cannot_change_them() -> None:
    owner = _page(PLANNER)
    _save(owner, "Private plan")
    _save(owner, "Shared plan", shared=True)
    other = _page(OTHER_PLANNER)
    assert _names(other) == ["Shared plan"]
    assert _table(other)["Owner"].tolist() == ["planner@bihar.example"]
    # Open is there; rename, share and delete are not, and the page says whose it is.
    assert other.button(key="scn_open")
    keys = {b.key for b in other.button}
    assert not keys & {"scn_delete", "scn_rename"}
    assert not [t for t in other.toggle if t.key and t.key.startswith("scn_shared_")]
    assert any("belongs to planner@bihar.example" in _shown(c.value) for c in other.caption)
    # Their own save under the same name is theirs, beside the first planner's.
    _save(other, "Shared plan")
    assert _names(other) == ["Shared plan", "Shared plan"]


def test_viewer_has_no_save_form_and_a_save_is_refused_on_the_server() -> None:
    viewer = _page(VIEWER)
    assert not [b for b in viewer.button if b.key == "scn_save"]
    assert any("Saving needs the planner role" in i.value for i in viewer.info)
    # A session drawn for a planner whose role is a viewer's by the time the click arrives (the
    # roles file changed, or a crafted message): the server refuses and nothing is stored.
    at = _page(PLANNER)
    at.user = VIEWER
    _save(at, "Sneaky")
    assert "Not allowed: your role (Viewer) may not save scenarios." in _errors(at)
    assert _everything() == []


def test_rename_share_delete_of_someone_elses_are_refused_on_the_server() -> None:
    owner = _page(PLANNER)
    _save(owner, "Shared plan", shared=True)
    # An admin's page draws the controls for it; the clicks arrive from a planner's session
    # (a role changed meanwhile, or a crafted message): each is refused on the server.
    at = _page(ADMIN)
    at.user = OTHER_PLANNER
    at.text_input(key="scn_new_name").input("Taken over")
    at.button(key="scn_rename").click()
    _run(at)
    assert "Not renamed:\n- “Shared plan” belongs to planner@bihar.example" in _errors(at)
    # Drawn for the planner now: no controls for someone else's scenario.
    assert not {b.key for b in at.button} & {"scn_delete", "scn_rename"}
    at = _page(ADMIN)
    at.user = OTHER_PLANNER
    next(t for t in at.toggle if t.key and t.key.startswith("scn_shared_")).set_value(False)
    _run(at)
    assert "Sharing not changed:\n- “Shared plan” belongs to" in _errors(at)
    at = _page(ADMIN)
    at.button(key="scn_delete").click()
    _run(at)
    at.user = OTHER_PLANNER
    at.button(key="scn_delete_confirm").click()
    _run(at)
    assert "Not deleted:\n- “Shared plan” belongs to planner@bihar.example" in _errors(at)
    assert _everything() == [("Shared plan", "planner@bihar.example", "shared")]


def test_an_admin_renames_and_deletes_someone_elses_shared_scenario() -> None:
    owner = _page(PLANNER)
    _save(owner, "Shared plan", shared=True)
    at = _page(ADMIN)
    at.text_input(key="scn_new_name").input("Checked plan")
    at.button(key="scn_rename").click()
    _run(at)
    assert not at.error
    assert _everything() == [("Checked plan", "planner@bihar.example", "shared")]
    at.button(key="scn_delete").click()
    _run(at)
    at.button(key="scn_delete_confirm").click()
    _run(at)
    assert _everything() == []
    # The owner finds it among their recently deleted ones, deleted by the admin, and restores it.
    _run(owner)
    assert any(
        "Checked plan · deleted by data.officer@bihar.example" in x.value for x in owner.text
    )
    owner.button(
        key=f"scn_restore_{_store().deleted(Actor('planner@bihar.example', Role.PLANNER))[0].id}"
    ).click()
    _run(owner)
    assert "“Checked plan” is back." in _successes(owner)
    assert _names(owner) == ["Checked plan"]


def test_delete_then_undo() -> None:
    at = _page(PLANNER)
    _save(at, "Plan")
    at.button(key="scn_delete").click()
    _run(at)
    assert any("It can be restored for 30 days" in w.value for w in at.warning)
    at.button(key="scn_delete_confirm").click()
    _run(at)
    assert _names(at) == []
    deleted_at = _store().deleted(Actor("planner@bihar.example", Role.PLANNER))[0].deleted_at
    assert deleted_at is not None
    until = dt.datetime.fromisoformat(deleted_at) + dt.timedelta(days=30, hours=5, minutes=30)
    assert f"“Plan” was deleted. It can be restored until {until:%-d %b %Y, %H:%M} IST." in (
        _successes(at)
    )
    assert any("Recently deleted (1), kept for 30 days" in e.label for e in at.expander)
    at.button(key="scn_undo_delete").click()
    _run(at)
    assert _names(at) == ["Plan"]
    assert not [b for b in at.button if b.key == "scn_undo_delete"]
    assert not at.expander or all("Recently deleted" not in e.label for e in at.expander)


def test_racing_sessions_get_messages_never_exceptions() -> None:
    first = _page(PLANNER)
    _save(first, "Plan")
    second = _page(PLANNER)  # the same user in another window, showing version 1
    first.text_input(key="scn_new_name").input("Plan A")
    first.button(key="scn_rename").click()
    _run(first)
    second.text_input(key="scn_new_name").input("Plan B")
    second.button(key="scn_rename").click()
    _run(second)
    assert "“Plan” was changed by someone else since this page showed it" in _errors(second)
    assert _names(second) == ["Plan A"]  # the list shows the latest
    # Now the first window deletes it while the second renames it.
    first.button(key="scn_delete").click()
    _run(first)
    first.button(key="scn_delete_confirm").click()
    _run(first)
    second.text_input(key="scn_new_name").input("Plan C")
    second.button(key="scn_rename").click()
    _run(second)
    assert "“Plan A” was deleted by planner@bihar.example at " in _errors(second)
    assert "restore it first" in _errors(second)
    assert not any(s.value == "Renamed." for s in second.success)
    assert _names(second) == []


def test_refusal_and_owner_in_hindi() -> None:
    owner = _page(PLANNER)
    _save(owner, "साझा योजना", shared=True)
    at = _page(ADMIN, lang="hi")
    at.button(key="scn_delete").click()
    _run(at)
    at.user = OTHER_PLANNER
    at.button(key="scn_delete_confirm").click()
    _run(at)
    assert "“साझा योजना” planner@bihar.example का है" in _errors(at)
    viewer = _page(VIEWER, lang="hi")
    assert any("योजनाकार की भूमिका चाहिए" in i.value for i in viewer.info)
    assert any("स्वामी" in d.value.columns for d in viewer.dataframe)
