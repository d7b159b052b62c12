"""Count inputs: typed with or without grouping (any script's digits), shown back grouped the
Indian way, and a refused text names the field and keeps the value in use."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.hostile import ESCAPE


def _counts_page() -> None:
    """A lever-like count held by the caller, and a count the session keeps by itself."""
    import streamlit as st

    from app_ui import session
    from app_ui.widgets.counts import count_input, kept_count

    session.init()

    def apply(value: int) -> None:
        st.session_state["held"] = value

    count_input(
        "Extra users",
        "t_extra",
        st.session_state.get("held", 1_000),
        min_value=0,
        max_value=10_00_000,
        on_change=apply,
    )
    draws = kept_count("Draws", "t_draws", 1_00_000, min_value=1_000, max_value=2_00_000)
    st.markdown(f"draws in use: {draws}")


def _errors(at: AppTest) -> list[str]:
    return [ESCAPE.sub(r"\1", e.value) for e in at.error]


def test_typed_counts_are_read_and_shown_grouped() -> None:
    at = AppTest.from_function(_counts_page).run()
    assert at.text_input(key="t_extra").value == "1,000"
    assert at.text_input(key="t_draws").value == "1,00,000"
    for typed, value, shown in (
        ("50000", 50_000, "50,000"),
        ("50,000", 50_000, "50,000"),
        ("5,00,000", 5_00_000, "5,00,000"),
        ("500,000", 5_00_000, "5,00,000"),  # international grouping is read too
        ("५०,०००", 50_000, "50,000"),  # Devanagari digits
        (" 0 ", 0, "0"),
    ):
        at.text_input(key="t_extra").input(typed).run()
        assert not at.exception, at.exception
        assert at.session_state["held"] == value, typed
        assert at.text_input(key="t_extra").value == shown, typed
        assert not at.error


def test_a_refused_count_names_the_field_and_keeps_the_value() -> None:
    at = AppTest.from_function(_counts_page).run()
    at.text_input(key="t_extra").input("40000").run()
    for typed in ("lots", "1,5", "-5", "2.5", "10,00,001", "1e3", ""):
        at.text_input(key="t_extra").input(typed).run()
        assert not at.exception, at.exception
        assert at.session_state["held"] == 40_000, typed  # the last good value stays
        assert at.text_input(key="t_extra").value == "40,000", typed
        assert _errors(at) == [
            "The input was not accepted:\n"
            f"- Extra users: “{typed}” is not a whole number from 0 to 10,00,000. "
            "Type it as 50000 or 50,000; the value in use is kept."
        ], typed
    at.text_input(key="t_extra").input("1" * 100_000).run()  # a paste: refused unread
    assert at.session_state["held"] == 40_000
    assert f"“{'1' * 39}…” is not a whole number" in _errors(at)[0]
    at.run()  # the message is shown once
    assert not at.error


def test_a_kept_count_outlives_reruns_and_refuses_out_of_range() -> None:
    at = AppTest.from_function(_counts_page).run()
    at.text_input(key="t_draws").input("20,000").run()
    assert any(m.value == "draws in use: 20000" for m in at.markdown)
    at.text_input(key="t_draws").input("999").run()  # below the minimum of 1,000
    assert "from 1,000 to 2,00,000" in _errors(at)[0]
    at.run()
    assert any(m.value == "draws in use: 20000" for m in at.markdown)
    assert at.text_input(key="t_draws").value == "20,000"


def test_hindi_message_and_grouping() -> None:
    at = AppTest.from_function(_counts_page)
    at.session_state["lang"] = "hi"
    at.run()
    at.text_input(key="t_extra").input("१,२३,४५६").run()
    assert at.session_state["held"] == 1_23_456
    assert at.text_input(key="t_extra").value == "1,23,456"
    at.text_input(key="t_extra").input("बहुत").run()
    assert "“बहुत” 0 से 10,00,000 तक की पूर्ण संख्या नहीं है" in _errors(at)[0]
