"""Department and MDO figures on screen: totals, sortable tables, the headroom chart, the
unlisted remainder."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_ui.charts import headroom_chart
from app_ui.l10n import COLUMN_HEADER_KEYS, fmt_num, fmt_pct, t
from app_ui.presenter import show_chart
from scoring.data import REMAINDER_NAME
from scoring.departments import RATIOS, Remainder, Totals

RATIO_HEADER_KEYS = {
    "active_pct": "departments.col_active_pct",
    "completers_pct": "departments.col_completers_pct",
    "completion_rate": "departments.col_completion_rate",
    "pass_rate": "departments.col_pass_rate",
}
# Each ratio sits after the counts it is made of.
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


def _pct(value: float | None) -> str:
    return fmt_pct(value) if value is not None and pd.notna(value) else "-"


def _with_share(count: float, share: float | None) -> str:
    return f"{fmt_num(count)} ({_pct(share)})"


def totals(figures: Totals) -> None:
    cols = st.columns(4)
    cols[0].metric(t("departments.total_onboarded"), fmt_num(figures.onboarded))
    cols[1].metric(t("departments.total_active"), _with_share(figures.active, figures.active_share))
    cols[2].metric(
        t("departments.total_completers"),
        _with_share(figures.completers, figures.completer_share),
    )
    cols[3].metric(
        t("departments.unit_count"),
        t(
            "departments.unit_count_value",
            departments=fmt_num(figures.departments),
            mdos=fmt_num(figures.mdos),
        ),
    )


def table(frame: pd.DataFrame, name_columns: tuple[str, ...], key: str) -> None:
    """A sortable table: numbers stay numeric (sorting by a header sorts by value), shown with
    Indian grouping through a Styler."""
    headers = {
        "department": t("departments.col_department"),
        "mdo": t("departments.col_mdo"),
        "mdos": t("departments.col_mdos"),
        "headroom": t("departments.col_headroom"),
        **{c: t(k) for c, k in COLUMN_HEADER_KEYS.items()},
        **{c: t(k) for c, k in RATIO_HEADER_KEYS.items()},
    }
    columns = [*name_columns, *(["mdos"] if "mdos" in frame.columns else []), *SHOWN_ORDER]
    shown = frame[columns].copy()
    has_rest = bool((shown[name_columns[-1]] == REMAINDER_NAME).any())
    for column in name_columns:  # the engine's name for the remainder row, in the session language
        shown[column] = shown[column].replace(REMAINDER_NAME, t("departments.remainder_name"))
    shown = shown.rename(columns=headers)
    formats: dict[str, Callable[[float], str]] = {
        headers[c]: _pct if c in RATIOS else fmt_num for c in columns[len(name_columns) :]
    }
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
    if has_rest:  # "61 rows" under "60 / 100" read as a miscount: the extra row is named
        st.caption(t("departments.shown_count_rest", rows=fmt_num(len(shown) - 1)))
    else:
        st.caption(t("departments.shown_count", rows=fmt_num(len(shown))))


def headroom(leaders: pd.DataFrame) -> None:
    """The departments with the most headroom, as grouped bars."""
    leaders = leaders.assign(
        department=leaders["department"].replace(REMAINDER_NAME, t("departments.remainder_name"))
    )
    chart = headroom_chart(
        leaders,
        title=t("departments.chart_title", n=len(leaders)),
        value_title=t("departments.chart_value"),
        unit_title=t("departments.chart_unit"),
        series_labels={
            "onboarded": t("departments.series_onboarded"),
            "active": t("departments.series_active"),
            "user_completions": t("departments.series_completers"),
        },
    )
    show_chart(chart, width="stretch", key="dept_headroom_chart", export="dept_headroom_chart")
    st.caption(t("departments.headroom_help"))


def remainder_note(rest: Remainder) -> None:
    st.subheader(t("departments.remainder_heading"))
    st.info(
        t(
            "departments.remainder_note",
            rows=fmt_num(rest.listed_rows),
            name=t("departments.remainder_name"),
            onboarded=fmt_num(rest.onboarded),
            active=fmt_num(rest.active),
            completers=fmt_num(rest.completers),
            completions=fmt_num(rest.completions),
        )
    )
