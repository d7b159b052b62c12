"""A shared link through the sign-in (app_ui.sign_in_link): what the gate keeps in the tab, what
the first signed-in run asks the tab to open, and the bounds on both. The round trip itself runs
in Chromium against the real provider in tests/deploy/test_oidc.py."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from app_ui.sign_in_link import (
    KEPT_SECONDS,
    MAX_KEPT_CHARS,
    STORAGE_KEY,
    kept_query,
    remember_script,
    restore_script,
)
from tests.app.users import AUTH, PLANNER

APP = Path(__file__).resolve().parents[2] / "app.py"


def _scripts(at: AppTest) -> list[str]:
    """The bodies of the page's HTML elements that touch the kept link."""
    return [e.proto.body for e in at.get("html") if STORAGE_KEY in e.proto.body]


def _run(user: dict[str, object] | None, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_only_the_apps_own_parameters_are_kept_in_order() -> None:
    query = kept_query({"utm": "x", "lang": "hi", "scenario": "eJx-abc", "edition": "2025-12-31"})
    assert query == "scenario=eJx-abc&lang=hi&edition=2025-12-31"
    assert kept_query({"utm": "x"}) is None and kept_query({}) is None


def test_a_query_longer_than_any_link_is_not_kept() -> None:
    longest = "a" * (MAX_KEPT_CHARS - len("scenario="))
    assert kept_query({"scenario": longest}) == f"scenario={longest}"
    assert kept_query({"scenario": longest + "a"}) is None


def test_the_scripts_cannot_be_closed_by_the_kept_text() -> None:
    hostile = kept_query({"scenario": "</script><img src=x onerror=alert(1)>"})
    assert hostile is not None
    script = remember_script(hostile)
    assert script.count("</script>") == 1 and "<img" not in script
    assert f"<= {KEPT_SECONDS * 1000}" in restore_script()  # ten minutes, in milliseconds
    assert f"<= {MAX_KEPT_CHARS}" in restore_script()


def test_the_gate_keeps_a_shared_link_in_the_tab() -> None:
    at = _run({"is_logged_in": False}, scenario="eJx-abc", lang="hi", utm_source="mail")
    assert [b.label for b in at.button] == ["Sign in"]
    (script,) = _scripts(at)
    assert "sessionStorage.setItem" in script and "location.pathname" in script
    kept = script.split('query: "', 1)[1].split('"', 1)[0]
    assert parse_qs(kept) == {"scenario": ["eJx-abc"], "lang": ["hi"]}


def test_the_gate_without_a_link_forgets_an_older_one() -> None:
    (script,) = _scripts(_run({"is_logged_in": False}))
    assert "sessionStorage.removeItem" in script and "setItem" not in script


def test_the_first_signed_in_run_on_the_bare_address_opens_the_kept_link() -> None:
    at = _run(PLANNER)
    assert not at.exception, at.exception
    (script,) = _scripts(at)
    assert "window.location.replace" in script
    at.run()  # the same session's next run: asked once only
    assert not _scripts(at)


@pytest.mark.parametrize(
    ("user", "params"),
    [
        (PLANNER, {"scenario": "eJx-abc"}),  # signed in and on a link already: that link
        (None, {"scenario": "eJx-abc"}),  # sign-in off: nothing to keep
        (None, {}),
    ],
)
def test_nothing_to_keep_or_open(user: dict[str, object] | None, params: dict[str, str]) -> None:
    assert not _scripts(_run(user, **params))
