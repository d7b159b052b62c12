"""The floor for page switches: a two-page app of one widget each, in the app's wide layout."""

import streamlit as st


def _page(name: str) -> None:
    st.title(name)
    value = st.number_input("Value", value=0, step=1, key=f"value_{name}")
    st.metric("Double", f"{value * 2:,}")


st.set_page_config(page_title="two-page floor", layout="wide", initial_sidebar_state="expanded")
with st.sidebar:  # the app has a sidebar of its own too (language, presenter mode)
    st.caption("Floor")
pages = [
    st.Page(lambda: _page("Alpha"), title="Alpha", url_path="alpha", default=True),
    st.Page(lambda: _page("Beta"), title="Beta", url_path="beta"),
]
st.navigation(pages).run()
