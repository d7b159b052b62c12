"""Deployment fixtures: the real OIDC provider (tools/oidc, Node.js), Debian's nginx, app servers
with sign-in configured; a missing component fails the test in CI and skips it elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tools.appserver import AppDidNotStart, Server, serve

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "deploy"
OIDC_DIR = ROOT / "tools" / "oidc"
NGINX = Path("/usr/sbin/nginx")
PROVIDER_START_TIMEOUT = 30.0
CLIENT_ID = "igot"
CLIENT_SECRET = "igot-test-secret"


def need(present: bool, message: str) -> None:
    """CI must have every component (a missing one is a failure); a workstation may skip."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def need_chromium() -> dict[str, object]:
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (run `make browser-deps`)")
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def need_oidc_provider() -> str:
    node = shutil.which("node")
    need(node is not None, "node is missing (apt-get install nodejs npm)")
    need(
        (OIDC_DIR / "node_modules" / "oidc-provider").is_dir(),
        "tools/oidc/node_modules is missing (run `make oidc-deps`: npm ci in tools/oidc)",
    )
    return str(node)


def need_nginx() -> str:
    need(NGINX.exists(), f"{NGINX} is missing (apt-get install nginx)")
    return str(NGINX)


@contextmanager
def oidc_provider(port: int, redirect_uris: Sequence[str], name: str) -> Iterator[str]:
    """tools/oidc/start.mjs on 127.0.0.1:port; yields its issuer URL; always stopped."""
    node = need_oidc_provider()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"oidc-{name}.log"
    args = [node, "start.mjs", "--port", str(port)]
    for uri in redirect_uris:
        args += ["--redirect-uri", uri]
    args += ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            args, cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=log, text=True
        )
        try:
            issuer = _wait_for_ready(process, log_path)
            yield issuer
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_for_ready(process: subprocess.Popen[str], log_path: Path) -> str:
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY "):
                found.append(line.split()[1])
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(PROVIDER_START_TIMEOUT)
    if not found:
        process.kill()
        pytest.fail(f"the OIDC provider did not start: {log_path.read_text()[-2000:]}")
    return found[0]


def write_secrets(path: Path, provider_port: int, redirect_uri: str) -> Path:
    """A secrets.toml with the [auth] section Streamlit's st.login reads."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect_uri}"\n'
        f'cookie_secret = "{os.urandom(24).hex()}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"\n'
        # Streamlit asks for prompt=select_account by default, which oidc-provider (like many
        # providers) does not support; 'login' always shows the provider's sign-in form.
        'client_kwargs = { scope = "openid email profile groups", prompt = "login" }\n',
        encoding="utf-8",
    )
    return path


@contextmanager
def app_server(
    name: str,
    *,
    script: str = "app.py",
    secrets: Path | None = None,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
) -> Iterator[Server]:
    """A Streamlit server on a free 127.0.0.1 port with its own throw-away scenario database."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    database = ARTIFACTS / f"{name}.sqlite"
    for stale in ARTIFACTS.glob(f"{database.name}*"):
        stale.unlink()
    args = [*extra_args]
    if secrets is not None:
        args += ["--secrets.files", str(secrets)]
    try:
        with serve(
            script,
            extra_args=args,
            env={
                "IGOT_SCENARIO_DB": str(database),
                "IGOT_ROLES_FILE": str(ROOT / "config" / "roles.example.yaml"),
                **(env or {}),
            },
            log=ARTIFACTS / f"streamlit-{name}.log",
        ) as running:
            yield running
    except AppDidNotStart as exc:
        pytest.fail(str(exc))


def wait_until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)
