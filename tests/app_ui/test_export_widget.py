"""One export mechanism under every chart: PNG/SVG downloads made on click, the chart as a table;
PNGs of Latin text drawn without a browser, Hindi ones by Chromium."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_ui.export import images, rasterise
from tests.app.hostile import shown_cells

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _page(lang: str, presenter: bool, kpi: str = "Hours") -> None:
    import pandas as pd
    import streamlit as st

    from app_ui.charts import contribution_chart
    from app_ui.presenter import show_chart
    from app_ui.session import init

    init()
    st.session_state["lang"] = lang
    st.session_state["presenter"] = presenter
    frame = pd.DataFrame({"kpi": [kpi], "pillar": ["Consumption"], "contribution": [0.5]})
    chart = contribution_chart(
        frame,
        title="Points each KPI adds",
        value_title="Points",
        kpi_title="KPI",
        pillar_title="Pillar",
    )
    show_chart(chart, key="c", export="c")


@pytest.mark.parametrize(("lang", "presenter"), [("en", False), ("en", True), ("hi", False)])
def test_buttons_and_table_under_the_chart(lang: str, presenter: bool) -> None:
    at = AppTest.from_function(_page, args=(lang, presenter)).run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    expected = {"en": ["Download PNG", "Download SVG"], "hi": ["PNG डाउनलोड करें", "SVG डाउनलोड करें"]}
    assert labels == expected[lang]
    expander = at.expander[0]
    title = {
        "en": "Chart as a table: Points each KPI adds",
        "hi": "चार्ट तालिका के रूप में: Points each KPI adds",
    }
    assert expander.label == title[lang]
    assert not at.table  # closed: the table is not built on every rerun
    at.session_state["c_table"] = True  # the reader opens the expander
    at.run()
    table = shown_cells(at.table[0].value)  # its text cells are escaped for Markdown
    assert table.values.tolist() == [["Hours", "Consumption", "+0.50"]]


def test_the_opened_table_shows_a_hostile_name_as_typed() -> None:
    from tests.app.hostile import rendered_links

    name = "[x](http://e.org) www.e.org <b>"
    at = AppTest.from_function(_page, args=("en", False, name))
    at.session_state["c_table"] = True
    at.run()
    assert not at.exception, at.exception
    cell = at.table[0].value.iloc[0, 0]
    assert rendered_links(cell) == []  # no link, image or tag on the page
    assert shown_cells(at.table[0].value).iloc[0, 0] == name


def test_latin_png_needs_no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    import altair as alt
    import pandas as pd

    def no_browser(svg: bytes, scale: int = 2) -> bytes:
        raise AssertionError("Chromium was asked to draw a Latin chart")

    monkeypatch.setattr(rasterise, "svg_to_png", no_browser)
    chart = alt.Chart(pd.DataFrame({"a": ["x"], "b": [1]})).mark_bar().encode(y="a:N", x="b:Q")
    png = images.chart_png(chart, "Latin title 7", "Data as on 31 Dec 2025")
    assert png.startswith(PNG_MAGIC)


def test_devanagari_goes_to_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    import altair as alt
    import pandas as pd

    asked: list[bytes] = []

    def browser(svg: bytes, scale: int = 2) -> bytes:
        asked.append(svg)
        return PNG_MAGIC + b"stub"

    monkeypatch.setattr(rasterise, "svg_to_png", browser)
    monkeypatch.setattr(images, "CHROMIUM", type("Present", (), {"exists": lambda self: True})())
    chart = alt.Chart(pd.DataFrame({"a": ["x"], "b": [2]})).mark_bar().encode(y="a:N", x="b:Q")
    assert images.chart_png(chart, "श्रेणी C 8", "डेटा") == PNG_MAGIC + b"stub"
    assert asked and "श्रेणी C 8" in asked[0].decode("utf-8")
    assert images.needs_shaping("बिहार") and not images.needs_shaping("BIHAR 39.09")


def test_one_browser_serves_every_thread() -> None:
    """Streamlit runs each script run in its own thread; the browser thread serves them all."""
    import threading

    from tests.browser.conftest import require_chromium

    require_chromium()  # skipped on a workstation without it, failed in CI
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30">'
        b'<text x="5" y="20" font-family="Noto Sans Devanagari">'
        b"\xe0\xa4\xb9\xe0\xa4\xbf</text></svg>"
    )
    out: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: out.append(rasterise.svg_to_png(svg, 1))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(out) == 3 and all(png.startswith(PNG_MAGIC) for png in out)
    assert int.from_bytes(out[0][16:20], "big") in (60, 61)  # the SVG's width at scale 1
