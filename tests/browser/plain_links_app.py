"""A page of outside text through plain(), in every Markdown-rendering element the app uses, for
test_plain_links: Streamlit's own front end decides what becomes a link."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st

from app_ui.text import plain
from tests.browser.test_plain_links import LINKS, ORDINARY

for text in (*LINKS, *ORDINARY):
    st.markdown(plain(text))
    st.caption(f"**{plain(text)}**")
    st.error(plain(text))
st.markdown("control: www.example.org")  # not through plain(): must become a link
