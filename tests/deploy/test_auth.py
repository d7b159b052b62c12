"""app_ui.auth in AppTest: sign-in off gives the local user every right; with [auth] configured,
the gate shows only a sign-in button, the sidebar shows the user and role, and require() refuses a
role that lacks the action, on the server, with a translated message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_ui import auth
from tests.app.users import AUTH, PLANNER, VIEWER

ROOT = Path(__file__).resolve().parents[2]
# The admin here has a second group ("staff") on purpose: the role comes from the right one.
ADMIN = {
    "is_logged_in": True,
    "email": "data.officer@bihar.example",
    "name": "Deepa Admin",
    "groups": ["staff", "igot-data-admins"],
}


def _probe(action: str) -> None:
    """A page that tries `action` through the server-side check, as a page's save button does."""
    import streamlit as st

    from app_ui import session
    from app_ui.auth import ActionRefused, current_user, require, sidebar_user, sign_in_gate
    from scoring.roles import Action

    session.init()
    sign_in_gate()
    with st.sidebar:
        sidebar_user()
    user = current_user()
    st.text(f"user={user.id} role={user.role.value} signed_in={user.signed_in}")
    try:
        require(Action(action))
        st.success("done")
    except ActionRefused as exc:
        st.error(str(exc))


@pytest.fixture(autouse=True)
def _example_roles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("IGOT_ROLES_FILE", str(ROOT / "config" / "roles.example.yaml"))
    auth._roles.clear()
    yield
    auth._roles.clear()


def _run(action: str, user: dict[str, object] | None, lang: str = "en") -> AppTest:
    at = AppTest.from_function(_probe, args=(action,), default_timeout=30)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.user = user
    at.session_state["lang"] = lang
    return at.run()


def test_sign_in_off_is_the_local_user_with_every_right() -> None:
    at = _run("publish_edition", None)
    assert not at.exception
    assert at.text[0].value == "user=local role=data_admin signed_in=False"
    assert [s.value for s in at.success] == ["done"]
    assert not at.sidebar.button  # no sign-out button when nobody signs in


def test_gate_shows_only_a_sign_in_button() -> None:
    at = _run("simulate", {"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.text and not at.success  # the run stopped at the gate


@pytest.mark.parametrize(
    ("user", "action", "role", "refused"),
    [
        (VIEWER, "simulate", "viewer", None),
        (
            VIEWER,
            "save_scenario",
            "viewer",
            "Not allowed: your role (Viewer) may not save scenarios.",
        ),
        (
            VIEWER,
            "change_weights",
            "viewer",
            "Not allowed: your role (Viewer) may not change the model's weights.",
        ),
        (PLANNER, "save_scenario", "planner", None),
        (
            PLANNER,
            "publish_edition",
            "planner",
            "Not allowed: your role (Planner) may not publish an edition.",
        ),
        (ADMIN, "withdraw_edition", "data_admin", None),
    ],
)
def test_require_by_role(
    user: dict[str, object], action: str, role: str, refused: str | None
) -> None:
    at = _run(action, user)
    assert not at.exception
    assert at.text[0].value == f"user={user['email']} role={role} signed_in=True"
    if refused is None:
        assert [s.value for s in at.success] == ["done"]
        assert not at.error
    else:
        assert not at.success
        assert at.error[0].value.startswith(refused)


def test_sidebar_shows_user_role_and_sign_out() -> None:
    at = _run("simulate", PLANNER)
    caption = at.sidebar.caption[0].value
    assert "Pankaj Planner" in caption and "Role: **Planner**" in caption
    assert [b.label for b in at.sidebar.button] == ["Sign out"]


def test_refusal_in_hindi() -> None:
    at = _run("save_scenario", VIEWER, lang="hi")
    assert at.error[0].value.startswith(
        "अनुमति नहीं: आपकी भूमिका (दर्शक) में परिदृश्य सहेजना की अनुमति नहीं है।"
    )
    assert "भूमिका: **दर्शक**" in at.sidebar.caption[0].value


def test_unmapped_user_is_a_viewer() -> None:
    at = _run("save_scenario", {"is_logged_in": True, "email": "nobody@elsewhere.example"})
    assert at.text[0].value == "user=nobody@elsewhere.example role=viewer signed_in=True"
    assert at.error


def test_broken_roles_file_stops_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "roles.yaml"
    broken.write_text("roles:\n  superuser: {}\n", encoding="utf-8")
    monkeypatch.setenv("IGOT_ROLES_FILE", str(broken))
    auth._roles.clear()
    at = _run("simulate", PLANNER)
    assert not at.exception
    assert "roles configuration is broken" in at.error[0].value
    assert "superuser" in at.error[0].value
    assert not at.text  # nothing granted


def test_app_with_sign_in_configured_shows_only_the_sign_in_button() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.selectbox  # no language switch, no pages: only the gate


def test_app_without_sign_in_is_unchanged() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    # The pages' own rendering is tested in tests/app; here: past the gate, as before.
    assert [s.label for s in at.sidebar.selectbox] == ["Language"]
    assert "Sign in" not in [b.label for b in at.button]
    assert all("Signed in" not in c.value for c in at.sidebar.caption)


def test_require_without_a_signed_in_user_asks_to_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    # The gate normally stops the run first; require() must hold on its own all the same.
    monkeypatch.setattr(auth, "sign_in_gate", lambda: None)
    at = _run("save_scenario", {"is_logged_in": False})
    assert not at.exception
    assert at.error[0].value == "Not allowed: sign in first to save scenarios."
