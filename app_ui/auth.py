"""Sign-in and roles in the app: the current user, the sign-in gate, and the server-side check
that every action changing shared data calls (`require`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from app_ui.l10n import t
from app_ui.text import plain
from scoring.errors import ScoringInputError
from scoring.roles import Action, NotAllowed, Role, RolesConfig, can, load_roles, resolve_role
from scoring.roles import user_id as claims_user_id

LOCAL_USER = "local"


@dataclass(frozen=True)
class CurrentUser:
    id: str  # owner of saved work: the e-mail (or subject) when signed in, 'local' otherwise
    name: str
    role: Role
    signed_in: bool


class ActionRefused(NotAllowed):
    """NotAllowed with a message for the user in their language; pages show str(exc)."""

    def __init__(self, role: Role, action: Action, *, signed_in: bool = True) -> None:
        super().__init__(role, action)
        if signed_in:
            self.message = t(
                "auth.refused",
                role=t(f"auth.role.{role.value}"),
                action=t(f"auth.action.{action.value}"),
            )
        else:
            self.message = t("auth.sign_in_first", action=t(f"auth.action.{action.value}"))
        self.args = (self.message,)


def sign_in_configured() -> bool:
    """True when .streamlit/secrets.toml (or a file in secrets.files) has an [auth] section."""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except (FileNotFoundError, OSError):
        return False


@st.cache_resource(show_spinner=False, ttl=60)
def _roles() -> RolesConfig:
    # Read again at most once a minute: an administrator's change applies without a restart.
    return load_roles()


def _claims() -> dict[str, Any]:
    return {key: st.user.get(key) for key in st.user}


def current_user() -> CurrentUser:
    """The signed-in user and their role; with sign-in off, the 'local' user with every right
    (one person on their own machine, as `make run` has always been)."""
    if not sign_in_configured():
        return CurrentUser(LOCAL_USER, LOCAL_USER, Role.DATA_ADMIN, signed_in=False)
    if not st.user.is_logged_in:
        # Not signed in yet: nothing beyond looking (the gate shows only a sign-in button).
        return CurrentUser("", "", Role.VIEWER, signed_in=False)
    claims = _claims()
    uid = claims_user_id(claims)
    name = str(claims.get("name") or uid)
    return CurrentUser(uid, name, resolve_role(claims, _roles()), signed_in=True)


def allowed(action: Action) -> bool:
    """For hiding or disabling a control; the action itself must still call require()."""
    return can(current_user().role, action)


def require(action: Action) -> CurrentUser:
    """The server-side check: returns the user when their role may do `action`, else raises
    ActionRefused naming the role and the action, whatever the browser sent."""
    user = current_user()
    if sign_in_configured() and not user.signed_in:
        # A session that lost its sign-in (expired cookie) between drawing a button and the click.
        raise ActionRefused(Role.VIEWER, action, signed_in=False)
    if not can(user.role, action):
        raise ActionRefused(user.role, action)
    return user


def sign_in_gate() -> None:
    """With sign-in configured and nobody signed in, show only a sign-in button and stop the run.
    A broken roles file stops here too, with its message, rather than granting anything."""
    if not sign_in_configured():
        return
    if not st.user.is_logged_in:
        st.title(t("common.app_title"))
        st.write(t("auth.sign_in_intro"))
        st.button(t("auth.sign_in"), key="auth_sign_in", type="primary", on_click=st.login)
        st.stop()
    try:
        _roles()
    except ScoringInputError as exc:
        st.error(t("auth.roles_broken", problem=plain(exc)))
        st.button(t("auth.sign_out"), key="auth_sign_out", on_click=st.logout)
        st.stop()


def sidebar_user() -> None:
    """The signed-in user, their role and a sign-out button (nothing when sign-in is off)."""
    user = current_user()
    if not user.signed_in:
        return
    st.caption(
        t(
            "auth.signed_in_as",
            name=plain(user.name),
            user=plain(user.id),
            role=t(f"auth.role.{user.role.value}"),
        ),
        help=t(f"auth.role_help.{user.role.value}"),
    )
    st.button(t("auth.sign_out"), key="auth_sign_out", on_click=st.logout)
