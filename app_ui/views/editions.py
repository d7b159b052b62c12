"""The list of editions on the Data page: date, contents, status, who and when, the files'
hashes, and each one's validation report."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from app_ui.l10n import local_date, t
from app_ui.services import editions
from scoring.editions import Edition

IST = ZoneInfo("Asia/Kolkata")  # times are stored in UTC and shown in IST, as saved scenarios


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(IST)
    return f"{local_date(local.date())}, {local:%H:%M} IST"


def _row(e: Edition) -> dict[str, str]:
    return {
        t("editions.col_date"): local_date(e.as_of),
        t("editions.col_parts"): ", ".join(t(f"editions.part_{p}") for p in e.parts),
        t("editions.col_status"): t(f"editions.status_{e.status}"),
        t("editions.col_in_force"): ", ".join(t(f"editions.part_{p}") for p in e.in_force),
        t("editions.col_published"): _when(e.published_at),
        t("editions.col_by"): e.published_by,
        t("editions.col_files"): "; ".join(f"{f.name} {f.sha256[:12]}" for f in e.files),
        t("editions.col_withdrawn"): (
            f"{_when(e.withdrawn_at)} ({e.withdrawn_by})" if e.withdrawn_at else ""
        ),
    }


def listing() -> None:
    """Every edition, newest first, and the validation report of the one chosen."""
    st.subheader(t("editions.list_heading"))
    st.caption(t("editions.list_intro"))
    found = editions.listing()
    # Names and notes from users are shown as table cells (plain text), never as Markdown.
    st.dataframe(
        pd.DataFrame([_row(e) for e in found]),
        hide_index=True,
        key="data_editions_table",
    )
    by_id = {e.id: e for e in found}
    chosen = st.selectbox(
        t("editions.report_select"),
        list(by_id),
        format_func=lambda i: f"#{i} · {local_date(by_id[i].as_of)} · {by_id[i].status}",
        key="data_report_choice",
    )
    if chosen is not None:
        edition = by_id[chosen]
        st.json(
            {"note": edition.note, "files": [f.__dict__ for f in edition.files], **edition.report},
            expanded=False,
        )
