"""Server-side chart export for slides: SVG via vl-convert, PNG via headless Chromium."""

from __future__ import annotations

import copy
import functools
import json
import logging
import threading
from pathlib import Path
from typing import Any

from app_ui.charts import SpecSource
from app_ui.export.browser import CHROMIUM, launch_options

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
# "Noto Sans" draws Latin and digits, "Noto Sans Devanagari" the Hindi; a CSS-style list lets each
# renderer fall back glyph by glyph.
FONT = "Noto Sans, Noto Sans Devanagari, sans-serif"
_browser_lock = threading.Lock()


def _vlc() -> Any:
    """vl-convert, imported on the first export (a page with export buttons opens without it)."""
    import vl_convert

    _register_fonts(vl_convert)
    return vl_convert


@functools.cache
def _register_fonts(vlc: Any) -> None:
    if FONT_DIR.is_dir():
        vlc.register_font_directory(str(FONT_DIR))


def _spec(chart: SpecSource, title: str, data_date: str) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the export title, the data date and the Noto fonts."""
    spec = copy.deepcopy(chart.to_dict())
    spec["title"] = {
        "text": title,
        "subtitle": data_date,
        "anchor": "start",
        "font": FONT,
        "subtitleFont": FONT,
        "fontSize": 16,
        "subtitleFontSize": 12,
        "subtitleColor": "#555555",
        "offset": 12,
    }
    config = spec.setdefault("config", {})
    config["font"] = FONT
    for part in ("axis", "legend", "header"):
        section = config.setdefault(part, {})
        section.update({"labelFont": FONT, "titleFont": FONT})
    config.setdefault("text", {})["font"] = FONT
    config.setdefault("mark", {})["font"] = FONT
    config["background"] = "white"
    config.setdefault("padding", 16)
    return spec


def chart_svg(chart: SpecSource, title: str, data_date: str) -> bytes:
    """The chart as a standalone SVG (text kept as text, so Hindi shapes in any viewer)."""
    return _svg(json.dumps(_spec(chart, title, data_date), sort_keys=True))


@functools.lru_cache(maxsize=32)
def _svg(spec_json: str) -> bytes:
    return _vlc().vegalite_to_svg(json.loads(spec_json)).encode("utf-8")


def chart_png(chart: SpecSource, title: str, data_date: str, scale: int = 2) -> bytes:
    """The chart as a PNG for slides.

    vl-convert's own PNG rasteriser does not shape Devanagari (vowel signs and conjuncts come out
    detached or in the wrong order), so the SVG it writes correctly is drawn by headless Chromium,
    whose HarfBuzz shaping is right. vl-convert's PNG is used only if Chromium is missing.
    """
    return _png(json.dumps(_spec(chart, title, data_date), sort_keys=True), scale)


@functools.lru_cache(maxsize=32)
def _png(spec_json: str, scale: int) -> bytes:
    svg = _svg(spec_json)
    if CHROMIUM.exists():
        try:
            return svg_to_png(svg, scale)
        except Exception:  # a broken browser must not lose the export
            logging.getLogger("igot").exception("Chromium could not draw the chart")
    return _vlc().vegalite_to_png(json.loads(spec_json), scale=scale)


def svg_to_png(svg: bytes, scale: int = 2) -> bytes:
    """Rasterise an SVG offline in headless Chromium; every network request is refused."""
    from playwright.sync_api import sync_playwright

    text = svg.decode("utf-8")
    html = (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "html,body{margin:0;padding:0;background:white}svg{display:block}"
        f"</style></head><body>{text}</body></html>"
    )
    with _browser_lock, sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        try:
            page = browser.new_page(device_scale_factor=scale)
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            box = page.locator("svg").first.bounding_box()
            assert box is not None
            page.set_viewport_size(
                {"width": int(box["width"]) + 1, "height": int(box["height"]) + 1}
            )
            return page.locator("svg").first.screenshot(type="png")
        finally:
            browser.close()


def download_buttons(chart: SpecSource, title: str, key: str, data_date: str) -> None:
    """Two download buttons (PNG, SVG) for a chart, with the title and data date on the image.

    The files are made only when a button is clicked (deferred data), so a page does not start
    a browser on every rerun.
    """
    import streamlit as st

    from app_ui.l10n import t

    stem = "".join(ch if ch.isalnum() else "-" for ch in key).strip("-") or "chart"
    left, right = st.columns(2)
    left.download_button(
        t("export.png"),
        data=lambda: chart_png(chart, title, data_date),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"{key}_png",
        icon=":material/image:",
        on_click="ignore",
        help=t("export.png_help"),
    )
    right.download_button(
        t("export.svg"),
        data=lambda: chart_svg(chart, title, data_date),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        icon=":material/download:",
        on_click="ignore",
        help=t("export.svg_help"),
    )
