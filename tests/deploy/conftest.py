"""Deployment fixtures: the real OIDC provider (tools/oidc, Node.js), Debian's nginx, app servers
with sign-in configured; a missing component fails the test in CI and skips it elsewhere."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app_ui.export.browser import CHROMIUM, launch_options
from tools.appserver import AppDidNotStart, Server, free_port, healthy, serve, stop

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
    return launch_options()


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
            stop(process)


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
    script: str = "server.py",
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


TEST_DATABASE_URL_ENV = "IGOT_TEST_DATABASE_URL"


@contextmanager
def shared_database(name: str) -> Iterator[str]:
    """A database for several app servers (their IGOT_DATABASE_URL): a fresh schema on CI's
    PostgreSQL when IGOT_TEST_DATABASE_URL names it (dropped afterwards), else a SQLite file in a
    temporary folder that every server opens."""
    base_text = os.environ.get(TEST_DATABASE_URL_ENV, "").strip()
    if not base_text:
        with tempfile.TemporaryDirectory(prefix=f"igot-{name}-") as folder:
            yield f"sqlite:///{Path(folder) / 'igot.sqlite'}"
        return
    base = make_url(base_text)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    schema = f"d_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def wait_until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


SITE = ROOT / "deploy" / "nginx" / "igot.conf"
NGINX_START_TIMEOUT = 20.0


def render_site(listen_port: int, backend_ports: Sequence[int]) -> str:
    """deploy/nginx/igot.conf with its listen port and upstream servers replaced: the shipped file
    is what the test runs, not a copy of it."""
    text = SITE.read_text(encoding="utf-8")
    lines = text.splitlines()
    servers = [i for i, line in enumerate(lines) if re.match(r"\s+server 127\.0\.0\.1:\d+ ", line)]
    assert servers, "no upstream server lines in deploy/nginx/igot.conf"
    template = lines[servers[0]]
    new = [re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", template) for port in backend_ports]
    lines[servers[0] : servers[-1] + 1] = new
    text = "\n".join(lines) + "\n"
    listen, count = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen_port};", text)
    assert count == 1, "deploy/nginx/igot.conf must have exactly one 'listen 80;'"
    return listen


@contextmanager
def nginx_in_front(
    backend_ports: Sequence[int], name: str, port: int | None = None
) -> Iterator[str]:
    """Debian's nginx, in the foreground with its own prefix and config under test-artifacts,
    listening on 127.0.0.1 (a free port unless given) in front of the given app servers; yields
    its URL."""
    nginx = need_nginx()
    prefix = ARTIFACTS / f"nginx-{name}"
    shutil.rmtree(prefix, ignore_errors=True)
    (prefix / "logs").mkdir(parents=True)
    prefix.chmod(0o755)  # nginx's workers run as nobody when started as root
    port = port or free_port()
    (prefix / "igot.conf").write_text(render_site(port, backend_ports), encoding="utf-8")
    (prefix / "nginx.conf").write_text(
        "daemon off;\n"
        "worker_processes 1;\n"
        f"pid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/logs/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "  log_format upstream '$remote_addr \"$request\" $status $upstream_addr $request_time';\n"
        f"  access_log {prefix}/logs/access.log upstream;\n"
        f"  client_body_temp_path {prefix}/body;\n"
        f"  proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fastcgi;\n"
        f"  uwsgi_temp_path {prefix}/uwsgi;\n"
        f"  scgi_temp_path {prefix}/scgi;\n"
        f"  include {prefix}/igot.conf;\n"
        "}\n",
        encoding="utf-8",
    )
    args = [
        nginx,
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "logs" / "error.log"),
    ]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, f"nginx -t refused the config:\n{checked.stderr}"
    # Its own process group, so that a kill reaches the workers too.
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + NGINX_START_TIMEOUT
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (prefix / "logs" / "error.log").read_text()[-2000:]
                pytest.fail(f"nginx did not start or pass a health check:\n{log}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown, workers included
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
