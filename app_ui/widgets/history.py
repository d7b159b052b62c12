"""Undo and Redo of scenario changes (levers, assumptions, weights): one pair of buttons that
any page editing the scenario shows beside its inputs."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_ui import links, session
from app_ui.l10n import t
from scoring.errors import ScoringInputError

# Alt, not Ctrl: Ctrl+Z must keep undoing typing inside a number field.
UNDO_SHORTCUT = "Alt+Z"
REDO_SHORTCUT = "Alt+Shift+Z"


def _step(page: str, step: Callable[[], bool], back: Callable[[], bool]) -> None:
    """Undo or redo one step, unless the scenario it brings back no longer fits the model file
    (changed since): then the step is taken back, the history cleared and the page told."""
    if not step():
        return
    try:
        links.check_state(session.scenario())
    except ScoringInputError:
        back()
        session.clear_history()
        session.notify(page, "warning", t("history.other_model"))


def _on_undo(page: str) -> None:
    _step(page, session.undo, session.redo)


def _on_redo(page: str) -> None:
    _step(page, session.redo, session.undo)


def undo_redo(prefix: str, page: str) -> None:
    """Undo and Redo buttons (keys `<prefix>_undo`, `<prefix>_redo`; messages for `page`'s
    notices): plain buttons, so Tab
    reaches them, with Alt+Z and Alt+Shift+Z as shortcuts; greyed out when there is nothing
    to undo or redo. Not drawn for a projector (presenter mode has no editing controls)."""
    if session.presenter():
        return
    row = st.container(horizontal=True, gap="small")
    row.button(
        t("history.undo"),
        key=f"{prefix}_undo",
        icon=":material/undo:",
        on_click=_on_undo,
        args=(page,),
        disabled=not session.undo_steps(),
        shortcut=UNDO_SHORTCUT,
        help=t("history.undo_help", shortcut=UNDO_SHORTCUT, limit=session.MAX_UNDO),
    )
    row.button(
        t("history.redo"),
        key=f"{prefix}_redo",
        icon=":material/redo:",
        on_click=_on_redo,
        args=(page,),
        disabled=not session.redo_steps(),
        shortcut=REDO_SHORTCUT,
        help=t("history.redo_help", shortcut=REDO_SHORTCUT),
    )
