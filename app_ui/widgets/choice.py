"""Widgets whose option labels are translated, made to keep their choice across a language switch.

The browser loses a radio's or selectbox's selection when its option labels change under it, so
each language gets its own widget (key suffixed with the language) seeded from one
language-independent session value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")


def widget_key(key: str) -> str:
    return f"{key}__{st.session_state.get('lang', 'en')}"


def translated_choice(
    widget: Callable[..., Any],
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], str],
    default: T | None = None,
    **kwargs: Any,
) -> T:
    """Call st.radio / st.selectbox (or the same on a column) keeping st.session_state[key]."""
    options = list(options)
    current = st.session_state.get(key, default if default is not None else options[0])
    if current not in options:
        current = options[0]
    own = widget_key(key)

    def _sync() -> None:
        st.session_state[key] = st.session_state[own]

    value = widget(
        label,
        options,
        index=options.index(current),
        key=own,
        format_func=format_func,
        on_change=_sync,
        **kwargs,
    )
    st.session_state[key] = value
    return value  # type: ignore[no-any-return]
