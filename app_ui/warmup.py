"""The modules the frame and every page import, loaded in the background when the server starts
(server.py), so the first visitor after a restart does not wait for them while the browser is
still loading the page.

A script run that needs a module the warm-up is loading waits for it on Python's own per-module
import lock, so the two threads never load a module twice. That is safe because our modules
import one another without cycles (tests/app_ui/test_warmup.py checks it): with a cycle, two
threads importing it from opposite ends could deadlock.
"""

from __future__ import annotations

import ast
import importlib
import logging
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST = ("overview", "simulator", "goal")  # the pages most visitors open first
SCRIPTS = (
    ROOT / "app.py",
    *(ROOT / "app_pages" / f"{name}.py" for name in FIRST),
    *sorted(p for p in (ROOT / "app_pages").glob("*.py") if p.stem not in FIRST),
)

_started = threading.Event()


def modules(scripts: tuple[Path, ...] = SCRIPTS) -> list[tuple[str, str]]:
    """What the scripts import at their top level, in the order they do, each once: (module,
    "") for `import module`, (module, name) for `from module import name` (the name may be a
    submodule: `from app_ui.views import goal`)."""
    out: dict[tuple[str, str], None] = {}
    for script in scripts:
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                out.update(((alias.name, ""), None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                out.update(((node.module, alias.name), None) for alias in node.names)
    return [entry for entry in out if entry[0] != "__future__"]


def _load() -> None:
    for name, sub in modules():
        try:
            module = importlib.import_module(name)
            if sub and not hasattr(module, sub):  # a submodule, not a name defined in the module
                importlib.import_module(f"{name}.{sub}")
        except Exception:  # the page shows its own error when it imports it
            logging.getLogger("igot").exception("warm-up could not import %s", name)


def start() -> None:
    """Begin loading in a background thread (once per process)."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_load, name="igot-warm-imports", daemon=True).start()
