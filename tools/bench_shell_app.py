"""A second floor for the interaction benchmark: the one-widget page of bench_floor_app.py, but
inside a shell shaped like the app's (wide layout, a language select and a presenter toggle in the
sidebar, seven pages in the navigation, a title and an intro, the widget in a fragment). The gap
between the two floors is what the framework charges for a multipage app before any content."""

import streamlit as st


def _widget_page() -> None:
    st.title("Rank simulator")
    st.caption("A one-widget page in a multipage shell. " * 8)

    @st.fragment
    def _fragment() -> None:
        value = st.number_input("Value", value=0, step=1, key="value")
        st.metric("Double", f"{value * 2:,}")

    _fragment()


def _other_page() -> None:
    st.write("Another page.")


st.set_page_config(page_title="shell floor", layout="wide")
with st.sidebar:
    st.selectbox("Language", ["English", "हिन्दी"], key="lang")
    st.toggle("Presenter mode", key="presenter")
pages = [st.Page(_widget_page, title="Widget", icon=":material/tune:", default=True)]
pages += [
    st.Page(_other_page, title=f"Page {i}", icon=":material/home:", url_path=f"page{i}")
    for i in range(1, 7)
]
st.navigation(pages).run()
