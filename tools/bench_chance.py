"""Lever-change benchmark of the chance beside the rank: the Simulator's lever change until the
new result (score, rank, chance, extra completers) is on screen, against the same app without the
chance (commit BEFORE, main just before it, checked out into a temporary git worktree), the two
servers' changes alternating so both see the same moments of this shared machine's load.

Every server listens on 127.0.0.1 only and is stopped here. Figures go to
bench-results/chance.json. Run: .venv/bin/python -m tools.bench_chance
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app_ui.export.browser import CHROMIUM, launch_options
from tools.appserver import serve
from tools.bench_pages import PAGES, drawn
from tools.bench_ui import change, summary

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-results"
BEFORE = "41acbe7"  # main before the chance was shown on the Simulator (issue 12, app half)
CHANGES = 20
WARM_UP = 2


@contextmanager
def checkout(commit: str) -> Iterator[Path | None]:
    """`commit` in a temporary git worktree (None if git cannot make one)."""
    folder = Path(tempfile.mkdtemp(prefix="igot-before-chance-"))
    added = subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), commit],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    try:
        yield folder if added.returncode == 0 else None
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(folder)],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )


def _simulator(browser: Any, url: str) -> tuple[Any, Any]:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/simulator")
    drawn(page, PAGES["simulator"])
    page.locator("[data-testid=stMultiSelect] input").first.click()
    page.keyboard.type("Education Department")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    field = page.get_by_label("Extra users who complete courses")
    field.wait_for(timeout=60_000)
    return page, field


def bench(browser: Any) -> dict[str, Any]:
    with checkout(BEFORE) as old:
        if old is None:
            return {"skipped": f"commit {BEFORE} not available"}
        with serve("app.py") as now_server, serve(str(old / "app.py"), cwd=old) as old_server:
            pages = {
                "with_chance": _simulator(browser, now_server.url),
                "before": _simulator(browser, old_server.url),
            }
            times: dict[str, list[float]] = {label: [] for label in pages}
            for i in range(CHANGES + WARM_UP):
                # Each amount is new to both servers: no cached simulation or chance is reused.
                amount = 20_000 + 1_000 * i
                for label, (page, field) in pages.items():
                    took = change(page, field, amount, f"{amount:,}")
                    if i >= WARM_UP:
                        times[label].append(took)
            for page, _ in pages.values():
                page.close()
    return {
        "with_chance": summary(times["with_chance"]),
        "before": summary(times["before"]),
        "ratio_p50": statistics.median(times["with_chance"]) / statistics.median(times["before"]),
    }


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            result = bench(browser)
        finally:
            browser.close()
    (OUT / "chance.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    if "skipped" in result:
        print(result["skipped"])
        return
    print(
        f"lever change p50 {result['with_chance']['p50_ms']:.0f} ms with the chance "
        f"(p95 {result['with_chance']['p95_ms']:.0f} ms), {result['before']['p50_ms']:.0f} ms "
        f"before (p95 {result['before']['p95_ms']:.0f} ms): {result['ratio_p50']:.2f}x"
    )


if __name__ == "__main__":
    main()
