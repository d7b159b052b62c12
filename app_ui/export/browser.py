"""Headless Chromium as the project starts it (PNG export, browser tests, benchmarks): one path,
one argument list."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

CHROMIUM: Final = Path("/usr/bin/chromium")  # Debian's package (`make browser-deps`)
CHROMIUM_ARGS: Final = (
    # Servers and CI run it as root in containers without user namespaces, where the sandbox
    # cannot start; it only ever opens our own pages and SVGs.
    "--no-sandbox",
    "--disable-gpu",  # no GPU on servers; software drawing is what the PNGs are checked against
    # Nothing in the deployment may reach the internet: no updates, sync or background requests.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch_options() -> dict[str, Any]:
    """Keyword arguments for playwright's `chromium.launch`."""
    return {"executable_path": str(CHROMIUM), "args": list(CHROMIUM_ARGS)}
