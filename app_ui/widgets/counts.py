"""Inputs for counts (extra completers, draws) that show the number as the page does: 50,000 and
5,00,000, not 50000. Streamlit's number_input formats with printf, which cannot group digits the
Indian way, so a count is a text box that reads what people type and shows it back grouped."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from app_ui import session
from app_ui.l10n import fmt_num, parse_whole, t
from app_ui.widgets.notices import show_notices

# A count is at most a few characters ("10,00,00,000"): longer text (a pasted page) is refused
# unread, and quoted in the message by its start.
MAX_TEXT = 40


def _on_text(key: str, label: str, low: int, high: int, apply: Callable[[int], None]) -> None:
    text = str(st.session_state.get(key) or "")
    value = parse_whole(text) if len(text) <= MAX_TEXT else None
    if value is None or not low <= value <= high:
        quoted = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
        problem = t(
            "common.count_refused", field=label, text=quoted, low=fmt_num(low), high=fmt_num(high)
        )
        # Shown under the field on the next run (the notices of a page named by the key); the
        # field then shows the value in use again, so nothing typed before is lost.
        session.notify(key, "error", t("common.input_error"), [problem])
        return
    apply(value)


def count_input(
    label: str,
    key: str,
    value: int,
    *,
    min_value: int,
    max_value: int,
    on_change: Callable[[int], None],
    where: Any = None,
    message_box: Any = None,
    help: str | None = None,
) -> None:
    """A whole number from `min_value` to `max_value`, shown grouped (fmt_num). `value` is the
    one in use, written into the field on every run; `on_change` gets each accepted new value,
    and a refused text leaves a message naming the field under it (or in `message_box`, where a
    message in the field's column would push its neighbours out of line)."""
    box = where if where is not None else st.container()
    # Seeded on every run, as the levers' other inputs are: after Undo, a link or a refused
    # entry the field shows the value in use, not what was typed.
    st.session_state[key] = fmt_num(value)
    with box:
        st.text_input(
            label,
            key=key,
            help=help,
            on_change=_on_text,
            args=(key, label, min_value, max_value, on_change),
        )
    with message_box if message_box is not None else box:
        show_notices(key)


def _keep(store: str, value: int) -> None:
    st.session_state[store] = value


def kept_count(
    label: str,
    key: str,
    default: int,
    *,
    min_value: int,
    max_value: int,
    where: Any = None,
    help: str | None = None,
) -> int:
    """A count_input whose value no scenario holds (the number of draws): the session keeps the
    last accepted value under `key` + "::value", which outlives a page switch (it is not a
    widget's key); returns the value in use."""
    store = f"{key}::value"
    value = st.session_state.get(store)
    if not isinstance(value, int) or not min_value <= value <= max_value:
        value = default
    count_input(
        label,
        key,
        value,
        min_value=min_value,
        max_value=max_value,
        on_change=partial(_keep, store),
        where=where,
        help=help,
    )
    return int(st.session_state.get(store, value))
