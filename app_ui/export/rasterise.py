"""One headless Chromium per server process that draws SVGs as PNGs (Devanagari needs its shaping).

Starting Chromium (playwright's driver, the browser, a page) took 2.5-3.5 s of every PNG export
on this machine; drawing one SVG in a running page takes about 0.1-0.2 s. Playwright's sync API
is bound to the thread that started it, and Streamlit runs each script run in a thread of its
own, so the browser lives in one daemon thread that takes jobs from a queue. A crashed browser
is started again on the next job; the process's exit closes it.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue
import threading
from concurrent.futures import Future
from typing import Any

from app_ui.export.browser import launch_options

TIMEOUT_S = 60.0  # a first job also waits for the browser to start
_STOP = object()


def _page_html(svg: bytes) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "html,body{margin:0;padding:0;background:white}svg{display:block}"
        f"</style></head><body>{svg.decode('utf-8')}</body></html>"
    )


class _Rasteriser:
    def __init__(self) -> None:
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def png(self, svg: bytes, scale: int) -> bytes:
        self._ensure_thread()
        done: Future[bytes] = Future()
        self._jobs.put((svg, scale, done))
        return done.result(timeout=TIMEOUT_S)

    def warm(self) -> None:
        """Start the browser now, without waiting for it."""
        self._ensure_thread()

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(_STOP)
            self._thread.join(timeout=10)

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._serve, name="igot-png-chromium", daemon=True
                )
                self._thread.start()

    def _serve(self) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser: Any = None
            pages: dict[int, Any] = {}
            try:
                browser = pw.chromium.launch(**launch_options())  # before the first job arrives
            except Exception:  # reported with the job that needs it
                logging.getLogger("igot").exception("Chromium did not start")
            try:
                while True:
                    job = self._jobs.get()
                    if job is _STOP:
                        return
                    svg, scale, done = job
                    if browser is None or not browser.is_connected():
                        browser = pw.chromium.launch(**launch_options())
                        pages = {}
                    try:
                        page = pages.get(scale)
                        if page is None or page.is_closed():
                            page = browser.new_page(device_scale_factor=scale)
                            # Our own SVG, offline: any request it would make is refused.
                            page.route("**/*", lambda route: route.abort())
                            pages[scale] = page
                        done.set_result(_draw(page, svg))
                    except Exception as exc:  # the caller decides; the next job starts afresh
                        logging.getLogger("igot").exception("Chromium could not draw the chart")
                        done.set_exception(exc)
                        with contextlib.suppress(Exception):  # it may be gone already
                            browser.close()
                        browser = None
            finally:
                if browser is not None:
                    browser.close()


def _draw(page: Any, svg: bytes) -> bytes:
    page.set_content(_page_html(svg), wait_until="load")
    shape = page.locator("svg").first
    box = shape.bounding_box()
    if box is None:
        raise ValueError("the SVG has no size")
    page.set_viewport_size({"width": int(box["width"]) + 1, "height": int(box["height"]) + 1})
    return bytes(shape.screenshot(type="png"))


_RASTERISER = _Rasteriser()
atexit.register(_RASTERISER.stop)


def svg_to_png(svg: bytes, scale: int = 2) -> bytes:
    """An SVG drawn by the process's headless Chromium, at `scale` device pixels per pixel."""
    return _RASTERISER.png(svg, scale)


def warm() -> None:
    _RASTERISER.warm()
