"""Start a Streamlit script on a free 127.0.0.1 port for tests and benchmarks; always stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 90.0


class AppDidNotStart(RuntimeError):
    """The server exited or never answered its health check in time."""


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    started: float  # time.perf_counter() when the process was launched


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen[Any]) -> None:
    """Terminate a server process, killing it if it has not exited within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def serve(
    script: str = "server.py",
    *,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    timeout: float = START_TIMEOUT,
    cwd: Path = ROOT,
) -> Iterator[Server]:
    port = free_port()
    out = log.open("w") if log else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", script,
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            # Edits to the sources while it runs must not change what is measured or tested.
            "--server.fileWatcherType", "none",
            *extra_args,
        ],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        while not healthy(url):
            if process.poll() is not None or time.perf_counter() - started > timeout:
                tail = log.read_text()[-2000:] if log else ""
                raise AppDidNotStart(f"{script} did not start; {log or 'no log'}:\n{tail}")
            time.sleep(0.1)
        yield Server(url, process.pid, started)
    finally:
        stop(process)
        if log and not isinstance(out, int):
            out.close()
