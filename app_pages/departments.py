"""Departments: every department and MDO with its ratios, searchable, sortable, with drill-down."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st
from app_ui.i18n import COLUMN_HEADER_KEYS

from app_ui.charts import headroom_chart
from app_ui.l10n import fmt_num, fmt_pct, t
from app_ui.presenter import show_chart
from app_ui.services import current_model
from scoring.config import COLUMNS
from scoring.errors import ScoringInputError

RATIO_HEADERS = {
    "active_pct": "departments.col_active_pct",
    "completers_pct": "departments.col_completers_pct",
    "completion_rate": "departments.col_completion_rate",
    "pass_rate": "departments.col_pass_rate",
}
SHOWN_ORDER = (
    "onboarded",
    "active",
    "active_pct",
    "user_completions",
    "completers_pct",
    "headroom",
    "enrolments",
    "completions",
    "completion_rate",
    "hours",
    "attempted",
    "passed",
    "pass_rate",
)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    # A unit with nothing in the denominator has no ratio, not a zero one.
    with np.errstate(divide="ignore", invalid="ignore"):
        return (numerator / denominator.where(denominator > 0)).astype(float)


def with_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """The derived columns shown beside the stored counts (never stored in the data)."""
    out = frame.copy()
    out["active_pct"] = _ratio(out["active"], out["onboarded"])
    out["completers_pct"] = _ratio(out["user_completions"], out["onboarded"])
    out["completion_rate"] = _ratio(out["completions"], out["enrolments"])
    out["pass_rate"] = _ratio(out["passed"], out["attempted"])
    out["headroom"] = out["onboarded"] - out["user_completions"]
    return out


def by_department(frame: pd.DataFrame) -> pd.DataFrame:
    grouped = frame.groupby("department", sort=False)
    sums = grouped[list(COLUMNS)].sum()
    sums.insert(0, "mdos", grouped.size())
    return sums.reset_index()


def _pct(value: float) -> str:
    return fmt_pct(value) if pd.notna(value) else "-"


def show_table(frame: pd.DataFrame, name_columns: tuple[str, ...], key: str) -> None:
    """A sortable table: numbers stay numeric, shown with Indian grouping via a Styler."""
    headers = {
        "department": t("departments.col_department"),
        "mdo": t("departments.col_mdo"),
        "mdos": t("departments.col_mdos"),
        "headroom": t("departments.col_headroom"),
        **{c: t(k) for c, k in COLUMN_HEADER_KEYS.items()},
        **{c: t(k) for c, k in RATIO_HEADERS.items()},
    }
    columns = [*name_columns, *(["mdos"] if "mdos" in frame.columns else []), *SHOWN_ORDER]
    shown = frame[columns].rename(columns=headers)
    formats: dict[str, Callable[[float], str]] = {}
    for column in columns[len(name_columns) :]:
        if column in RATIO_HEADERS:
            formats[headers[column]] = _pct
        else:
            formats[headers[column]] = fmt_num
    st.dataframe(
        shown.style.format(formats),
        hide_index=True,
        key=key,
        column_config={
            headers[c]: st.column_config.TextColumn(headers[c], pinned=True, width="large")
            for c in name_columns
        }
        | {headers["headroom"]: st.column_config.Column(help=t("departments.headroom_help"))},
    )
    st.caption(t("departments.shown_count", rows=fmt_num(len(shown))))


def _totals(rows: pd.DataFrame) -> None:
    totals = rows[list(COLUMNS)].sum()
    real = rows[~rows["is_remainder"]]
    cols = st.columns(4)
    cols[0].metric(t("departments.total_onboarded"), fmt_num(totals["onboarded"]))
    cols[1].metric(
        t("departments.total_active"),
        f"{fmt_num(totals['active'])} ({_pct(totals['active'] / totals['onboarded'])})",
    )
    cols[2].metric(
        t("departments.total_completers"),
        f"{fmt_num(totals['user_completions'])} "
        f"({_pct(totals['user_completions'] / totals['onboarded'])})",
    )
    cols[3].metric(
        t("departments.unit_count"),
        t(
            "departments.unit_count_value",
            departments=fmt_num(real["department"].nunique()),
            mdos=fmt_num(len(real)),
        ),
    )


def _search(rows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    query = left.text_input(
        t("departments.search"), key="dept_search", placeholder=t("departments.search_placeholder")
    )
    # A toggle rather than a radio with translated option labels: those lose their selection in
    # the browser when the language changes.
    st.session_state.setdefault("dept_show_mdos", False)
    right.toggle(t("departments.view_mdos"), key="dept_show_mdos")
    query = (query or "").strip()
    if not query:
        return rows, query
    needle = query.casefold()
    hit = rows["department"].str.casefold().str.contains(needle, regex=False) | rows[
        "mdo"
    ].str.casefold().str.contains(needle, regex=False)
    if not st.session_state["dept_show_mdos"]:
        # A department matches by its own name or any of its MDOs, and is then shown whole.
        return rows[rows["department"].isin(rows.loc[hit, "department"])], query
    return rows[hit], query


def _drill(rows: pd.DataFrame) -> None:
    st.subheader(t("departments.drill_heading"))
    departments = sorted(rows["department"].unique().tolist())
    if st.session_state.get("dept_drill") not in departments:
        st.session_state["dept_drill"] = None
    chosen = st.selectbox(
        t("departments.drill_select"),
        departments,
        placeholder=t("departments.drill_none"),
        key="dept_drill",
    )
    if chosen:
        mdos = with_ratios(rows[rows["department"] == chosen]).sort_values(
            "onboarded", ascending=False
        )
        st.caption(t("departments.drill_caption", mdos=fmt_num(len(mdos)), department=chosen))
        show_table(mdos, ("mdo",), key="dept_drill_table")


def _headroom(rows: pd.DataFrame) -> None:
    st.subheader(t("departments.chart_heading"))
    departments = with_ratios(by_department(rows))
    count = len(departments)
    if count == 0:
        return
    st.session_state.setdefault("dept_top_n", min(10, count))
    top_n = st.slider(
        t("departments.top_n"), min_value=1, max_value=max(count, 2), key="dept_top_n", width=300
    )
    top = departments.nlargest(top_n, "headroom")
    chart = headroom_chart(
        top,
        title=t("departments.chart_title", n=len(top)),
        value_title=t("departments.chart_value"),
        unit_title=t("departments.chart_unit"),
        series_labels={
            "onboarded": t("departments.series_onboarded"),
            "active": t("departments.series_active"),
            "user_completions": t("departments.series_completers"),
        },
    )
    show_chart(chart, width="stretch", key="dept_headroom_chart")
    st.caption(t("departments.headroom_help"))


def _remainder(rows: pd.DataFrame) -> None:
    remainder = rows[rows["is_remainder"]]
    if remainder.empty:
        return
    sums = remainder[list(COLUMNS)].sum()
    st.subheader(t("departments.remainder_heading"))
    st.info(
        t(
            "departments.remainder_note",
            rows=fmt_num(int((~rows["is_remainder"]).sum())),
            name=str(remainder["department"].iloc[0]),
            onboarded=fmt_num(sums["onboarded"]),
            active=fmt_num(sums["active"]),
            completers=fmt_num(sums["user_completions"]),
            completions=fmt_num(sums["completions"]),
        )
    )


try:
    model = current_model()
except ScoringInputError as error:
    st.error("\n".join([t("common.input_error"), *[f"- {p}" for p in error.problems]]))
    st.stop()

rows = model.departments
st.title(t("departments.title", state=model.focus_state))
st.caption(t("departments.intro"))
_totals(rows)
found, query = _search(rows)
if found.empty:
    st.warning(t("departments.no_match", query=query))
elif not st.session_state["dept_show_mdos"]:
    table = with_ratios(by_department(found)).sort_values("onboarded", ascending=False)
    show_table(table, ("department",), key="dept_table")
else:
    table = with_ratios(found).sort_values("onboarded", ascending=False)
    show_table(table, ("department", "mdo"), key="dept_mdo_table")
_headroom(rows)
_drill(rows)
_remainder(rows)
