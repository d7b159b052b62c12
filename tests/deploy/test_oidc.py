"""Sign-in end to end: a real OpenID Connect provider (oidc-provider on Node.js, tools/oidc) and the
app with [auth] in its secrets, all on 127.0.0.1; Chromium signs in as each role, sees the role in
the sidebar, signs out, and a viewer is refused a planner action by the server; and sign-in
through nginx holds when the browser moves to the other app server."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.conftest import (
    app_server,
    need_chromium,
    need_nginx,
    need_oidc_provider,
    nginx_in_front,
    oidc_provider,
    write_secrets,
)
from tools.appserver import free_port

pytestmark = pytest.mark.browser

PROBE = "tests/deploy/auth_probe_app.py"
# Login names of tools/oidc/start.mjs's users and the role config/roles.example.yaml gives each.
USERS = {
    "viewer": "Viewer",
    "planner": "Planner",
    "admin": "Data admin",
    "nobody": "Viewer",  # in no mapping: the default role
}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, str]]:
    """The app and the probe page, both with sign-in, and the provider: {'app': url, ...}."""
    need_oidc_provider()
    launch = need_chromium()
    provider_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        # '{port}': Streamlit fills in its own port, so the file exists before the port is known.
        secrets = write_secrets(
            Path(tmp) / "secrets.toml", provider_port, "http://127.0.0.1:{port}/oauth2callback"
        )
        with (
            app_server("oidc-app", secrets=secrets) as app,
            app_server("oidc-probe", script=PROBE, secrets=secrets) as probe,
            oidc_provider(
                provider_port,
                [f"{app.url}/oauth2callback", f"{probe.url}/oauth2callback"],
                "browser",
            ) as issuer,
        ):
            yield {"app": app.url, "probe": probe.url, "issuer": issuer, "launch": launch}  # type: ignore[dict-item]


@pytest.fixture(scope="module")
def browser(servers: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**servers["launch"])
        try:
            yield chromium
        finally:
            chromium.close()


def _sign_in(browser: Any, url: str, login: str, issuer: str) -> Any:
    """A fresh browser context signed in as `login`; returns its page."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    _stay_on_this_machine(context)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Sign in").click()
    # The provider's own sign-in form (its development login accepts any password).
    page.wait_for_url(re.compile(re.escape(issuer) + r"/interaction/"))
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any-password")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(url) + r"/?(\?.*)?$"))
    return page


def _stay_on_this_machine(context: Any) -> None:
    """Abort every request that would leave 127.0.0.1. The only one expected is the web font the
    provider's development login page asks for (its page, not the app's; the app's own pages are
    checked for this in tests/browser/test_main_flow.py)."""
    left: list[str] = []

    def abort(route: Any) -> None:
        left.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), abort)
    context.left_machine = left


def _check_stayed(page: Any) -> None:
    left = page.context.left_machine
    assert all(url.startswith("https://fonts.googleapis.com/") for url in left), left


def _sidebar_text(page: Any, signed_in: str = "Signed in as") -> str:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(signed_in).first.wait_for()
    return str(sidebar.inner_text())


@pytest.mark.parametrize("login", list(USERS))
def test_each_role_signs_in_and_sees_its_role(
    servers: dict[str, str], browser: Any, login: str
) -> None:
    page = _sign_in(browser, servers["app"], login, servers["issuer"])
    try:
        text = _sidebar_text(page)
        assert f"Role: {USERS[login]}" in text, text
        # The app itself is there behind the gate: the Overview page's ranking.
        page.get_by_test_id("stSidebarNav").wait_for()
        assert page.get_by_role("button", name="Sign in").count() == 0
        page.get_by_role("button", name="Sign out").click()
        # Signing out goes through the provider's end-session page, which asks to confirm, and
        # then back to the app's gate.
        confirm = page.get_by_role("button", name="Yes, sign me out")
        confirm.wait_for()
        confirm.click()
        page.get_by_role("button", name="Sign in").wait_for()
        assert page.get_by_text("Signed in as").count() == 0
        # The gate works again: the next sign-in starts at the provider's form.
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(re.escape(servers["issuer"]) + r"/interaction/"))
        _check_stayed(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("login", "action", "expected"),
    [
        ("viewer", "save_scenario", "Not allowed: your role (Viewer) may not save scenarios."),
        ("planner", "save_scenario", "save_scenario done by planner@bihar.example"),
        ("planner", "publish_edition", "Not allowed: your role (Planner) may not publish"),
        ("admin", "publish_edition", "publish_edition done by data.officer@bihar.example"),
    ],
)
def test_server_refuses_an_action_the_role_lacks(
    servers: dict[str, str], browser: Any, login: str, action: str, expected: str
) -> None:
    page = _sign_in(browser, servers["probe"], login, servers["issuer"])
    try:
        _sidebar_text(page)
        page.get_by_role("button", name=action, exact=True).click()
        page.get_by_text(expected).wait_for()
    finally:
        page.context.close()


def _scenarios_page(page: Any) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Saved scenarios").click()
    page.get_by_role("heading", name="Save the current scenario").wait_for()


def _save_scenario(page: Any, name: str, shared: bool) -> None:
    page.locator(".st-key-scn_name input").fill(name)
    if shared:
        page.locator(".st-key-scn_share label").click()
    page.locator(".st-key-scn_save button").click()
    page.get_by_text(f"Saved as “{name}”.").wait_for()


def test_saved_scenarios_by_role(servers: dict[str, str], browser: Any) -> None:
    """A planner saves one private and one shared scenario; a viewer has no save form, sees only
    the shared one with its owner and no rename or delete; an admin may rename or delete it."""
    planner = _sign_in(browser, servers["app"], "planner", servers["issuer"])
    try:
        _scenarios_page(planner)
        _save_scenario(planner, "Planner private", shared=False)
        _save_scenario(planner, "Planner shared", shared=True)
    finally:
        planner.context.close()
    viewer = _sign_in(browser, servers["app"], "viewer", servers["issuer"])
    try:
        _scenarios_page(viewer)
        viewer.get_by_text("Saving needs the planner role").wait_for()
        assert viewer.locator(".st-key-scn_save").count() == 0
        pick = viewer.get_by_role("combobox", name="Scenario")
        pick.wait_for()
        assert pick.input_value() == "Planner shared (by planner@bihar.example)"
        pick.click()
        options = viewer.get_by_role("option").all_inner_texts()
        assert options == ["Planner shared (by planner@bihar.example)"], options
        viewer.keyboard.press("Escape")
        viewer.get_by_text("This scenario belongs to planner@").wait_for()  # plain(): word joiners
        assert viewer.locator(".st-key-scn_delete").count() == 0
        assert viewer.locator(".st-key-scn_rename").count() == 0
    finally:
        viewer.context.close()
    admin = _sign_in(browser, servers["app"], "admin", servers["issuer"])
    try:
        _scenarios_page(admin)
        admin.locator(".st-key-scn_delete button").wait_for()
        assert admin.locator(".st-key-scn_rename button").count() == 1
        # An admin sees shared scenarios, not other people's private ones.
        pick = admin.get_by_role("combobox", name="Scenario")
        pick.click()
        options = admin.get_by_role("option").all_inner_texts()
        assert options == ["Planner shared (by planner@bihar.example)"], options
    finally:
        admin.context.close()


def test_without_signing_in_nothing_but_the_button(servers: dict[str, str], browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(servers["probe"])
        page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="save_scenario").count() == 0
    finally:
        context.close()


def test_sign_in_through_nginx_holds_on_both_servers(browser: Any) -> None:
    """Two app servers behind nginx with the same secrets: a user signed in through one is
    signed in on the other too (the sign-in cookie is signed with the shared cookie_secret), so
    losing a server does not sign everyone out."""
    need_nginx()
    nginx_port, provider_port = free_port(), free_port()
    entry = f"http://127.0.0.1:{nginx_port}"
    with tempfile.TemporaryDirectory() as tmp:
        secrets = write_secrets(
            Path(tmp) / "secrets.toml", provider_port, f"{entry}/oauth2callback"
        )
        with (
            app_server("oidc-nginx-a", secrets=secrets) as a,
            app_server("oidc-nginx-b", secrets=secrets) as b,
        ):
            ports = [int(a.url.rsplit(":", 1)[1]), int(b.url.rsplit(":", 1)[1])]
            with (
                nginx_in_front(ports, "oidc", port=nginx_port),
                oidc_provider(provider_port, [f"{entry}/oauth2callback"], "nginx") as issuer,
            ):
                page = _sign_in(browser, entry, "planner", issuer)
                try:
                    assert "Role: Planner" in _sidebar_text(page)
                    context = page.context
                    route = next(c for c in context.cookies() if c["name"] == "igot_route")
                    first = page.request.get(f"{entry}/_stcore/health").headers["x-igot-upstream"]
                    # Another route cookie until nginx picks the other server, as it would if
                    # the first went down.
                    for n in range(64):
                        context.add_cookies([{**route, "value": f"moved{n}"}])
                        now = page.request.get(f"{entry}/_stcore/health").headers["x-igot-upstream"]
                        if now != first:
                            break
                    assert now != first, "no route cookie moved the browser to the other server"
                    response = page.reload()
                    assert response is not None
                    assert response.headers["x-igot-upstream"] == now  # the other server
                    assert "Role: Planner" in _sidebar_text(page)
                    _check_stayed(page)
                finally:
                    page.context.close()


def _open_link_signed_out(browser: Any, url: str, issuer: str) -> Any:
    """A fresh context opens `url` signed out and goes through the provider's form as a
    planner; returns the page once back in the app."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    _stay_on_this_machine(context)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(issuer) + r"/interaction/"))
    page.fill("input[name=login]", "planner")
    page.fill("input[name=password]", "any-password")
    page.click("button[type=submit]")
    return page


def test_a_shared_link_opened_signed_out_opens_after_the_sign_in(
    servers: dict[str, str], browser: Any
) -> None:
    """Streamlit lands on the base URL after the sign-in; the link kept in the tab brings the
    shared scenario back (Education +50,000: 42.15, rank 7 of 9)."""
    from playwright.sync_api import expect

    link = f"simulator?scenario={_education_link()}&lang=hi"
    page = _open_link_signed_out(browser, f"{servers['app']}/{link}", servers["issuer"])
    try:
        page.wait_for_url(f"{servers['app']}/{link}")
        values = page.get_by_test_id("stMetricValue")
        expect(values.filter(has_text=re.compile(r"^42\.15$")).first).to_be_visible()
        expect(values.filter(has_text="9 में से 7").first).to_be_visible()
        assert "भूमिका: योजनाकार" in _sidebar_text(page, "के रूप में साइन इन")
        # Taken out of the tab once used: a later visit to the bare address stays there.
        assert page.evaluate("() => sessionStorage.length") == 0
        _check_stayed(page)
    finally:
        page.context.close()


def test_a_kept_link_older_than_ten_minutes_is_not_opened(
    servers: dict[str, str], browser: Any
) -> None:
    link = f"simulator?scenario={_education_link()}"
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    _stay_on_this_machine(context)
    page = context.new_page()
    try:
        page.goto(f"{servers['app']}/{link}")
        page.get_by_role("button", name="Sign in").wait_for()
        page.wait_for_function("() => sessionStorage.getItem('igot.sign_in_link') !== null")
        # As if the sign-in had taken eleven minutes.
        page.evaluate(
            "() => { const k = 'igot.sign_in_link'; const kept = JSON.parse(sessionStorage"
            ".getItem(k)); kept.at -= 11 * 60 * 1000; sessionStorage.setItem(k, "
            "JSON.stringify(kept)); }"
        )
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(re.escape(servers["issuer"]) + r"/interaction/"))
        page.fill("input[name=login]", "planner")
        page.fill("input[name=password]", "any-password")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(re.escape(servers["app"]) + r"/?$"))
        _sidebar_text(page)
        page.wait_for_function("() => sessionStorage.getItem('igot.sign_in_link') === null")
        page.wait_for_timeout(1500)  # a redirect, were there one, would have happened by now
        assert "scenario=" not in page.url
    finally:
        context.close()


def _education_link() -> str:
    from scoring.share import LeverState, ScenarioState, encode_link

    lever = LeverState(target="Education Department, Bihar", kind="add", value=50_000)
    return encode_link(ScenarioState(levers=(lever,)))
