"""Load: 20 concurrent real browser sessions (Streamlit websockets) change simulator levers for
a bounded time against one server on 127.0.0.1; no errors, and the server's memory growth per
session is measured and written to test-artifacts/load.json. `run_load` takes any base URL and the
pids of the servers behind it, so tests/deploy/test_two_servers.py runs the same load through
nginx across two servers (each session's server read from nginx's X-Igot-Upstream header).

The sessions open a few at a time (as people joining a meeting do, and so that 20 page loads on a
2-core machine do not time out), then all of them change levers together for SECONDS (run_load's
`seconds`), counted from the moment the last one is ready, so a slow start on a busy CI machine
cannot eat the window."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from babel.numbers import format_decimal

from scoring.share import LeverState, ScenarioState, encode_link

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = 20
SECONDS = 120.0  # bounded: every session stops changing levers this long after all are ready
OPENING_AT_ONCE = 4  # page loads in flight at the same time
READY_TIMEOUT = 240.0  # all sessions must be open by then
LINK = encode_link(
    ScenarioState(
        levers=(LeverState(target="Education Department, Bihar", kind="add", value=10_000),)
    )
)


def group_indian(whole: int) -> str:
    """As the app writes a count in English (1,00,000): Babel's Indian grouping, which
    app_ui.l10n.fmt_num uses too (it needs a session for the language; this runs outside one)."""
    return str(format_decimal(whole, format="#,##,##0", locale="en_IN"))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class _Start:
    """Sessions report ready (or failed); the window opens when all have."""

    def __init__(self, sessions: int, seconds: float) -> None:
        self.waiting = sessions
        self.seconds = seconds
        self.opened = asyncio.Event()
        self.stop_at = 0.0
        self.began = time.monotonic()
        self.opened_at = 0.0

    def arrive(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.opened_at = time.monotonic()
            self.stop_at = time.monotonic() + self.seconds
            self.opened.set()


DIRECT = "direct"  # a session's server when no proxy names it


@dataclass
class _Outcome:
    done: int = 0
    server: str = DIRECT  # the app server behind the proxy that served the session
    errors: list[str] = field(default_factory=list)


async def _session(
    browser: object,
    url: str,
    n: int,
    opening: asyncio.Semaphore,
    start: _Start,
    latencies: list[float],
) -> _Outcome:
    context = await browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = await context.new_page()
    page.set_default_timeout(60_000)
    outcome = _Outcome()
    errors = outcome.errors
    done = 0
    arrived = False
    try:
        async with opening:
            response = await page.goto(f"{url}/simulator?scenario={LINK}")
            if response is not None:
                outcome.server = response.headers.get("x-igot-upstream", DIRECT)
            await page.wait_for_function(
                "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                ".some(e => e.textContent.includes('10,000'))"
            )
        field = page.get_by_label("Extra users who complete courses")
        start.arrive()
        arrived = True
        await asyncio.wait_for(start.opened.wait(), READY_TIMEOUT)
        value = 10_000
        while time.monotonic() < start.stop_at:
            value += 1_000 + n  # each session its own values
            text = group_indian(value)  # as the app writes it (1,00,000)
            await field.fill(str(value))
            began = time.perf_counter()
            await field.press("Enter")
            await page.wait_for_function(
                "t => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                ".some(e => e.textContent.includes(t))",
                arg=text,
            )
            latencies.append(time.perf_counter() - began)
            done += 1
        if await page.get_by_test_id("stException").count():
            errors.append(f"session {n}: an exception is shown")
    except Exception as exc:  # recorded, then asserted on below
        errors.append(f"session {n}: {type(exc).__name__}: {str(exc)[:200]}")
        if not arrived:
            start.arrive()  # a failed session must not keep the others waiting
    finally:
        await context.close()
    outcome.done = done
    return outcome


async def _run(
    url: str, pids: Mapping[str, int], launch: dict[str, object], seconds: float
) -> dict[str, object]:
    from playwright.async_api import async_playwright

    latencies: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch)
        try:
            before = {server: _rss_mb(pid) for server, pid in pids.items()}
            cpu_before = {server: _cpu_seconds(pid) for server, pid in pids.items()}
            opening = asyncio.Semaphore(OPENING_AT_ONCE)
            start = _Start(SESSIONS, seconds)
            outcomes = await asyncio.gather(
                *[_session(browser, url, n, opening, start, latencies) for n in range(SESSIONS)]
            )
            after = {server: _rss_mb(pid) for server, pid in pids.items()}
            cpu = {server: _cpu_seconds(pid) - cpu_before[server] for server, pid in pids.items()}
        finally:
            await browser.close()
    counts = [outcome.done for outcome in outcomes]
    errors = [error for outcome in outcomes for error in outcome.errors]
    ordered = sorted(latencies) or [float("nan")]
    per_server = {
        server: {
            "sessions": sum(outcome.server == server for outcome in outcomes),
            "interactions": sum(o.done for o in outcomes if o.server == server),
            "errors": sum(len(o.errors) for o in outcomes if o.server == server),
            "server_cpu_ms_per_interaction": cpu[server]
            / max(sum(o.done for o in outcomes if o.server == server), 1)
            * 1e3,
            "rss_growth_mb": after[server] - before[server],
        }
        for server in pids
    }
    # Sessions whose page never loaded, or that reached a server not given in `pids`.
    unplaced = [o for o in outcomes if o.server not in pids]
    return {
        "sessions": SESSIONS,
        "seconds": seconds,
        # Opening the 20 pages, four at a time, before the window starts (machine-bound).
        "opening_seconds": round(start.opened_at - start.began, 1),
        "interactions": sum(counts),
        "min_per_session": min(counts),
        "latency_p50_ms": statistics.median(ordered) * 1e3,
        "latency_p95_ms": ordered[round(0.95 * (len(ordered) - 1))] * 1e3,
        # The 20 Chromium pages share the machine's 2 cores with the server, so latency here is
        # mostly waiting for a core; server CPU per interaction is the server's own cost.
        "server_cpu_ms_per_interaction": sum(cpu.values()) / max(sum(counts), 1) * 1e3,
        "rss_before_mb": sum(before.values()),
        "rss_after_mb": sum(after.values()),
        "rss_growth_per_session_mb": (sum(after.values()) - sum(before.values())) / SESSIONS,
        "per_server": per_server,
        "unplaced_sessions": len(unplaced),
        "errors": errors,
    }


def run_load(
    url: str,
    pids: Mapping[str, int],
    launch: dict[str, object],
    name: str,
    seconds: float = SECONDS,
) -> dict[str, object]:
    """The load against `url` (one app server, or a proxy in front of those in `pids`, keyed by
    the address the proxy names them by) for `seconds` once every session is open, written to
    test-artifacts/<name>.json and asserted."""
    started = time.monotonic()
    result = asyncio.run(_run(url, pids, launch, seconds))
    result["wall_seconds"] = round(time.monotonic() - started, 1)  # opening included
    out = ROOT / "test-artifacts" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    assert result["errors"] == [], result["errors"]
    # every session really worked the simulator
    assert result["min_per_session"] >= 2  # type: ignore[operator]
    assert result["rss_growth_per_session_mb"] < 100  # type: ignore[operator]
    return result


def test_twenty_concurrent_sessions(
    app_server: Callable[[str], AbstractContextManager[tuple[str, int]]],
    chromium_launch: dict[str, object],
) -> None:
    with app_server("load") as (url, pid):
        run_load(url, {DIRECT: pid}, chromium_launch, "load")
