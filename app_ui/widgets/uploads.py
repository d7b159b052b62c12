"""Loading new data: which data is in use (with the way back to the bundled data), the date of
an upload, and the ranking and department uploads with their checks and "use it" buttons."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import pandas as pd
import streamlit as st

from app_ui import session
from app_ui.l10n import fmt_num, local_date, t
from app_ui.services import data as data_service
from app_ui.services import editions
from app_ui.session import UploadedData
from app_ui.text import plain
from app_ui.widgets.dates import date_field
from app_ui.widgets.problems import show_problems
from scoring.config import COLUMNS
from scoring.data import Dataset
from scoring.errors import ScoringInputError
from scoring.limits import MAX_TABLE_BYTES
from scoring.upload_size import browser_limit_mb, check_upload_size
from scoring.uploads import (
    DepartmentsCheck,
    RankingCheck,
    Remainder,
    content_key,
    kept_totals,
    replaced_roles,
    template_csv,
)

PAGE = "data"
AS_OF = "data_as_of"  # the date widget: the date the uploaded figures refer to
REMAINDER_TEXT = {
    Remainder.NO_TOTALS: "data.valid_no_totals",
    Remainder.ADDED: "data.valid_remainder",
    Remainder.NONE: "data.valid_no_remainder",
}


def _on_use(candidate: Dataset, role: str, key: str, totals: pd.Series | None = None) -> None:
    # The date is read when the button is pressed, so it may be set before or after the upload.
    as_of = st.session_state.get(AS_OF) or candidate.as_of
    before = session.uploaded_data()
    session.set_uploaded_data(
        UploadedData(
            # Names everything uploaded so far (the candidate holds the earlier uploads too).
            key=content_key(before.key if before else "", key, as_of.isoformat()),
            dataset=dataclasses.replace(candidate, as_of=as_of),
            replaced=replaced_roles(before.replaced if before else (), role),
            totals=kept_totals(role, totals, before.totals if before else None),
        )
    )
    session.notify(PAGE, "success", t("data.applied"))


# The browser refuses larger files before sending them; the server checks each size again.
TABLE_MB = browser_limit_mb(MAX_TABLE_BYTES)


def _on_reset() -> None:
    session.set_uploaded_data(None)
    st.session_state[AS_OF] = editions.latest_dataset().as_of
    session.notify(PAGE, "success", t("data.reset_done"))


def status(data: Dataset) -> None:
    """Which data is in use, and the button back to the bundled data."""
    uploaded = session.uploaded_data()
    if uploaded is not None:
        names = ", ".join(t(f"data.what_{role}") for role in uploaded.replaced) or "-"
        st.warning(t("data.using_upload", what=names, as_of=local_date(uploaded.dataset.as_of)))
    else:
        st.caption(t("data.using_bundled", as_of=local_date(data.as_of)))
    st.button(t("data.reset"), key="data_reset", on_click=_on_reset, disabled=uploaded is None)


def _template(column: st.delta_generator.DeltaGenerator, kind: str, data: Dataset) -> None:
    column.download_button(
        t(f"data.template_{kind}"),
        # Made on click: three templates on every visit of the page cost ~15 ms.
        functools.partial(template_csv, kind, data),
        file_name=f"{kind}_template.csv",
        mime="text/csv",
        key=f"data_template_{kind}",
    )


def _ranking_report(check: RankingCheck) -> None:
    categories = ", ".join(f"{plain(c)}: {fmt_num(n)}" for c, n in check.per_category.items())
    st.success(
        t(
            "data.valid_ranking",
            states=fmt_num(check.states),
            categories=categories,
            focus=plain(check.focus),
            category=plain(check.category),
            score=fmt_num(check.score, 2),
            rank=check.rank,
        )
    )
    if check.rank_mismatch:
        states = ", ".join(plain(s) for s in check.rank_mismatch)
        st.warning(t("data.rank_mismatch", states=states))


def _ranking(data: Dataset) -> None:
    _template(st.container(), "ranking", data)
    upload = st.file_uploader(
        t("data.ranking_file"), type=["csv"], key="data_ranking_file", max_upload_size=TABLE_MB
    )
    if upload is None:
        return
    try:
        check_upload_size(upload.name, upload.size)
        check = data_service.ranking_check(upload.getvalue(), upload.name)
    except ScoringInputError as error:
        show_problems(error.problems, t("data.refused"), error.source)
        return
    _ranking_report(check)
    st.button(
        t("data.use_ranking"),
        key="data_use_ranking",
        type="primary",
        on_click=_on_use,
        args=(check.dataset, "ranking", check.key),
    )


def _departments_report(check: DepartmentsCheck) -> None:
    lines = [
        t(
            "data.valid_departments",
            rows=fmt_num(check.rows),
            departments=fmt_num(check.departments),
            onboarded=fmt_num(check.onboarded),
        ),
        t(REMAINDER_TEXT[check.remainder], onboarded=fmt_num(check.remainder_onboarded)),
    ]
    st.success("\n\n".join(lines))


def _departments(data: Dataset) -> None:
    columns = ", ".join(f"`{c}`" for c in COLUMNS)  # file column names, shown as code
    left, right = st.columns(2)
    _template(left, "departments", data)
    _template(right, "totals", data)
    upload = st.file_uploader(
        t("data.departments_file", columns=columns),
        type=["csv"],
        key="data_departments_file",
        max_upload_size=TABLE_MB,
    )
    totals = st.file_uploader(
        t("data.totals_file", columns=columns),
        type=["csv"],
        key="data_totals_file",
        max_upload_size=TABLE_MB,
    )
    if upload is None:
        return
    try:
        check_upload_size(upload.name, upload.size)
        if totals is not None:
            check_upload_size(totals.name, totals.size)
        check = data_service.departments_check(
            upload.getvalue(),
            upload.name,
            totals.getvalue() if totals is not None else None,
            totals.name if totals is not None else "totals",
        )
    except ScoringInputError as error:
        show_problems(error.problems, t("data.refused"), error.source)
        return
    _departments_report(check)
    st.button(
        t("data.use_departments"),
        key="data_use_departments",
        type="primary",
        on_click=_on_use,
        args=(check.dataset, "departments", check.key, check.totals),
    )


def uploads(data: Dataset) -> None:
    """The date of the new figures, and the two uploads (cheap until a file is given, so both
    tabs are drawn)."""
    st.subheader(t("data.upload_heading"))
    st.caption(t("data.upload_intro"))
    if not isinstance(st.session_state.get(AS_OF), dt.date):
        st.session_state[AS_OF] = data.as_of
    date_field(t("data.as_of"), AS_OF, format="DD/MM/YYYY", width=420)
    ranking_tab, departments_tab = st.tabs([t("data.tab_ranking"), t("data.tab_departments")])
    with ranking_tab:
        _ranking(data)
    with departments_tab:
        _departments(data)
