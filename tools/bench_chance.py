"""Lever-change benchmark of the chance beside the rank: the Simulator's lever change until the
new result (score, rank, chance, extra completers) is on screen, against the same app without the
chance (commit BEFORE, main just before it, checked out into a temporary git worktree), the two
servers' changes alternating so both see the same moments of this shared machine's load.

Every server listens on 127.0.0.1 only and is stopped here. Figures go to
bench-results/chance.json. Run: .venv/bin/python -m tools.bench_chance
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from app_ui.export.browser import CHROMIUM, launch_options
from tools.bench_pages import lever_against

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-results"
BEFORE = "41acbe7"  # main before the chance was shown on the Simulator (issue 12, app half)
CHANGES = 20
WARM_UP = 2


def bench(browser: Any) -> dict[str, Any]:
    result = lever_against(browser, BEFORE, CHANGES, WARM_UP)
    if "skipped" in result:
        return result
    return {
        "with_chance": result["now"],
        "before": result["before"],
        "ratio_p50": result["ratio_p50"],
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
