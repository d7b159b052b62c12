"""Messages a callback left for its page, shown once on the page's next run."""

from __future__ import annotations

import streamlit as st

from app_ui import session
from app_ui.text import plain
from app_ui.widgets.problems import show_problems


def show_notices(page: str) -> None:
    for notice in session.take_notices(page):
        if notice.kind == "error":
            show_problems(notice.problems, notice.text)
        elif notice.kind == "success":
            st.success(plain(notice.text))
        elif notice.kind == "warning":
            st.warning(plain(notice.text))
        else:
            st.info(plain(notice.text))
