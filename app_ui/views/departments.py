"""Department and MDO figures on screen: totals, sortable tables, the headroom chart, the
unlisted remainder."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from app_ui.charts import headroom_chart
from app_ui.charts.cache import cached_chart
from app_ui.l10n import (
    COLUMN_HEADER_KEYS,
    fmt_num,
    fmt_pct,
    number_formatter,
    pct_formatter,
    t,
)
from app_ui.presenter import show_chart
from app_ui.tables import python_strings
from scoring.data import REMAINDER_NAME
from scoring.departments import RATIOS, Remainder, Totals
from scoring.safe_csv import to_safe_csv

RATIO_HEADER_KEYS = {
    "active_pct": "departments.col_active_pct",
    "completers_pct": "departments.col_completers_pct",
    "completion_rate": "departments.col_completion_rate",
    "pass_rate": "departments.col_pass_rate",
}
# A state has tens of departments and hundreds of MDOs (Bihar: 100 rows): those keep the Styler's
# Indian grouping; a table beyond this (an upload of up to MAX_DEPARTMENT_ROWS) is drawn unstyled.
STYLED_ROWS = 5_000
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
    Indian grouping through a Styler up to STYLED_ROWS rows, and our own CSV download with
    formulas in names defused (Streamlit's toolbar download is off: client.disableDataExport)."""
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
    numbers = columns[len(name_columns) :]
    config: dict[str, Any] = {
        headers[c]: st.column_config.TextColumn(headers[c], pinned=True, width="large")
        for c in name_columns
    }
    if len(shown) <= STYLED_ROWS:
        pct, num = pct_formatter(), number_formatter()
        formats: dict[str, Callable[[float], str]] = {
            headers[c]: pct if c in RATIOS else num for c in numbers
        }
        data: Any = shown.style.format(formats)
    else:
        # A Styler formats every cell in Python (11 s for 20,000 rows here) and pandas refuses
        # more than 262,144 cells: large tables get the browser's own number formats instead.
        data = shown
        config |= {
            headers[c]: st.column_config.NumberColumn(
                format="percent" if c in RATIOS else "localized"
            )
            for c in numbers
        }
    headroom_help = t("departments.headroom_help")
    config[headers["headroom"]] = (
        st.column_config.Column(help=headroom_help)
        if len(shown) <= STYLED_ROWS
        else st.column_config.NumberColumn(help=headroom_help, format="localized")
    )
    with python_strings():
        st.dataframe(data, hide_index=True, key=key, column_config=config)
    st.download_button(
        t("departments.download_csv"),
        data=functools.partial(to_safe_csv, shown),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
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
    chart = cached_chart(
        headroom_chart,
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
