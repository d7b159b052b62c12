"""The one way to show an input error: a heading and the problems, quoted as plain text."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from app_ui.l10n import t
from app_ui.text import plain

MAX_SHOWN = 20  # a file with thousands of bad rows lists the first ones and says how many more
MAX_CHARS = 400  # one problem quoting a huge cell is cut, not drawn for seconds


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def show_problems(problems: Iterable[str], heading: str | None = None, source: str = "") -> None:
    """Input problems as one error box; their text quotes files and names, so it is plain."""
    items = list(problems)
    lead = f"**{plain(source)}**: " if source else ""
    lines = [lead + (heading or t("common.input_error"))]
    lines += [f"- {plain(_cut(p))}" for p in items[:MAX_SHOWN]]
    if len(items) > MAX_SHOWN:
        lines.append(f"- {t('common.more_problems', count=len(items) - MAX_SHOWN)}")
    st.error("\n".join(lines))
