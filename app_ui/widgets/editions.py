"""Editions controls on the Data page: the edition picker, and the publish and withdraw buttons
(each checked on the server by app_ui.auth.require inside services.editions)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import streamlit as st

from app_ui import services, session
from app_ui.auth import ActionRefused, allowed
from app_ui.l10n import fmt_num, local_date, t
from app_ui.services import editions
from scoring import editions as ed
from scoring.errors import ScoringInputError
from scoring.roles import Action

PAGE = "data"
PICKER = "data_edition"
AS_OF = "data_as_of"  # the Data page's date widget (app_ui.widgets.uploads)
FILES = {  # role -> the Data page's uploader keys (app_ui.widgets.uploads)
    "ranking": "data_ranking_file",
    "departments": "data_departments_file",
    "totals": "data_totals_file",
}
NOTE = "data_publish_note"
WITHDRAW = "data_withdraw_date"


def _on_pick() -> None:
    picked = st.session_state.get(PICKER)
    dates = editions.published_dates()
    # The latest is stored as None, so that the session (and its links) follow new editions.
    session.set_edition(None if not dates or picked == dates[0] else picked)


def picker() -> None:
    """The published editions, newest first; the session sees the latest unless it chooses."""
    try:
        dates = editions.published_dates()
    except ScoringInputError as exc:
        st.error(str(exc))
        return
    if not dates:
        return
    current = editions.chosen() or dates[0]
    if st.session_state.get(PICKER) != current:
        st.session_state[PICKER] = current  # follows a link or a withdrawal, not only the widget
    st.selectbox(
        t("editions.picker"),
        dates,
        format_func=lambda d: (
            t("editions.picker_latest", date=local_date(d)) if d == dates[0] else local_date(d)
        ),
        key=PICKER,
        on_change=_on_pick,
        help=t("editions.picker_help"),
    )


def _files() -> dict[str, tuple[str, bytes]]:
    """The files in the Data page's uploaders, by role."""
    out: dict[str, tuple[str, bytes]] = {}
    for role, key in FILES.items():
        upload: Any = st.session_state.get(key)
        if upload is not None:
            out[role] = (str(upload.name), bytes(upload.getvalue()))
    return out


def _parts(roles: tuple[str, ...]) -> str:
    return ", ".join(t(f"editions.part_{r}") for r in roles)


def _on_publish() -> None:
    files = _files()
    as_of = st.session_state.get(AS_OF)
    started = time.perf_counter()
    try:
        if not isinstance(as_of, dt.date):
            raise ScoringInputError("choose the date the figures refer to", "as-of date")
        prepared = ed.prepare(
            files.get("ranking"),
            files.get("departments"),
            files.get("totals"),
            config=services.file_config(),
            current=editions.latest_dataset(),
        )
        edition = editions.publish(prepared, as_of, str(st.session_state.get(NOTE) or ""))
    except ActionRefused as exc:
        session.notify(PAGE, "error", t("editions.publish_refused"), [str(exc)])
        return
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("editions.publish_refused"), exc.problems)
        return
    seconds = time.perf_counter() - started
    # The published edition replaces the preview, and the session looks at the latest again.
    session.set_uploaded_data(None)
    session.set_edition(None)
    session.notify(
        PAGE,
        "success",
        t(
            "editions.published",
            date=local_date(edition.as_of),
            parts=_parts(edition.parts),
            seconds=fmt_num(seconds, 2),
        ),
    )


def publish_form() -> None:
    """Publish what is in the uploaders, as the edition of the date above."""
    st.subheader(t("editions.publish_heading"))
    st.caption(t("editions.publish_intro"))
    files = _files()
    roles = tuple(r for r in ("ranking", "departments") if r in files)
    st.write(
        t("editions.publish_files", files=_parts(roles)) if roles else t("editions.publish_none")
    )
    st.text_input(t("editions.publish_note"), key=NOTE, max_chars=500)
    if not allowed(Action.PUBLISH_EDITION):
        st.caption(t("editions.publish_not_allowed"))
    # Not disabled for a role without the right: the click reaches the server, whose check
    # (auth.require in services.editions.publish) refuses it with a message naming the role.
    st.button(
        t("editions.publish_button"),
        key="data_publish",
        type="primary",
        on_click=_on_publish,
        disabled=not roles,
    )


def _on_withdraw() -> None:
    as_of = st.session_state.get(WITHDRAW)
    try:
        if not isinstance(as_of, dt.date):
            raise ScoringInputError("choose an edition", "edition")
        edition = editions.withdraw(as_of)
    except ActionRefused as exc:
        session.notify(PAGE, "error", t("editions.withdraw_refused"), [str(exc)])
        return
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("editions.withdraw_refused"), exc.problems)
        return
    if session.edition() == edition.as_of:
        session.set_edition(None)
    session.notify(PAGE, "success", t("editions.withdrawn", date=local_date(edition.as_of)))


def withdraw_form() -> None:
    dates = editions.published_dates()
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    left.selectbox(t("editions.withdraw_select"), dates, format_func=local_date, key=WITHDRAW)
    right.button(t("editions.withdraw_button"), key="data_withdraw", on_click=_on_withdraw)
    if not allowed(Action.WITHDRAW_EDITION):
        st.caption(t("editions.withdraw_not_allowed"))
