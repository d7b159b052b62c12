"""Saving and managing scenarios: the save form (private or shared), the pick / open / rename /
share / delete controls for the scenarios the user may change, the delete confirmation, "Undo"
right after a deletion, and the recently deleted ones with Restore. Callbacks leave their message
with session.notify; every change is checked again on the server (app_ui/services/saved.py)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_ui import links, session
from app_ui.l10n import t
from app_ui.services import saved as saved_service
from app_ui.services.saved import Deletion, Evaluated, SavedScenario
from app_ui.text import plain
from scoring.errors import ScoringInputError

PAGE = "scenarios"
NAME = "scn_name"
SHARE = "scn_share"
PICK = "scn_pick"
NEW_NAME = "scn_new_name"
COMPARE = "scn_compare"
CONFIRM = "scn_confirm_delete"  # id of the scenario awaiting a confirmed delete, or None
OPENED = "scn_opened"  # a scenario was opened: offer the way to the simulator once
UNDO = "scn_undo"  # the Deletion just made, offered for undo until the user moves on
SIMULATOR = Path(__file__).resolve().parents[2] / "app_pages" / "simulator.py"


def _shared_key(scenario_id: int) -> str:
    return f"scn_shared_{scenario_id}"


def _on_save() -> None:
    try:
        saved, replaced = saved_service.save(
            st.session_state.get(NAME, ""),
            session.scenario(),
            shared=bool(st.session_state.get(SHARE, False)),
        )
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.save_failed"), exc.problems)
        return
    key = "scenarios.replaced" if replaced else "scenarios.saved"
    session.notify(PAGE, "success", t(key, name=saved.name))
    st.session_state[NAME] = ""
    st.session_state[PICK] = saved.id
    st.session_state[UNDO] = None


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


def _on_rename(saved: SavedScenario) -> None:
    try:
        saved_service.rename(saved, st.session_state.get(NEW_NAME, ""))
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.rename_failed"), exc.problems)
        return
    session.notify(PAGE, "success", t("scenarios.renamed"))
    st.session_state[NEW_NAME] = ""
    st.session_state[UNDO] = None


def _on_share(saved: SavedScenario) -> None:
    shared = bool(st.session_state.get(_shared_key(saved.id)))
    try:
        saved_service.set_shared(saved, shared)
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.share_failed"), exc.problems)
        return
    key = "scenarios.now_shared" if shared else "scenarios.now_private"
    session.notify(PAGE, "success", t(key, name=saved.name))


def _on_delete(scenario_id: int) -> None:
    st.session_state[CONFIRM] = scenario_id


def _on_delete_confirm(saved: SavedScenario) -> None:
    st.session_state[CONFIRM] = None
    try:
        deletion = saved_service.delete(saved)
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.delete_failed"), exc.problems)
        return
    st.session_state[COMPARE] = [i for i in st.session_state.get(COMPARE) or [] if i != saved.id]
    st.session_state[UNDO] = deletion


def _on_delete_cancel() -> None:
    st.session_state[CONFIRM] = None


def _on_restore(scenario_id: int, name: str) -> None:
    st.session_state[UNDO] = None
    try:
        restored = saved_service.restore(scenario_id, name)
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("scenarios.restore_failed"), exc.problems)
        return
    session.notify(PAGE, "success", t("scenarios.restored", name=restored.name))
    st.session_state[PICK] = restored.id


def undo_offer() -> None:
    """Right after a deletion: what was deleted, until when it can be undone, and Undo."""
    deletion: Deletion | None = st.session_state.get(UNDO)
    if deletion is None:
        return
    until = saved_service.when(deletion.undo_until().isoformat())
    text_col, button_col = st.columns([4, 1], vertical_alignment="center")
    text_col.success(plain(t("scenarios.deleted_undo", name=deletion.name, until=until)))
    button_col.button(
        t("scenarios.undo"),
        key="scn_undo_delete",
        on_click=_on_restore,
        args=(deletion.id, deletion.name),
        icon=":material/undo:",
        width="stretch",
    )


def save_form() -> None:
    st.subheader(t("scenarios.save_heading"))
    if not saved_service.may_save():
        st.info(t("scenarios.save_not_allowed"))
        return
    st.caption(t("scenarios.save_intro"))
    name_col, share_col, button_col = st.columns([4, 2, 1], vertical_alignment="bottom")
    name_col.text_input(
        t("scenarios.name"), key=NAME, max_chars=120, placeholder=t("scenarios.name_placeholder")
    )
    share_col.toggle(t("scenarios.share_toggle"), key=SHARE, help=t("scenarios.share_help_toggle"))
    button_col.button(
        t("scenarios.save"), key="scn_save", on_click=_on_save, type="primary", width="stretch"
    )


def _confirm_delete(chosen: SavedScenario) -> None:
    if st.session_state.get(CONFIRM) != chosen.id:
        st.session_state[CONFIRM] = None  # picked another one, or deleted meanwhile
        return
    with st.container(border=True):
        st.warning(t("scenarios.confirm_delete"), icon=":material/warning:")
        st.text(chosen.name)  # st.text: a name is never Markdown
        yes, no = st.columns(2)
        yes.button(
            t("scenarios.delete_yes"),
            key="scn_delete_confirm",
            on_click=_on_delete_confirm,
            args=(chosen,),
            type="primary",
            width="stretch",
        )
        no.button(
            t("scenarios.delete_no"),
            key="scn_delete_cancel",
            on_click=_on_delete_cancel,
            width="stretch",
        )


def _label(saved: SavedScenario, me: str) -> str:
    return (
        saved.name
        if saved.owner == me
        else t("scenarios.pick_other", name=saved.name, owner=saved.owner)
    )


def manage(evaluated: list[Evaluated]) -> None:
    """Pick a saved scenario, open it; rename, share or delete it when it is the user's own (or
    they are an admin)."""
    if not evaluated:
        return
    by_id = {e.saved.id: e.saved for e in evaluated}
    me = saved_service.actor().user
    if st.session_state.get(PICK) not in by_id:
        st.session_state[PICK] = next(iter(by_id))
    # Labels made now, in this run's language: Streamlit may call format_func outside the run.
    labels = {i: _label(saved, me) for i, saved in by_id.items()}
    pick_col, change_box = st.columns([1, 1], gap="large", vertical_alignment="top")
    chosen = by_id[
        int(
            pick_col.selectbox(
                t("scenarios.pick"),
                list(by_id),
                format_func=lambda i: labels.get(i, str(i)),
                key=PICK,
            )
        )
    ]
    open_col, delete_col = pick_col.columns(2)
    open_col.button(
        t("scenarios.open"),
        key="scn_open",
        on_click=_on_open,
        args=(chosen.id,),
        type="primary",
        icon=":material/open_in_new:",
        width="stretch",
    )
    if st.session_state.pop(OPENED, False):
        with contextlib.suppress(StreamlitAPIException):  # simulator not in this navigation
            pick_col.page_link(
                st.Page(str(SIMULATOR)), label=t("scenarios.go_simulator"), icon=":material/tune:"
            )
    if not saved_service.may_change(chosen):
        # Hidden, and refused on the server all the same (services.saved checks the owner).
        change_box.caption(plain(t("scenarios.not_yours", owner=chosen.owner)))
        return
    delete_col.button(
        t("scenarios.delete"),
        key="scn_delete",
        on_click=_on_delete,
        args=(chosen.id,),
        icon=":material/delete:",
        width="stretch",
    )
    name_col, rename_col = change_box.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(t("scenarios.new_name"), key=NEW_NAME, max_chars=120)
    rename_col.button(
        t("scenarios.rename"),
        key="scn_rename",
        on_click=_on_rename,
        args=(chosen,),
        icon=":material/edit:",
        width="stretch",
    )
    # Seeded from the database on every run: a refused change shows what is stored.
    st.session_state[_shared_key(chosen.id)] = chosen.visibility == "shared"
    change_box.toggle(
        t("scenarios.shared_toggle"),
        key=_shared_key(chosen.id),
        on_change=_on_share,
        args=(chosen,),
        help=t("scenarios.shared_help"),
    )
    with pick_col:
        _confirm_delete(chosen)


def recently_deleted() -> None:
    """Deleted scenarios the user may restore (their own; an admin: everyone's), with Restore."""
    try:
        gone = saved_service.deleted()
    except ScoringInputError:
        return  # the list above already says the database cannot be read
    if not gone:
        return
    label = t("scenarios.recently_deleted", count=len(gone), days=saved_service.UNDO_DAYS)
    with st.expander(label, icon=":material/restore_from_trash:"):
        for item in gone:
            text_col, button_col = st.columns([4, 1], vertical_alignment="center")
            text_col.text(  # st.text: names and user ids are never Markdown
                t(
                    "scenarios.deleted_line",
                    name=item.name,
                    who=item.deleted_by or "?",
                    when=saved_service.when(item.deleted_at or item.updated_at),
                    until=saved_service.when((item.undo_until() or item.updated).isoformat()),
                )
            )
            button_col.button(
                t("scenarios.restore"),
                key=f"scn_restore_{item.id}",
                on_click=_on_restore,
                args=(item.id, item.name),
                icon=":material/restore_from_trash:",
                width="stretch",
            )
