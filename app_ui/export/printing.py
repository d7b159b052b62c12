"""The app's own stylesheet for chart tools and print (A4, results and charts only), and the
Print button that opens the browser's print dialogue."""

from __future__ import annotations

import functools
import html
from pathlib import Path

import streamlit as st

from app_ui.l10n import t

STYLESHEET = Path(__file__).resolve().parent / "page.css"
# Our own static script: no data, no outside resource. It narrows the page to A4's printable
# width (class igot-printing, page.css) and gives Streamlit a moment to draw the charts at that
# width before the print dialogue opens; the page widens again after printing.
PRINT_DELAY_MS = 1200
PRINT_SCRIPT = (
    "<script>document.querySelectorAll('button.igot-print').forEach("
    "b => b.addEventListener('click', () => {"
    "const root = document.documentElement; root.classList.add('igot-printing');"
    "window.addEventListener('afterprint', () => root.classList.remove('igot-printing'),"
    " {once: true});"
    f"setTimeout(() => window.print(), {PRINT_DELAY_MS});"
    "}));</script>"
)


@functools.cache
def _css() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def apply_page_css() -> None:
    """Add the stylesheet to the page (app.py, on every page)."""
    st.html(f"<style>{_css()}</style>")


def print_button() -> None:
    """A button that prints the page (the print stylesheet leaves results and charts)."""
    label = html.escape(t("common.print"))
    hint = html.escape(t("common.print_help"))
    with st.container(key="print_button"):
        st.html(
            f'<button type="button" class="igot-print" title="{hint}">{label}</button>'
            + PRINT_SCRIPT,
            unsafe_allow_javascript=True,
        )
