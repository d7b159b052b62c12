"""Data: provenance of the bundled tables, repairs, reconciliation, and validated uploads."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st
import yaml
from app_ui.i18n import COLUMN_HEADER_KEYS

from app_ui.l10n import fmt_num, local_date, t
from app_ui.services import bundled_dataset, current_config, dataset
from app_ui.widgets.problems import show_problems
from scoring.config import COLUMNS, ModelConfig
from scoring.data import (
    COUNT_COLUMNS,
    DATA_DIR,
    Dataset,
    DepartmentTable,
    parse_departments,
    parse_ranking,
    parse_totals,
    read_table,
)
from scoring.engine import build_model, ranking_table
from scoring.errors import ScoringInputError

COURSE_COLUMNS = ("topic", "band", "number", "course", "provider", "minutes")
# Session keys owned by this page (besides the shared "data_override").
WHAT_KEY = "data_override_what"
TOTALS_KEY = "data_uploaded_totals"
AS_OF_KEY = "data_as_of"


def _manifest() -> dict[str, Any]:
    return yaml.safe_load((DATA_DIR / "manifest.yaml").read_text(encoding="utf-8"))


def _show_problems(error: ScoringInputError, heading: str) -> None:
    show_problems(error.problems, heading, error.source)


# --- validation of uploads: pure functions of the bytes and the data in use -------------------


def validate_ranking(
    raw: bytes, name: str, current: Dataset, config: ModelConfig
) -> tuple[Dataset, list[str], list[str]]:
    """A new Dataset with the uploaded ranking, report lines and warnings.

    Raises ScoringInputError (row-numbered problems) when the file is refused.
    """
    categories = [c.id for c in config.categories]
    ranking = parse_ranking(read_table(raw, name), name, categories)
    candidate = dataclasses.replace(current, ranking=ranking)
    model = build_model(config, candidate)  # refuses a ranking without the focus state
    counts = ranking["category"].value_counts()
    report = [
        t(
            "data.valid_ranking",
            states=fmt_num(len(ranking)),
            categories=", ".join(f"{c}: {counts.get(c, 0)}" for c in categories),
            focus=model.focus_state,
            category=model.focus_category,
            score=fmt_num(model.published_score, 2),
            rank=model.published_rank,
        )
    ]
    warnings = []
    if "rank" in ranking.columns:
        checked = ranking_table(model)
        differs = checked[checked["rank"] != checked["computed_rank"]]
        if not differs.empty:
            warnings.append(t("data.rank_mismatch", states=", ".join(differs["state"].tolist())))
    return candidate, report, warnings


def validate_departments(
    raw: bytes,
    name: str,
    totals_raw: bytes | None,
    totals_name: str,
    current: Dataset,
    config: ModelConfig,
) -> tuple[Dataset, pd.Series | None, list[str]]:
    """A new Dataset with the uploaded department rows (and remainder when totals are given)."""
    totals = None
    if totals_raw is not None:
        totals = parse_totals(read_table(totals_raw, totals_name), totals_name)
    table = parse_departments(read_table(raw, name), totals, name)
    candidate = dataclasses.replace(current, departments=table)
    build_model(config, candidate)
    real = table.frame[~table.frame["is_remainder"]]
    report = [
        t(
            "data.valid_departments",
            rows=fmt_num(len(real)),
            departments=fmt_num(real["department"].nunique()),
            onboarded=fmt_num(table.totals()["onboarded"]),
        )
    ]
    if totals is None:
        report.append(t("data.valid_no_totals"))
    elif table.is_remainder.any():
        report.append(t("data.valid_remainder", onboarded=fmt_num(table.remainder()["onboarded"])))
    else:
        report.append(t("data.valid_no_remainder"))
    return candidate, totals, report


def reconciliation(table: DepartmentTable, published: pd.Series | None) -> pd.DataFrame:
    """Per column: sum of listed rows, remainder, their total, and the published total."""
    frame = table.frame
    listed = frame.loc[~frame["is_remainder"], list(COLUMNS)].sum()
    remainder = table.remainder()
    total = listed + remainder
    out = pd.DataFrame({"listed": listed, "remainder": remainder, "total": total})
    if published is not None:
        out["published"] = published[list(COLUMNS)].astype(float)
        out["matches"] = (out["total"] - out["published"]).abs() < 0.005
    return out


def template_csv(kind: str, data: Dataset) -> str:
    """Headers and one example row taken from the data in use."""
    frame = data.departments.frame
    if kind == "ranking":
        row = data.ranking.head(1).copy()
        if "rank" not in row.columns:
            row["rank"] = 1
        return row[["state", "category", "score", "rank"]].to_csv(index=False)
    real = frame[~frame["is_remainder"]]
    if kind == "departments":
        row = real.head(1)[["id", "department", "mdo", *COLUMNS]].copy()
    else:
        row = data.departments.totals().to_frame().T
    for column in COUNT_COLUMNS:
        row[column] = row[column].astype(int)
    return row.to_csv(index=False)


# --- page sections ------------------------------------------------------------------------------


def _reset() -> None:
    st.session_state["data_override"] = None
    st.session_state[WHAT_KEY] = []
    st.session_state[TOTALS_KEY] = None
    st.session_state[AS_OF_KEY] = bundled_dataset().as_of


def _apply(candidate: Dataset, what: str, totals: pd.Series | None = None) -> None:
    # The date is read when the button is pressed, so it may be set before or after the upload.
    as_of = st.session_state.get(AS_OF_KEY) or candidate.as_of
    st.session_state["data_override"] = dataclasses.replace(candidate, as_of=as_of)
    done = [w for w in st.session_state.get(WHAT_KEY) or [] if w != what]
    st.session_state[WHAT_KEY] = [*done, what]
    if what == "departments":
        st.session_state[TOTALS_KEY] = totals
    st.session_state["data_applied"] = True


def _status(data: Dataset) -> None:
    what = st.session_state.get(WHAT_KEY) or []
    overridden = st.session_state.get("data_override") is not None
    if st.session_state.pop("data_applied", False):
        st.success(t("data.applied"))
    if overridden:
        names = ", ".join(t(f"data.what_{w}") for w in what) or "-"
        st.warning(t("data.using_upload", what=names, as_of=local_date(data.as_of)))
    else:
        st.caption(t("data.using_bundled", as_of=local_date(data.as_of)))
    st.button(t("data.reset"), key="data_reset", on_click=_reset, disabled=not overridden)


def _provenance(data: Dataset, focus: str) -> None:
    st.subheader(t("data.provenance_heading"))
    bundled = bundled_dataset()
    st.markdown(t("data.provenance", as_of=local_date(bundled.as_of), state=focus))
    manifest = _manifest()
    listed = bundled.departments.frame
    rows = {
        "ranking": len(bundled.ranking),
        "departments": int((~listed["is_remainder"]).sum()),
        "totals": 1,
        "courses": len(bundled.courses),
        "repairs": len(bundled.repairs),
    }
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


def _reconcile(data: Dataset) -> None:
    st.subheader(t("data.reconcile_heading"))
    st.caption(t("data.reconcile_intro"))
    if "departments" in (st.session_state.get(WHAT_KEY) or []):
        published = st.session_state.get(TOTALS_KEY)
    else:
        manifest = _manifest()
        published = parse_totals(
            read_table(DATA_DIR / manifest["totals"], manifest["totals"]), manifest["totals"]
        )
    table = reconciliation(data.departments, published)
    decimals = {c: (2 if c == "hours" else 0) for c in COLUMNS}
    shown = pd.DataFrame(
        {
            t("data.col_column"): [t(COLUMN_HEADER_KEYS[c]) for c in table.index],
            t("data.col_listed"): [fmt_num(v, decimals[c]) for c, v in table["listed"].items()],
            t("data.col_remainder"): [
                fmt_num(v, decimals[c]) for c, v in table["remainder"].items()
            ],
            t("data.col_total"): [fmt_num(v, decimals[c]) for c, v in table["total"].items()],
        }
    )
    if published is not None:
        shown[t("data.col_published")] = [
            fmt_num(v, decimals[c]) for c, v in table["published"].items()
        ]
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


def _repairs(data: Dataset) -> None:
    st.subheader(t("data.repairs_heading"))
    st.caption(t("data.repairs_intro", count=fmt_num(len(data.repairs))))
    headers = {
        "source_line": t("data.col_source_line"),
        "mdo": t("data.col_mdo"),
        "field": t("data.col_field"),
        "extracted": t("data.col_extracted"),
        "repaired": t("data.col_repaired"),
        "reason": t("data.col_reason"),
    }
    repairs = data.repairs.rename(columns=headers)
    st.dataframe(
        repairs,
        hide_index=True,
        key="data_repairs_table",
        column_config={headers["reason"]: st.column_config.TextColumn(width="large")},
    )
    with st.expander(t("data.ranking_expander", count=fmt_num(len(data.ranking)))):
        ranking = data.ranking.rename(
            columns={
                "state": t("common.state"),
                "category": t("common.category"),
                "score": t("common.score"),
                "rank": t("common.rank"),
            }
        )
        st.dataframe(
            ranking.style.format({t("common.score"): lambda v: fmt_num(v, 2)}),
            hide_index=True,
            key="data_ranking_table",
        )
    with st.expander(t("data.courses_expander", count=fmt_num(len(data.courses)))):
        courses = data.courses.rename(
            columns={c: t(f"data.col_{c}") for c in COURSE_COLUMNS if c in data.courses.columns}
        )
        st.dataframe(courses, hide_index=True, key="data_courses_table")


def _upload_ranking(data: Dataset, config: ModelConfig) -> None:
    st.download_button(
        t("data.template_ranking"),
        template_csv("ranking", data),
        file_name="ranking_template.csv",
        mime="text/csv",
        key="data_template_ranking",
    )
    upload = st.file_uploader(t("data.ranking_file"), type=["csv"], key="data_ranking_file")
    if upload is None:
        return
    try:
        candidate, report, warnings = validate_ranking(upload.getvalue(), upload.name, data, config)
    except ScoringInputError as error:
        _show_problems(error, t("data.refused"))
        return
    st.success("\n\n".join(report))
    for warning in warnings:
        st.warning(warning)
    st.button(
        t("data.use_ranking"),
        key="data_use_ranking",
        type="primary",
        on_click=_apply,
        args=(candidate, "ranking"),
    )


def _upload_departments(data: Dataset, config: ModelConfig) -> None:
    columns = ", ".join(COLUMNS)
    left, right = st.columns(2)
    left.download_button(
        t("data.template_departments"),
        template_csv("departments", data),
        file_name="departments_template.csv",
        mime="text/csv",
        key="data_template_departments",
    )
    right.download_button(
        t("data.template_totals"),
        template_csv("totals", data),
        file_name="totals_template.csv",
        mime="text/csv",
        key="data_template_totals",
    )
    upload = st.file_uploader(
        t("data.departments_file", columns=columns), type=["csv"], key="data_departments_file"
    )
    totals = st.file_uploader(
        t("data.totals_file", columns=columns), type=["csv"], key="data_totals_file"
    )
    if upload is None:
        return
    try:
        candidate, parsed_totals, report = validate_departments(
            upload.getvalue(),
            upload.name,
            totals.getvalue() if totals is not None else None,
            totals.name if totals is not None else "totals",
            data,
            config,
        )
    except ScoringInputError as error:
        _show_problems(error, t("data.refused"))
        return
    st.success("\n\n".join(report))
    st.button(
        t("data.use_departments"),
        key="data_use_departments",
        type="primary",
        on_click=_apply,
        args=(candidate, "departments", parsed_totals),
    )


def _uploads(data: Dataset, config: ModelConfig) -> None:
    st.subheader(t("data.upload_heading"))
    st.caption(t("data.upload_intro"))
    if not isinstance(st.session_state.get(AS_OF_KEY), dt.date):
        st.session_state[AS_OF_KEY] = data.as_of
    st.date_input(t("data.as_of"), key=AS_OF_KEY, format="DD/MM/YYYY", width=420)
    ranking_tab, departments_tab = st.tabs([t("data.tab_ranking"), t("data.tab_departments")])
    with ranking_tab:
        _upload_ranking(data, config)
    with departments_tab:
        _upload_departments(data, config)


st.session_state.setdefault(WHAT_KEY, [])
st.session_state.setdefault(TOTALS_KEY, None)
st.title(t("data.title"))
st.caption(t("data.intro"))
try:
    config = current_config()
    dataset = dataset()
except ScoringInputError as error:
    _show_problems(error, t("common.input_error"))
    st.stop()
_status(dataset)
_provenance(dataset, config.focus_state.upper())
_reconcile(dataset)
_repairs(dataset)
_uploads(dataset, config)
