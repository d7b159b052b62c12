"""Signed-in users for AppTests: the [auth] secrets that turn sign-in on, and one user of each role
under config/roles.example.yaml (the roles file the tests point IGOT_ROLES_FILE at)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROLES_FILE = Path(__file__).resolve().parents[2] / "config" / "roles.example.yaml"
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "igot",
    "client_secret": "igot-test-secret",
    # Never contacted: AppTest supplies st.user itself.
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
VIEWER = {"is_logged_in": True, "email": "viewer@bihar.example", "name": "Vimla Viewer"}
PLANNER = {"is_logged_in": True, "email": "planner@bihar.example", "name": "Pankaj Planner"}
OTHER_PLANNER = {
    "is_logged_in": True,
    "email": "second.planner@bihar.example",
    "groups": ["igot-planners"],
}
ADMIN = {
    "is_logged_in": True,
    "email": "data.officer@bihar.example",
    "groups": ["igot-data-admins"],
}


def sign_in(at: AppTest, user: dict[str, Any]) -> AppTest:
    """Sign-in configured for `at`, with `user` signed in."""
    at.secrets["auth"] = AUTH
    at.user = user
    return at
