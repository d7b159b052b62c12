"""Presenter mode: large type and charts for a projector, editing controls hidden."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import streamlit as st

from app_ui import session
from app_ui.charts.fit import fit_to_width

# Our own static stylesheet (no user or data text is ever put into it). It hides inputs in the
# main area, keeps results, captions, tabs and the sidebar (where the switch itself lives).
PRESENTER_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMain"] [data-testid="stNumberInput"],
[data-testid="stMain"] [data-testid="stTextInput"],
[data-testid="stMain"] [data-testid="stSlider"],
[data-testid="stMain"] [data-testid="stMultiSelect"],
[data-testid="stMain"] [data-testid="stFileUploader"],
[data-testid="stMain"] [data-testid="stDataEditor"],
[data-testid="stMain"] [data-testid="stExpander"],
[data-testid="stMain"] [data-testid="stButton"],
[data-testid="stMain"] [data-testid="stDownloadButton"],
[data-testid="stMain"] [data-testid="stRadio"],
[data-testid="stMain"] [data-testid="stCheckbox"],
[data-testid="stMain"] [data-testid="stSelectbox"] { display: none !important; }
[data-testid="stMetricValue"] { font-size: clamp(1.3rem, 20cqi, 3rem) !important; }
@media (max-width: 1500px) {
  html { font-size: 17px; }
  [data-testid="stMetricValue"] { font-size: clamp(1.2rem, 20cqi, 2.1rem) !important; }
}
/* The projector keeps its width for the results. */
[data-testid="stSidebar"] { width: 250px !important; min-width: 250px !important; }
[data-testid="stMetricLabel"] p { font-size: 1.1rem !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 2rem !important; }
</style>
"""
FONT_SCALE = 1.5
PRESENTER_HEIGHT = 1.6
MIN_PRESENTER_HEIGHT = 520
FONT_KEYS = {"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "labelLimit"}
DEFAULT_FONTS = {
    "axis": {"labelFontSize": 11, "titleFontSize": 11},
    "legend": {"labelFontSize": 11, "titleFontSize": 11},
    "title": {"fontSize": 13},
    "text": {"fontSize": 11},
}


def presenter_on() -> bool:
    return session.presenter()


def apply_presenter_css() -> None:
    if presenter_on():
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)


def _scale_fonts(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                value * FONT_SCALE
                if key in FONT_KEYS and isinstance(value, int | float)
                else _scale_fonts(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_scale_fonts(item) for item in node]
    return node


def for_presenter(spec: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec with every font (set in config or on an encoding) 1.5 times larger."""
    config = spec.setdefault("config", {})
    for section, fonts in DEFAULT_FONTS.items():
        target = config.setdefault(section, {})
        for key, value in fonts.items():
            target.setdefault(key, value)
    # A legend under the chart starts at the plot's left edge; in large type a row of three
    # entries ran past the chart's right edge and was cut off. Two to a row fit.
    config["legend"].setdefault("columns", 2)
    # A fixed height holds the title, axes and legend as well as the plot: in large type they
    # took most of it (a rank-probability plot 110 px tall, a history plot 60 px).
    if isinstance(spec.get("height"), int | float):
        spec["height"] = max(spec["height"] * PRESENTER_HEIGHT, MIN_PRESENTER_HEIGHT)
    return _scale_fonts(spec)


def arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with each named data set of plain rows as an Arrow table, in place.

    Streamlit sends chart data to the browser as Arrow; given plain rows it builds a pandas
    frame first, which costs about ten times as much on every rerun. A data set whose columns
    Arrow cannot type (mixed text and numbers) is left as it is.
    """
    for name, rows in spec.get("datasets", {}).items():
        if isinstance(rows, list) and rows and all(isinstance(row, dict) for row in rows):
            try:
                spec["datasets"][name] = pa.Table.from_pylist(rows)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                continue
    return spec


def show_chart(
    chart: Any,
    *,
    container: Any = None,
    export: str | None = None,
    export_title: str | None = None,
    **kwargs: Any,
) -> Any:
    """Draw an Altair chart built by our own chart module (or a column's copy of st).

    The spec is turned into JSON once, without Altair's schema validation (about 35 ms a chart
    on every rerun; our builders are covered by tests), in presenter mode with large fonts, and
    its rows go to Streamlit as Arrow tables. With `export` (a key naming the chart), PNG/SVG
    downloads and the chart as a table follow it (app_ui.export.widget); `export_title` names
    a chart drawn without a title of its own.
    """
    place = container or st
    kwargs.setdefault("width", "stretch")
    spec = chart.to_dict(validate=False)
    if presenter_on():
        spec = for_presenter(spec)
    if export is None:
        return place.vega_lite_chart(arrow_datasets(fit_to_width(spec)), **kwargs)
    from app_ui.export.widget import ChartTools  # the export module imports the charts

    tools = ChartTools.of(chart, spec, key=export, title=export_title)  # before Streamlit edits
    drawn = place.vega_lite_chart(arrow_datasets(fit_to_width(spec)), **kwargs)
    tools.show(place)
    return drawn
