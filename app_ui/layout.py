"""Page layout for every screen width: columns that restack, numbers and labels that wrap
instead of being cut, a narrower sidebar on small screens, and the app's name on each page."""

from __future__ import annotations

import streamlit as st

from app_ui import session
from app_ui.l10n import t

# Our own static stylesheet (no user or data text is ever put into it).
LAYOUT_CSS = """
<style>
/* Columns restack when they would be too narrow for their content (Streamlit only stacks them
   under 640 px of window, whatever the room left beside an open sidebar). */
[data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
[data-testid="stColumn"] { min-width: min(100%, 9.5rem); container-type: inline-size; }
[data-testid="stColumn"]:has([data-testid="stVegaLiteChart"]),
[data-testid="stColumn"]:has([data-testid="stDataFrame"]),
[data-testid="stColumn"]:has([data-testid="stTable"]),
[data-testid="stColumn"]:has(.st-key-sim_targets) { min-width: min(100%, 26rem); }
/* A metric's value, label and change wrap between words and shrink with their column: never
   an ellipsis in the middle of a number. */
[data-testid="stMetricValue"] { font-size: clamp(1.3rem, 20cqi, 2.25rem); line-height: 1.25; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* Labels of widgets and buttons wrap instead of ending in "…". */
[data-testid="stWidgetLabel"] p, [data-testid="stWidgetLabel"] div,
[data-testid="stCheckbox"] label p,
[data-testid^="stBaseButton"] p, [data-testid^="stBaseButton"] div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid^="stBaseButton"] { height: auto; min-height: 2.5rem; }
/* Every chosen department shows as a whole chip, on as many lines as they need. */
[data-testid="stMultiSelectTagsContainer"],
[data-testid="stMultiSelectTagsContainer"] > span[role="group"] {
  flex-wrap: wrap !important; overflow: visible !important; height: auto !important;
  max-height: none !important;
}
[data-testid="stMultiSelectTagsContainer"] [data-tag] { max-width: 100% !important; height: auto; }
[data-testid="stMultiSelectTagsContainer"] [data-tag] > span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  max-width: none !important;
}
/* The goal plan's counts line up on the right, as numbers in a table should. */
.st-key-sim_plan_table td:last-child, .st-key-sim_plan_table th:last-child,
.st-key-goal_plan_table td:last-child, .st-key-goal_plan_table th:last-child {
  text-align: right !important;  /* Streamlit writes text-align: left on each text cell */
}
/* The Overview's KPI table: value, sub-score and weight on the right (the value is text). */
.st-key-overview_kpi_table td:nth-child(n+3) { text-align: right !important; }
/* Page names in the sidebar wrap rather than end in "…" (Hindi names are long). */
[data-testid="stSidebarNav"] a span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stSidebarNav"] a { height: auto !important; min-height: 2rem; }
/* The page starts under the toolbar, not 6rem down. */
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
.st-key-app_name p { font-size: 0.8rem; letter-spacing: 0.04em; text-transform: uppercase;
  margin-bottom: -0.5rem; }
/* A small screen keeps most of its width for the page. */
@media (max-width: 1100px) {
  [data-testid="stSidebar"] { width: 220px !important; min-width: 220px !important; }
  [data-testid="stMainBlockContainer"] { padding-left: 1.25rem; padding-right: 1.25rem; }
}
</style>
"""


# Streamlit 1.67 has no locale setting and no parameter for its file uploader's or multiselect's
# own texts (streamlit/streamlit#13500 is open): in Hindi they are hidden and ours drawn instead.
# "Select N matches" keeps no count: CSS cannot read it.
WIDGET_TEXT_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button p,
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button p::after { content: "{upload}"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "{limit}"; font-size: 0.8rem;
}
[role="option"][data-key="__select_all__"] > div,
[role="option"][data-key="__select_matches__"] > div { font-size: 0 !important; }
[role="option"][data-key="__select_all__"] > div::after { content: "{all}"; font-size: 0.9rem; }
[role="option"][data-key="__select_matches__"] > div::after {
  content: "{matches}"; font-size: 0.9rem;
}
</style>
"""


def _css_text(text: str) -> str:
    """A catalogue text made safe inside a CSS string (our own words, but still no quotes)."""
    return "".join(ch for ch in text if ch not in '"\\<>{}\n')


def widget_text_css(upload: str, limit: str, select_all: str = "", matches: str = "") -> str:
    """The stylesheet that draws our texts over Streamlit's own (upload button, size limit, the
    multiselect's "Select all" and "Select N matches")."""
    texts = {"upload": upload, "limit": limit, "all": select_all, "matches": matches}
    css = WIDGET_TEXT_CSS
    for name, text in texts.items():
        css = css.replace("{" + name + "}", _css_text(text))
    return css


def apply_layout() -> None:
    """The layout stylesheet and the app's name above the page."""
    st.markdown(LAYOUT_CSS, unsafe_allow_html=True)
    if session.lang() != "en":
        css = widget_text_css(
            t("common.upload_button"),
            t("common.upload_limit"),
            t("common.select_all"),
            t("common.select_matches"),
        )
        st.markdown(css, unsafe_allow_html=True)
    with st.container(key="app_name"):
        st.caption(t("common.app_title"))
