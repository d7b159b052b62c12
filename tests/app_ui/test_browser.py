"""Chromium is started one way: app_ui/export/browser.py is the only place naming its flags."""

from __future__ import annotations

from pathlib import Path

from app_ui.export.browser import CHROMIUM, CHROMIUM_ARGS, launch_options

ROOT = Path(__file__).resolve().parents[2]


def test_launch_options() -> None:
    options = launch_options()
    assert options == {"executable_path": str(CHROMIUM), "args": list(CHROMIUM_ARGS)}
    assert (
        "--no-sandbox" in options["args"] and "--disable-background-networking" in options["args"]
    )
    options["args"].append("--changed")  # a caller's change does not leak into the next launch
    assert "--changed" not in launch_options()["args"]


def test_flags_are_defined_once() -> None:
    here = Path(__file__).resolve()
    holders = [
        path.relative_to(ROOT).as_posix()
        for folder in ("app_ui", "app_pages", "scoring", "tests", "tools")
        for path in (ROOT / folder).rglob("*.py")
        if path != here and '"--no-sandbox"' in path.read_text(encoding="utf-8")
    ]
    assert holders == ["app_ui/export/browser.py"]
