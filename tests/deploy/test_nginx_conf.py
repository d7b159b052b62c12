"""deploy/nginx/igot.conf as the tests run it: ports replaced line by line, and nginx accepts it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.deploy.conftest import need_nginx, render_site


def test_render_site_replaces_listen_and_upstream() -> None:
    text = render_site(18080, [19001, 19002, 19003])
    servers = [line.strip() for line in text.splitlines() if line.strip().startswith("server 1")]
    assert servers == [
        "server 127.0.0.1:19001 max_fails=3 fail_timeout=10s;",
        "server 127.0.0.1:19002 max_fails=3 fail_timeout=10s;",
        "server 127.0.0.1:19003 max_fails=3 fail_timeout=10s;",
    ]
    assert "listen 127.0.0.1:18080;" in text and "listen 80;" not in text
    # What the deployment relies on, present in the shipped file.
    for needed in (
        "hash $igot_route consistent;",
        "proxy_set_header Upgrade $http_upgrade;",
        "location /_stcore/stream",
        "location = /_stcore/health",
        "proxy_set_header Host $http_host;",
    ):
        assert needed in text, needed


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    nginx = need_nginx()
    (tmp_path / "logs").mkdir()
    (tmp_path / "igot.conf").write_text(render_site(18080, [19001, 19002]), encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{ include {tmp_path}/igot.conf; }}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "logs" / "error.log")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
