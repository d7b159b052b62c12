"""Server-side chart export for slides: SVG via vl-convert; PNG via vl-convert where the text is
Latin, via the process's headless Chromium where Devanagari needs shaping."""

from __future__ import annotations

import copy
import functools
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from app_ui.charts import SpecSource
from app_ui.export import rasterise
from app_ui.export.browser import CHROMIUM

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
# "Noto Sans" draws Latin and digits, "Noto Sans Devanagari" the Hindi; a CSS-style list lets each
# renderer fall back glyph by glyph.
FONT = "Noto Sans, Noto Sans Devanagari, sans-serif"
DEVANAGARI = ("\u0900", "\u097f")
# A tiny chart with text: converting it loads vl-convert's engine and the fonts.
_WARM_SPEC = {"mark": "text", "encoding": {"text": {"value": "0"}}}
# The warm-up waits this long after the first chart is drawn: started at once, vl-convert's engine
# and Chromium took the CPU from the first page's own draw (this machine has two cores).
WARM_DELAY_S = 2.0
_warm_lock = threading.Lock()
_warmed: set[str] = set()


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
    spec = copy.deepcopy(chart.to_dict(validate=False))  # our builders are tested; 25 ms saved
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
    return _svg(json.dumps(_spec(chart, title, data_date), sort_keys=True, ensure_ascii=False))


@functools.lru_cache(maxsize=32)
def _svg(spec_json: str) -> bytes:
    return _vlc().vegalite_to_svg(json.loads(spec_json)).encode("utf-8")


def chart_png(chart: SpecSource, title: str, data_date: str, scale: int = 2) -> bytes:
    """The chart as a PNG for slides.

    vl-convert's own rasteriser does not shape Devanagari (vowel signs and conjuncts come out
    detached or in the wrong order), so a chart with Hindi text is drawn from the SVG by the
    process's headless Chromium, whose HarfBuzz shaping is right. A chart whose text is all
    Latin is drawn by vl-convert (about 0.2 s, no browser). vl-convert is also the fallback when
    Chromium is missing or fails.
    """
    return _png(
        json.dumps(_spec(chart, title, data_date), sort_keys=True, ensure_ascii=False), scale
    )


def needs_shaping(text: str) -> bool:
    """Whether a text holds a script that vl-convert's rasteriser draws wrongly (Devanagari)."""
    return any(DEVANAGARI[0] <= ch <= DEVANAGARI[1] for ch in text)


@functools.lru_cache(maxsize=32)
def _png(spec_json: str, scale: int) -> bytes:
    if needs_shaping(spec_json) and CHROMIUM.exists():
        svg = _svg(spec_json)
        try:
            return svg_to_png(svg, scale)
        except Exception:  # a broken browser must not lose the export
            logging.getLogger("igot").exception("Chromium could not draw the chart")
    return bytes(_vlc().vegalite_to_png(json.loads(spec_json), scale=scale))


def svg_to_png(svg: bytes, scale: int = 2) -> bytes:
    """Rasterise an SVG offline in headless Chromium; every network request is refused."""
    return rasterise.svg_to_png(svg, scale)


def warm(lang: str) -> None:
    """Get the first export of the process ready in the background: vl-convert's engine and
    fonts (1-3.5 s on a first export, measured), and for Hindi the Chromium that draws its PNGs
    (2.5-3.5 s to start), WARM_DELAY_S after the first chart so that the first page is drawn
    first. Nothing is exported; each is started once per process.
    IGOT_WARM_EXPORTS=0 turns this off (the AppTests, which never download)."""
    if os.environ.get("IGOT_WARM_EXPORTS", "1") == "0":
        return
    with _warm_lock:
        wanted = {"vl-convert"} | ({"chromium"} if lang == "hi" and CHROMIUM.exists() else set())
        new = wanted - _warmed
        _warmed.update(new)
    for name, start in (("vl-convert", _warm_vlc), ("chromium", rasterise.warm)):
        if name in new:
            timer = threading.Timer(WARM_DELAY_S, start)
            timer.name = f"igot-warm-{name}"
            timer.daemon = True
            timer.start()


def _warm_vlc() -> None:
    try:
        _vlc().vegalite_to_svg(_WARM_SPEC)
    except Exception:  # the real export reports its own failure
        logging.getLogger("igot").exception("vl-convert could not start")
