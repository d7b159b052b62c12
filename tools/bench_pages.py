"""Page benchmark (`make bench`): how fast pages open, switch and start, each against a floor
served in the same run with the same settings.

- open: a fresh browser context (empty cache) opens each page of a warm app server, until the
  page's title is drawn and its run is over; the floor is the one-widget page (bench_floor_app).
- switch: a click on another page in the sidebar until that page is drawn and its run is over;
  the floor is the same switch in a two-page app of one widget each (bench_two_page_app).
- start: from launching the server process to the first interactive Simulator; the floor is the
  one-widget page's start to interactive.
- lever change: the simulator's lever change, against the app as it was before the redesign
  (commit BASELINE, checked out into a temporary git worktree) in the same run.

Servers and the browser alternate between the app and its floor, so both see the same moments of
this shared machine's load. Every server listens on 127.0.0.1 only and is stopped here. Figures
go to bench-results/pages.json.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from app_ui.export.browser import CHROMIUM, launch_options
from tools.appserver import serve
from tools.bench_ui import change, summary

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-results"
PAGES = {
    "overview": "Where BIHAR stands",
    "goal": "What does it take?",
    "simulator": "Rank simulator",
    "departments": "Departments and MDOs of BIHAR",
    "weights": "KPI weights",
    "sensitivity": "Sensitivity",
    "scenarios": "Saved scenarios",
    "data": "Data and where it comes from",
}
OPENS = 5  # fresh opens of each page (and as many of the floor, alternating)
SWITCHES = 8  # page switches each way
STARTS = 3
LEVER_CHANGES = 20
BASELINE = "b53a264"  # the last commit before the app-layer redesign (issue 11)
TARGETS = {"open": 1.3, "switch": 1.5, "start": 1.5}


def drawn(page: Any, title: str, timeout: float = 60_000) -> None:
    """Until an h1 holds `title` and the script run is over."""
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.textContent.includes(t)) && "
        "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'",
        arg=title,
        polling="raf",
        timeout=timeout,
    )


def floor_drawn(page: Any) -> None:
    """Until the one-widget page's metric and input are drawn and its run is over."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMetricValue]') && "
        "document.querySelector('input') && "
        "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'",
        polling="raf",
        timeout=60_000,
    )


def timed(action: Callable[[], None], wait: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    wait()
    return time.perf_counter() - start


def open_fresh(browser: Any, url: str, wait: Callable[[Any], None]) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        return timed(lambda: page.goto(url), lambda: wait(page))
    finally:
        context.close()


def bench_open(browser: Any, app_url: str, floor_url: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    open_fresh(browser, app_url, lambda p: drawn(p, PAGES["overview"]))  # warm the server
    open_fresh(browser, floor_url, floor_drawn)
    for name, title in PAGES.items():
        app: list[float] = []
        floor: list[float] = []
        for _ in range(OPENS):
            floor.append(open_fresh(browser, floor_url, floor_drawn))
            app.append(open_fresh(browser, f"{app_url}/{name}", partial(_drawn_title, title)))
        out[name] = {
            "page": summary(app),
            "floor": summary(floor),
            "ratio_p50": statistics.median(app) / statistics.median(floor),
        }
    return out


def _drawn_title(title: str, page: Any) -> None:
    drawn(page, title)


def _switch(page: Any, path: str, title: str) -> float:
    return timed(lambda: _nav(page, path).click(), lambda: drawn(page, title))


def _nav(page: Any, path: str) -> Any:
    return page.locator(f'[data-testid=stSidebarNavLink][href$="/{path}"]')


def bench_switch(browser: Any, app_url: str, two_url: str) -> dict[str, Any]:
    """Simulator <-> each other page in the app; Alpha <-> Beta in the two-page floor."""
    app_page = browser.new_page(viewport={"width": 1366, "height": 900})
    app_page.goto(f"{app_url}/simulator")
    drawn(app_page, PAGES["simulator"])
    floor_page = browser.new_page(viewport={"width": 1366, "height": 900})
    floor_page.goto(f"{two_url}/")  # Alpha, the default page, lives at the root
    drawn(floor_page, "Alpha")
    out: dict[str, Any] = {}
    floor: list[float] = []
    every: list[float] = []
    try:
        for name, title in PAGES.items():
            if name == "simulator":
                continue
            app: list[float] = []
            for _ in range(SWITCHES // 2):
                # Alpha is the floor's default page: its address is the app's root.
                for path, head in (("beta", "Beta"), ("", "Alpha")):
                    floor.append(_switch(floor_page, path, head))
                there = "" if name == "overview" else name  # the default page lives at the root
                for path, head in ((there, title), ("simulator", PAGES["simulator"])):
                    app.append(_switch(app_page, path, head))
            every += app
            out[name] = summary(app)
    finally:
        app_page.close()
        floor_page.close()
    out["all_pages"] = summary(every)
    out["floor"] = summary(floor)
    out["ratio_p50"] = statistics.median(every) / statistics.median(floor)
    out["worst_page_ratio_p50"] = (
        max(out[n]["p50_ms"] for n in PAGES if n != "simulator") / out["floor"]["p50_ms"]
    )
    return out


def bench_start(browser: Any) -> dict[str, Any]:
    app: list[float] = []
    floor: list[float] = []
    for _ in range(STARTS):
        for script, target, wait in (
            ("tools/bench_floor_app.py", "", floor_drawn),
            ("server.py", "/simulator", partial(_drawn_title, PAGES["simulator"])),
        ):
            with serve(script) as running:
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                page.goto(f"{running.url}{target}")
                wait(page)
                (app if script == "server.py" else floor).append(
                    time.perf_counter() - running.started
                )
                page.close()
    return {
        "app": summary(app),
        "floor": summary(floor),
        "ratio_p50": statistics.median(app) / statistics.median(floor),
    }


@contextmanager
def checkout(commit: str) -> Iterator[Path | None]:
    """`commit` in a temporary git worktree (None if git cannot make one)."""
    folder = Path(tempfile.mkdtemp(prefix="igot-baseline-"))
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


def simulator_lever(browser: Any, url: str) -> tuple[Any, Any]:
    """A Simulator page with a lever on Education, and that lever's amount field."""
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


def lever_against(
    browser: Any, commit: str, changes: int = LEVER_CHANGES, warm_up: int = 2
) -> dict[str, Any]:
    """A lever change in the app now and in the app at `commit` (a temporary worktree), the two
    servers' changes alternating so both see the same moments of this shared machine's load."""
    with checkout(commit) as old:
        if old is None:
            return {"skipped": f"commit {commit} not available"}
        with serve("server.py") as now_server, serve(str(old / "app.py"), cwd=old) as old_server:
            pages = {
                "now": simulator_lever(browser, now_server.url),
                "before": simulator_lever(browser, old_server.url),
            }
            times: dict[str, list[float]] = {"now": [], "before": []}
            for i in range(changes + warm_up):
                # Each amount is new to both servers: no cached result is reused.
                amount = 20_000 + 1_000 * i
                for label, (page, field) in pages.items():
                    took = change(page, field, amount, f"{amount:,}")
                    if i >= warm_up:
                        times[label].append(took)
            for page, _ in pages.values():
                page.close()
    return {
        "now": summary(times["now"]),
        "before": summary(times["before"]),
        "ratio_p50": statistics.median(times["now"]) / statistics.median(times["before"]),
    }


def bench_lever(browser: Any) -> dict[str, Any]:
    """The lever change of bench_ui, now and before the redesign (commit BASELINE)."""
    return lever_against(browser, BASELINE)


def _save(results: dict[str, Any]) -> None:
    (OUT / "pages.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    results: dict[str, Any] = {"targets": TARGETS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            with (
                serve("server.py") as app,
                serve("tools/bench_floor_app.py") as floor,
                serve("tools/bench_two_page_app.py") as two,
            ):
                results["open"] = bench_open(browser, app.url, floor.url)
                _save(results)  # each part as it is measured: a later failure keeps the rest
                results["switch"] = bench_switch(browser, app.url, two.url)
                _save(results)
            results["start"] = bench_start(browser)
            _save(results)
            results["lever_change"] = bench_lever(browser)
        finally:
            browser.close()
    _save(results)
    for name in PAGES:
        r = results["open"][name]
        print(
            f"open {name}: p50 {r['page']['p50_ms']:.0f} ms vs floor {r['floor']['p50_ms']:.0f}"
            f" ms ({r['ratio_p50']:.2f}x, target {TARGETS['open']}x)"
        )
    s = results["switch"]
    print(
        f"switch: p50 {s['all_pages']['p50_ms']:.0f} ms vs two-page floor "
        f"{s['floor']['p50_ms']:.0f} ms ({s['ratio_p50']:.2f}x; slowest page "
        f"{s['worst_page_ratio_p50']:.2f}x; target {TARGETS['switch']}x)"
    )
    st = results["start"]
    print(
        f"start to interactive simulator: p50 {st['app']['p50_ms'] / 1e3:.1f} s vs floor "
        f"{st['floor']['p50_ms'] / 1e3:.1f} s ({st['ratio_p50']:.2f}x, target "
        f"{TARGETS['start']}x)"
    )
    lever = results["lever_change"]
    if "ratio_p50" in lever:
        print(
            f"lever change: p50 {lever['now']['p50_ms']:.0f} ms now vs "
            f"{lever['before']['p50_ms']:.0f} ms before the redesign ({lever['ratio_p50']:.2f}x)"
        )
    print(f"written to {OUT / 'pages.json'}")


if __name__ == "__main__":
    main()
