"""A page for the sign-in browser test: buttons that try planner and data-admin actions through the
server-side check (require) that the app's pages call, shown to every role so that the refusal is
the server's, not a hidden button's."""

from __future__ import annotations

import streamlit as st

from app_ui import session
from app_ui.auth import ActionRefused, require, sidebar_user, sign_in_gate
from scoring.roles import Action

session.init()
sign_in_gate()
with st.sidebar:
    sidebar_user()
for action in (Action.SAVE_SCENARIO, Action.PUBLISH_EDITION):
    if st.button(action.value, key=f"probe_{action.value}"):
        try:
            user = require(action)
            st.success(f"{action.value} done by {user.id}")
        except ActionRefused as exc:
            st.error(str(exc))
