"""The data behind the figures, as the Data page shows it: the bundled files, department rows
against the published totals, the repairs log, the ranking and the recommended courses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui import session
from app_ui.l10n import COLUMN_HEADER_KEYS, fmt_num, local_date, state_name, t
from app_ui.services import bundled_dataset, editions
from app_ui.services import data as data_service
from app_ui.tables import python_strings
from app_ui.text import plain
from scoring.config import COLUMNS
from scoring.data import Dataset
from scoring.uploads import bundled_row_counts, reconciliation

COURSE_COLUMNS = ("topic", "band", "number", "course", "provider", "minutes")
REPAIR_COLUMNS = ("source_line", "mdo", "field", "extracted", "repaired", "reason")


def provenance(focus: str) -> None:
    """Where the bundled figures come from, and its files with their rows."""
    st.subheader(t("data.provenance_heading"))
    bundled = bundled_dataset()
    st.markdown(
        t("data.provenance", as_of=local_date(bundled.as_of), state=plain(state_name(focus)))
    )
    manifest = data_service.manifest()
    rows = bundled_row_counts(bundled)
    files = pd.DataFrame(
        {
            t("data.col_role"): [t(f"data.role_{role}") for role in rows],
            t("data.col_file"): [str(manifest[role]) for role in rows],
            t("data.col_rows"): [fmt_num(n) for n in rows.values()],
        }
    )
    st.markdown(f"**{t('data.files_heading')}**")
    st.dataframe(
        files,
        hide_index=True,
        key="data_files_table",
        column_config={t("data.col_rows"): st.column_config.TextColumn(alignment="right")},
    )


def reconcile(data: Dataset) -> None:
    """Each column's listed rows, remainder and total, against the published total."""
    st.subheader(t("data.reconcile_heading"))
    st.caption(t("data.reconcile_intro"))
    uploaded = session.uploaded_data()
    if uploaded is not None and "departments" in uploaded.replaced:
        published = uploaded.totals
    else:
        published = editions.published_totals()  # those of the edition's department table
    table = reconciliation(data.departments, published)
    decimals = {c: (2 if c == "hours" else 0) for c in COLUMNS}

    def figures(column: str) -> list[str]:
        return [fmt_num(v, decimals[c]) for c, v in table[column].items()]

    shown = pd.DataFrame(
        {
            t("data.col_column"): [t(COLUMN_HEADER_KEYS[c]) for c in table.index],
            t("data.col_listed"): figures("listed"),
            t("data.col_remainder"): figures("remainder"),
            t("data.col_total"): figures("total"),
        }
    )
    if published is not None:
        shown[t("data.col_published")] = figures("published")
        shown[t("data.col_matches")] = ["✓" if ok else "✗" for ok in table["matches"]]
    else:
        st.info(t("data.no_totals"))
    right = st.column_config.TextColumn(alignment="right")
    st.dataframe(
        shown,
        hide_index=True,
        key="data_reconcile_table",
        column_config={c: right for c in shown.columns[1:]},
    )


def repairs(data: Dataset) -> None:
    """The repairs log; the ranking and the courses on request."""
    st.subheader(t("data.repairs_heading"))
    st.caption(t("data.repairs_intro", count=fmt_num(len(data.repairs))))
    headers = {c: t(f"data.col_{c}") for c in REPAIR_COLUMNS}
    # Which cell was repaired: the log's own field names, said in the session language.
    fields = {"department": t("departments.col_department"), "mdo": t("data.col_mdo")}
    log = data.repairs.assign(field=data.repairs["field"].map(lambda f: fields.get(f, f)))
    st.dataframe(
        log.rename(columns=headers),
        hide_index=True,
        key="data_repairs_table",
        column_config={headers["reason"]: st.column_config.TextColumn(width="large")},
    )
    # Drawn only while open (a rerun on opening): two data grids on every visit of the page
    # for something rarely opened.
    with st.expander(
        t("data.ranking_expander", count=fmt_num(len(data.ranking))),
        key="data_ranking_expander",
        on_change="rerun",
    ) as ranking_box:
        if ranking_box.open:
            _ranking_table(data)
    with st.expander(
        t("data.courses_expander", count=fmt_num(len(data.courses))),
        key="data_courses_expander",
        on_change="rerun",
    ) as courses_box:
        if courses_box.open:
            _courses_table(data)


def _ranking_table(data: Dataset) -> None:
    """The ranking as read, with its scores in Indian grouping."""
    names = {c: t(f"common.{c}") for c in ("state", "category", "score", "rank")}
    ranking = data.ranking.assign(state=data.ranking["state"].map(state_name))
    with python_strings():
        st.dataframe(
            ranking.rename(columns=names).style.format({names["score"]: lambda v: fmt_num(v, 2)}),
            hide_index=True,
            key="data_ranking_table",
        )


def _courses_table(data: Dataset) -> None:
    """The course catalogue as read."""
    courses = data.courses.rename(
        columns={c: t(f"data.col_{c}") for c in COURSE_COLUMNS if c in data.courses.columns}
    )
    st.dataframe(courses, hide_index=True, key="data_courses_table")
