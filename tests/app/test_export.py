"""Chart export: SVG and PNG with the title and data date, in English and in Hindi."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app_ui.charts import ranking_chart
from app_ui.export.images import chart_png, chart_svg, svg_to_png
from scoring.engine import Model, simulate
from scoring.scenario import Lever, LeverKind, Scenario

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "export"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TITLES = {
    "en": ("Category C: published and simulated scores", "Data as on 31 Dec 2025"),
    "hi": ("श्रेणी C: प्रकाशित और सिम्युलेटेड अंक", "डेटा 31 दिसंबर 2025 तक"),
}


@pytest.fixture(scope="module")
def chart(model: Model):
    result = simulate(
        model, Scenario((Lever("Education Department, Bihar", LeverKind.ADD, 50_000),))
    )
    return ranking_chart(
        result.category_table,
        model.focus_state,
        title="ignored",
        score_title="Score",
        published_label="Published",
        simulated_label="Simulated",
        focus_label="BIHAR",
        other_label="Other states",
    )


@pytest.mark.parametrize("lang", sorted(TITLES))
def test_svg_has_title_and_date_as_text(chart, lang: str) -> None:
    title, date = TITLES[lang]
    svg = chart_svg(chart, title, date)
    text = svg.decode("utf-8")
    assert text.lstrip().startswith(("<svg", "<?xml"))
    assert title in text and date in text
    assert "Noto Sans" in text
    assert "BIHAR" in text and "42.15" in text


@pytest.mark.parametrize("lang", sorted(TITLES))
def test_png_is_a_real_picture(chart, lang: str) -> None:
    title, date = TITLES[lang]
    png = chart_png(chart, title, date)
    assert png.startswith(PNG_MAGIC)
    assert len(png) > 20_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"ranking_{lang}.png").write_bytes(png)
    # Twice the SVG's size (scale 2), read from the PNG header.
    width = int.from_bytes(png[16:20], "big")
    svg_width = float(chart_svg(chart, title, date).decode().split('width="')[1].split('"')[0])
    assert abs(width - 2 * svg_width) <= 4


def test_hindi_png_draws_the_title_ink(chart) -> None:
    """The title band of the Hindi PNG holds dark pixels (text), not an empty or boxed strip."""
    from PIL import Image

    title, date = TITLES["hi"]
    image = Image.open(io.BytesIO(chart_png(chart, title, date))).convert("L")
    band = image.crop((0, 0, image.width, 80)).point(lambda value: 255 if value < 100 else 0)
    dark = band.histogram()[255]
    assert dark > 500


def test_svg_to_png_makes_no_network_request() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        b'<image href="https://example.com/x.png" width="10" height="10"/>'
        b'<text x="5" y="25" font-family="Noto Sans Devanagari">\xe0\xa4\xb9\xe0\xa4\xbf</text>'
        b"</svg>"
    )
    png = svg_to_png(svg, 1)
    assert png.startswith(PNG_MAGIC)


def test_hostile_text_is_escaped_in_the_svg() -> None:
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"state": ["<script>alert(1)</script>", 'A&B"'], "score": [1.0, 2.0]})
    chart = alt.Chart(frame).mark_bar().encode(y="state:N", x="score:Q", tooltip=["state:N"])
    text = chart_svg(chart, "<img src=x onerror=alert(1)>", "d").decode("utf-8")
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
