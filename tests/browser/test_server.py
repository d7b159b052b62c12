"""The server runs the way it was measured: on uvloop, parsing HTTP with httptools (two of
streamlit[performance]'s packages, in requirements.txt; see README, Performance)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest


@pytest.mark.parametrize("library", ["uvloop", "httptools"])
def test_server_process_loads(library: str, shared_app: tuple[str, int]) -> None:
    url, pid = shared_app
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        assert response.status == 200
    # Both are compiled extensions: loaded means mapped into the server's memory.
    assert library in Path(f"/proc/{pid}/maps").read_text()
