"""Where a page switch's time goes: for Simulator <-> each page, the wall time (as bench_pages
measures it), the server's CPU time and the browser's main-thread time (Chromium's
TaskDuration), beside the two-page floor; with --against COMMIT, the app at that commit too,
served in the same run, the switches alternating.

Run it when a switch is slow, to see which side to work on:
    .venv/bin/python -m tools.bench_switch_cost [--rounds 3] [--against 144a4c7] [page ...]
Every server listens on 127.0.0.1 only and is stopped here; nothing is written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app_ui.export.browser import launch_options
from tools.appserver import serve
from tools.bench_pages import PAGES, _nav, checkout, drawn

SETTLE = 0.3  # seconds after the page is drawn: charts finish drawing after the script run
TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) a process has used, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class Tab:
    """A browser tab on one app server, with its DevTools session for the main-thread time."""

    page: Any
    devtools: Any
    pid: int
    times: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)

    def busy(self) -> float:
        metrics = self.devtools.send("Performance.getMetrics")["metrics"]
        return float(next(m["value"] for m in metrics if m["name"] == "TaskDuration"))

    def switch(self, path: str, title: str, name: str, record: bool) -> None:
        time.sleep(0.15)
        busy, cpu, start = self.busy(), process_cpu(self.pid), time.perf_counter()
        _nav(self.page, path).click()
        drawn(self.page, title)
        wall = time.perf_counter() - start
        time.sleep(SETTLE)
        if record:
            took = (wall, process_cpu(self.pid) - cpu, self.busy() - busy)
            self.times.setdefault(name, []).append(took)


def open_tab(browser: Any, url: str, pid: int, path: str, title: str) -> Tab:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    devtools = page.context.new_cdp_session(page)
    devtools.send("Performance.enable")
    page.goto(f"{url}/{path}")
    drawn(page, title)
    return Tab(page, devtools, pid)


@contextmanager
def servers(against: str | None) -> Iterator[dict[str, Any]]:
    with ExitStack() as stack:
        running = {"now": stack.enter_context(serve("server.py"))}
        if against:
            old = stack.enter_context(checkout(against))
            if old is None:
                raise SystemExit(f"commit {against} not available")
            running[against] = stack.enter_context(serve(str(Path(old) / "server.py"), cwd=old))
        running["floor"] = stack.enter_context(serve("tools/bench_two_page_app.py"))
        yield running


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=[p for p in PAGES if p != "simulator"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", help="a commit to measure in the same run")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with servers(args.against) as running, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        # The floor's default page, Alpha, lives at its root.
        floor = open_tab(browser, running["floor"].url, running["floor"].pid, "", "Alpha")
        apps = {
            label: open_tab(browser, srv.url, srv.pid, "simulator", PAGES["simulator"])
            for label, srv in running.items()
            if label != "floor"
        }
        for round_ in range(args.rounds + 1):  # the first round warms every page's caches
            record = round_ > 0
            for name in args.pages:
                for path, head in (("beta", "Beta"), ("", "Alpha")):
                    floor.switch(path, head, "floor", record)
                order = list(apps.values())
                for tab in order if round_ % 2 else reversed(order):
                    there = "" if name == "overview" else name  # the default page is the root
                    tab.switch(there, PAGES[name], name, record)
                    tab.switch("simulator", PAGES["simulator"], f"simulator (from {name})", record)
        browser.close()
    report(floor, apps)


def _p50(values: list[tuple[float, float, float]], part: int) -> float:
    return 1000 * statistics.median(v[part] for v in values)


def report(floor: Tab, apps: dict[str, Tab]) -> None:
    base = floor.times["floor"]
    print(
        f"two-page floor: wall {_p50(base, 0):.0f} ms, server CPU {_p50(base, 1):.0f} ms, "
        f"browser {_p50(base, 2):.0f} ms (p50 of {len(base)})"
    )
    print("switch to".ljust(28) + "".join(f"{label:>26s}" for label in apps))
    print(" " * 28 + "   wall / server / browser ms" * len(apps))
    for name in next(iter(apps.values())).times:
        cells = [
            f"{_p50(t.times[name], 0):10.0f} {_p50(t.times[name], 1):7.0f} "
            f"{_p50(t.times[name], 2):7.0f}"
            for t in apps.values()
        ]
        print(f"{name:28s}" + "".join(f"{c:>26s}" for c in cells))
    for label, tab in apps.items():
        every = [v for values in tab.times.values() for v in values]
        print(
            f"{label}: every switch p50 {_p50(every, 0):.0f} ms = "
            f"{_p50(every, 0) / _p50(base, 0):.2f}x the floor; server CPU {_p50(every, 1):.0f} "
            f"ms, browser {_p50(every, 2):.0f} ms"
        )


if __name__ == "__main__":
    main()
