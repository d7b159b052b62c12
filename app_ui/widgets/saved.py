"""Saving and managing scenarios: the save form, and the pick / open / rename / delete controls
with the delete confirmation. Callbacks leave their message with session.notify."""

from __future__ import annotations

import contextlib
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_ui import links, session
from app_ui.l10n import t
from app_ui.services import saved as saved_service
from app_ui.services.saved import Evaluated
from scoring.errors import ScoringInputError

PAGE = "scenarios"
NAME = "scn_name"
PICK = "scn_pick"
NEW_NAME = "scn_new_name"
COMPARE = "scn_compare"
CONFIRM = "scn_confirm_delete"  # id of the scenario awaiting a confirmed delete, or None
OPENED = "scn_opened"  # a scenario was opened: offer the way to the simulator once
SIMULATOR = Path(__file__).resolve().parents[2] / "app_pages" / "simulator.py"


def _on_save() -> None:
    try:
        saved, replaced = saved_service.save(st.session_state.get(NAME, ""), session.scenario())
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.save_failed"), exc.problems)
        return
    key = "scenarios.replaced" if replaced else "scenarios.saved"
    session.notify(PAGE, "success", t(key, name=saved.name))
    st.session_state[NAME] = ""
    st.session_state[PICK] = saved.id


def _on_open(scenario_id: int) -> None:
    saved = saved_service.get(scenario_id)
    if saved is None:
        session.notify(PAGE, "error", t("scenarios.gone"))
        return
    try:
        links.apply_state(saved.state)
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.open_failed"), exc.problems)
        return
    session.notify(PAGE, "success", t("scenarios.opened", name=saved.name))
    st.session_state[OPENED] = True


def _on_rename(scenario_id: int) -> None:
    try:
        saved_service.rename(scenario_id, st.session_state.get(NEW_NAME, ""))
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.rename_failed"), exc.problems)
        return
    session.notify(PAGE, "success", t("scenarios.renamed"))
    st.session_state[NEW_NAME] = ""


def _on_delete(scenario_id: int) -> None:
    st.session_state[CONFIRM] = scenario_id


def _on_delete_confirm(scenario_id: int) -> None:
    saved_service.delete(scenario_id)
    st.session_state[CONFIRM] = None
    st.session_state[COMPARE] = [i for i in st.session_state.get(COMPARE) or [] if i != scenario_id]
    session.notify(PAGE, "success", t("scenarios.deleted"))


def _on_delete_cancel() -> None:
    st.session_state[CONFIRM] = None


def save_form() -> None:
    st.subheader(t("scenarios.save_heading"))
    st.caption(t("scenarios.save_intro"))
    name_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
    name_col.text_input(
        t("scenarios.name"), key=NAME, max_chars=120, placeholder=t("scenarios.name_placeholder")
    )
    button_col.button(
        t("scenarios.save"), key="scn_save", on_click=_on_save, type="primary", width="stretch"
    )


def _confirm_delete(names: dict[int, str]) -> None:
    pending = st.session_state.get(CONFIRM)
    if pending is None:
        return
    if pending not in names:  # deleted meanwhile (another window)
        st.session_state[CONFIRM] = None
        return
    with st.container(border=True):
        st.warning(t("scenarios.confirm_delete"), icon=":material/warning:")
        st.text(names[pending])  # st.text: a name is never Markdown
        yes, no = st.columns(2)
        yes.button(
            t("scenarios.delete_yes"),
            key="scn_delete_confirm",
            on_click=_on_delete_confirm,
            args=(pending,),
            type="primary",
            width="stretch",
        )
        no.button(
            t("scenarios.delete_no"),
            key="scn_delete_cancel",
            on_click=_on_delete_cancel,
            width="stretch",
        )


def manage(evaluated: list[Evaluated]) -> None:
    """Pick a saved scenario, then open, rename or delete it."""
    if not evaluated:
        return
    names = {e.saved.id: e.saved.name for e in evaluated}
    if st.session_state.get(PICK) not in names:
        st.session_state[PICK] = next(iter(names))
    pick_col, rename_box = st.columns([1, 1], gap="large", vertical_alignment="top")
    chosen = int(
        pick_col.selectbox(
            t("scenarios.pick"), list(names), format_func=lambda i: names.get(i, str(i)), key=PICK
        )
    )
    open_col, delete_col = pick_col.columns(2)
    open_col.button(
        t("scenarios.open"),
        key="scn_open",
        on_click=_on_open,
        args=(chosen,),
        type="primary",
        icon=":material/open_in_new:",
        width="stretch",
    )
    delete_col.button(
        t("scenarios.delete"),
        key="scn_delete",
        on_click=_on_delete,
        args=(chosen,),
        icon=":material/delete:",
        width="stretch",
    )
    name_col, rename_col = rename_box.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(t("scenarios.new_name"), key=NEW_NAME, max_chars=120)
    rename_col.button(
        t("scenarios.rename"),
        key="scn_rename",
        on_click=_on_rename,
        args=(chosen,),
        icon=":material/edit:",
        width="stretch",
    )
    with pick_col:
        _confirm_delete(names)
    if st.session_state.pop(OPENED, False):
        with contextlib.suppress(StreamlitAPIException):  # simulator not in this navigation
            st.page_link(
                st.Page(str(SIMULATOR)), label=t("scenarios.go_simulator"), icon=":material/tune:"
            )
