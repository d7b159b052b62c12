"""Keeps a shared link (?scenario=...) through the sign-in, so whoever opens one signed out lands on
the shared scenario once signed in, not on the base page.

Why in the browser tab: Streamlit 1.67's st.login leaves the page (window.location), so the
session and its session_state end; its OIDC callback always redirects to the app's base URL
(web/server/starlette/starlette_auth_routes.py, `_redirect_to_base`), with no way to pass a
target; and the OIDC `state` lives in Streamlit's own sign-in handler, out of the app's reach.
What does survive the round trip is the tab's sessionStorage: same origin, this tab only, never
sent to any server, gone when the tab closes. So the sign-in gate writes the link's own query
parameters there (only this app's keys, at most MAX_KEPT_CHARS, with the time), and the first
run of the signed-in session takes them out (once) and, if at most KEPT_SECONDS old, opens the
same page with them. The restored address is then followed like any link (app_ui.links), with
the same checks: nothing here trusts what the browser kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from app_ui import session
from app_ui.auth import sign_in_configured
from app_ui.links import OWN_KEYS
from scoring.share import MAX_LINK_CHARS

STORAGE_KEY = "igot.sign_in_link"
# A sign-in with a second factor takes a minute or two; a link older than this is forgotten.
KEPT_SECONDS = 600
# The scenario's own limit plus the model fingerprint, language and edition parameters.
MAX_KEPT_CHARS = MAX_LINK_CHARS + 200
CONTAINER_KEY = "sign_in_link"


def kept_query(params: Mapping[str, str]) -> str | None:
    """The query string worth keeping through the sign-in: this app's own parameters only, in
    a fixed order; None when there are none or they are longer than any link can be."""
    own = {key: str(params[key]) for key in OWN_KEYS if key in params}
    if not own:
        return None
    query = urlencode(own)
    return query if len(query) <= MAX_KEPT_CHARS else None


def _js(value: object) -> str:
    """A value as a JavaScript literal that cannot close the script element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


def remember_script(query: str | None) -> str:
    """Keep `query` with this page's path and the time in the tab (or forget what was kept)."""
    if query is None:
        body = f"sessionStorage.removeItem({_js(STORAGE_KEY)});"
    else:
        body = (
            f"sessionStorage.setItem({_js(STORAGE_KEY)}, JSON.stringify("
            f"{{path: location.pathname, query: {_js(query)}, at: Date.now()}}));"
        )
    return f"<script>try {{ {body} }} catch (e) {{}}</script>"


def restore_script() -> str:
    """Take the kept link out of the tab (once) and open it, if recent, small and on this
    site: a path of this origin (no '//' or backslash, which a browser may read as another
    host) and a query string no longer than any link."""
    return (
        "<script>try {"
        f" const raw = sessionStorage.getItem({_js(STORAGE_KEY)});"
        f" sessionStorage.removeItem({_js(STORAGE_KEY)});"
        " const kept = raw ? JSON.parse(raw) : null;"
        " if (kept && typeof kept.path === 'string' && typeof kept.query === 'string'"
        "   && typeof kept.at === 'number'"
        f"   && Date.now() - kept.at >= 0 && Date.now() - kept.at <= {KEPT_SECONDS * 1000}"
        f"   && kept.query.length > 0 && kept.query.length <= {MAX_KEPT_CHARS}"
        "   && /^\\/(?![\\/\\\\])[^?#\\\\]*$/.test(kept.path)) {"
        "   window.location.replace(kept.path + '?' + kept.query);"
        " }"
        "} catch (e) {}</script>"
    )


def _emit(script: str) -> None:
    # Hidden: a script has nothing to show, and the element's gap would shift the page.
    style = f"<style>.st-key-{CONTAINER_KEY} {{ display: none; }}</style>"
    with st.container(key=CONTAINER_KEY):
        st.html(style + script, unsafe_allow_javascript=True)


def keep_through_sign_in() -> None:
    """From app.py, before the sign-in gate. Signed out: keep the address's link in the tab
    (or forget an older one when the address has none). First run signed in, on an address
    without a link (where Streamlit lands after the sign-in): open the kept link."""
    if not sign_in_configured():
        return
    params = {key: str(st.query_params[key]) for key in OWN_KEYS if key in st.query_params}
    if not st.user.is_logged_in:
        _emit(remember_script(kept_query(params)))
    elif session.address() is None and not params:
        _emit(restore_script())
