"""Presenter mode: large type and charts for a projector, editing controls hidden."""

from __future__ import annotations

from typing import Any

import streamlit as st

# Our own static stylesheet (no user or data text is ever put into it). It hides inputs in the
# main area, keeps results, tabs and the sidebar (where the switch itself lives).
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
[data-testid="stMain"] [data-testid="stCaptionContainer"] { display: none !important; }
[data-testid="stMetricValue"] { font-size: 3.2rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.1rem !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 2rem !important; }
</style>
"""
PRESENTER_FONT = 18


def presenter_on() -> bool:
    return bool(st.session_state.get("presenter"))


def apply_presenter_css() -> None:
    if presenter_on():
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)


def for_presenter(chart: Any) -> Any:
    """The chart with projector-sized text (titles, axes, legends, marks)."""
    return (
        chart.configure_axis(labelFontSize=PRESENTER_FONT, titleFontSize=PRESENTER_FONT + 2,
                             labelLimit=420)
        .configure_title(fontSize=PRESENTER_FONT + 8)
        .configure_legend(labelFontSize=PRESENTER_FONT, titleFontSize=PRESENTER_FONT)
        .configure_text(fontSize=PRESENTER_FONT - 2)
    )


def show_chart(chart: Any, **kwargs: Any) -> Any:
    """st.altair_chart, with presenter sizing when presenter mode is on."""
    if presenter_on():
        chart = for_presenter(chart)
    kwargs.setdefault("width", "stretch")
    return st.altair_chart(chart, **kwargs)
