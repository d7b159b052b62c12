"""Undo and Redo of scenario changes (levers, assumptions, weights): one pair of buttons that
any page editing the scenario shows beside its inputs."""

from __future__ import annotations

import streamlit as st

from app_ui import session
from app_ui.l10n import t

# Alt, not Ctrl: Ctrl+Z must keep undoing typing inside a number field.
UNDO_SHORTCUT = "Alt+Z"
REDO_SHORTCUT = "Alt+Shift+Z"


def _on_undo() -> None:
    session.undo()


def _on_redo() -> None:
    session.redo()


def undo_redo(prefix: str) -> None:
    """Undo and Redo buttons (keys `<prefix>_undo`, `<prefix>_redo`): plain buttons, so Tab
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
        disabled=not session.undo_steps(),
        shortcut=UNDO_SHORTCUT,
        help=t("history.undo_help", shortcut=UNDO_SHORTCUT, limit=session.MAX_UNDO),
    )
    row.button(
        t("history.redo"),
        key=f"{prefix}_redo",
        icon=":material/redo:",
        on_click=_on_redo,
        disabled=not session.redo_steps(),
        shortcut=REDO_SHORTCUT,
        help=t("history.redo_help", shortcut=REDO_SHORTCUT),
    )
