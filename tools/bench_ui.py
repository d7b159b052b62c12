"""Interaction benchmark (`make bench`): a lever change in the simulator until the new result is
on screen in headless Chromium, against the same measure on a one-widget page, and cold start.
Also timed: a lever change until the whole page is redrawn, and a second floor, the one-widget
page in a fragment inside a multipage shell shaped like the app's (tools/bench_shell_app.py).

Every server listens on 127.0.0.1 only, is bounded in time and is stopped here. Figures go to
bench-results/ui.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app_ui.export.browser import CHROMIUM, launch_options
from scoring.share import LeverState, ScenarioState, encode_link
from tools.appserver import serve

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-results"
CHANGES = 30
START_TIMEOUT = 90.0


# The app runs with uvloop and httptools (two of streamlit[performance]'s packages, in
# requirements.txt). Put first on PYTHONPATH, this directory hides them, so that the app is also
# measured without them in the same run.
WITHOUT_PERFORMANCE = ROOT / "tools" / "bench_without_perf"


@contextmanager
def server(
    script: str, extra: list[str], env: dict[str, str] | None = None
) -> Iterator[tuple[str, float]]:
    env = {"IGOT_SCENARIO_DB": str(OUT / "bench.sqlite"), **(env or {})}
    with serve(script, extra_args=extra, env=env) as running:
        hidden = env.get("PYTHONPATH") == str(WITHOUT_PERFORMANCE)
        _check_uvloop(running.pid, expected=not hidden)
        yield running.url, running.started


def _check_uvloop(pid: int, *, expected: bool) -> None:
    """Each variant must really run with (or without) uvloop: Streamlit uses it if importable."""
    loaded = "uvloop" in Path(f"/proc/{pid}/maps").read_text()
    if loaded != expected:
        raise RuntimeError(f"server {pid}: uvloop {'not ' if expected else ''}loaded")


def wait_text(page: Any, text: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(e => e.textContent.includes(t))",
        arg=text,
        polling="raf",
        timeout=60_000,
    )


def wait_run_done(page: Any, text: str) -> None:
    """Until `text` is on the page (an element sent late in the run) and the run is over: every
    element of the rerun is then drawn."""
    page.wait_for_function(
        "t => document.body.innerText.includes(t) && document.querySelector("
        "'[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'",
        arg=text,
        polling="raf",
        timeout=60_000,
    )


def change(page: Any, field: Any, value: int, text: str, *, whole: bool = False) -> float:
    """Seconds from Enter in the field to `text` shown in a metric; with `whole`, until `text`
    is anywhere on the page and the whole rerun is drawn (see wait_run_done)."""
    field.fill(str(value))  # leaves the focus in the field
    start = time.perf_counter()
    # The keyboard, not field.press(): that would first look the field up by its label
    # again, which costs more on a big page and is the harness's time, not the app's.
    page.keyboard.press("Enter")
    if whole:
        wait_run_done(page, text)
    else:
        wait_text(page, text)
    return time.perf_counter() - start


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": statistics.median(ordered) * 1e3,
        "p95_ms": ordered[round(0.95 * (len(ordered) - 1))] * 1e3,
        "n": len(ordered),
    }


def run(browser: Any, extra: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """The floor pages and the simulator run side by side and their changes alternate, so all
    see the same moments of this shared machine's load."""
    result: dict[str, Any] = {}
    link = encode_link(
        ScenarioState(
            levers=(LeverState(target="Education Department, Bihar", kind="add", value=10_000),)
        )
    )
    with (
        server("tools/bench_floor_app.py", extra, env) as (floor_url, _),
        server("tools/bench_shell_app.py", extra, env) as (shell_url, _),
        server("server.py", extra, env) as (url, started),
    ):
        app_page = browser.new_page(viewport={"width": 1366, "height": 900})
        app_page.goto(f"{url}/simulator?scenario={link}")
        wait_text(app_page, "10,000")
        result["cold_start_s"] = time.perf_counter() - started
        lever = app_page.get_by_label("Extra users who complete courses")
        floor_page = browser.new_page()
        floor_page.goto(floor_url)
        value = floor_page.get_by_label("Value")
        value.wait_for(timeout=60_000)
        shell_page = browser.new_page(viewport={"width": 1366, "height": 900})
        shell_page.goto(shell_url)
        shell_value = shell_page.get_by_label("Value")
        shell_value.wait_for(timeout=60_000)
        for i in range(2):  # warm up
            change(floor_page, value, 100 + i, f"{2 * (100 + i):,}")
            change(shell_page, shell_value, 100 + i, f"{2 * (100 + i):,}")
            change(app_page, lever, 11_000 + 1_000 * i, f"{11_000 + 1_000 * i:,}")
        floor: list[float] = []
        shell: list[float] = []
        simulator: list[float] = []
        whole: list[float] = []
        for i in range(CHANGES):
            floor.append(change(floor_page, value, i + 1, f"{2 * (i + 1):,}"))
            shell.append(change(shell_page, shell_value, i + 1, f"{2 * (i + 1):,}"))
            amount = 13_000 + 1_000 * i
            simulator.append(change(app_page, lever, amount, f"{amount:,}"))
            # The same kind of change again, timed until every chart and card is redrawn.
            amount += 500
            card_text = f"Adds {amount:,} completers."
            whole.append(change(app_page, lever, amount, card_text, whole=True))
        floor_page.close()
        shell_page.close()
        app_page.close()
    result["floor"] = summary(floor)
    result["shell_floor"] = summary(shell)
    result["simulator"] = summary(simulator)
    result["simulator_whole_update"] = summary(whole)
    result["ratio_p50"] = result["simulator"]["p50_ms"] / result["floor"]["p50_ms"]
    result["ratio_p95"] = result["simulator"]["p95_ms"] / result["floor"]["p95_ms"]
    # What the shell alone costs, and the simulator measured against the shell.
    result["shell_ratio_p50"] = result["shell_floor"]["p50_ms"] / result["floor"]["p50_ms"]
    result["ratio_to_shell_p50"] = result["simulator"]["p50_ms"] / result["shell_floor"]["p50_ms"]
    return result


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            # .streamlit/config.toml turns the post-run GC off; measure it back on for comparison,
            # and the app without uvloop and httptools.
            variants: list[tuple[str, list[str], dict[str, str] | None]] = [
                ("as_configured", [], None),
                ("postScriptGC_on", ["--runner.postScriptGC", "true"], None),
                ("without_uvloop_httptools", [], {"PYTHONPATH": str(WITHOUT_PERFORMANCE)}),
            ]
            for name, extra, env in variants:
                results[name] = run(browser, extra, env)
                r = results[name]
                print(
                    f"{name}: lever change p50 {r['simulator']['p50_ms']:.0f} ms, "
                    f"p95 {r['simulator']['p95_ms']:.0f} ms (whole page redrawn p50 "
                    f"{r['simulator_whole_update']['p50_ms']:.0f} ms, p95 "
                    f"{r['simulator_whole_update']['p95_ms']:.0f} ms); one-widget floor p50 "
                    f"{r['floor']['p50_ms']:.0f} ms, p95 {r['floor']['p95_ms']:.0f} ms; ratio "
                    f"p50 {r['ratio_p50']:.2f}x, p95 {r['ratio_p95']:.2f}x; the same widget in "
                    f"a multipage shell p50 {r['shell_floor']['p50_ms']:.0f} ms "
                    f"({r['shell_ratio_p50']:.2f}x the floor); cold start "
                    f"{r['cold_start_s']:.1f} s"
                )
        finally:
            browser.close()
    (OUT / "ui.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written to {OUT / 'ui.json'}")


if __name__ == "__main__":
    main()
