"""The published standing on screen: score, rank and gaps; platform figures; a category's
ranking; the focus state's KPIs at baseline."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_ui.charts import ranking_chart, subscore_chart
from app_ui.charts.cache import cached_chart
from app_ui.l10n import fmt_num, fmt_pct, kpi_explanation, kpi_label, local_date, state_name, t
from app_ui.presenter import show_chart
from app_ui.tables import python_strings
from app_ui.text import plain, plain_cells
from scoring.config import KpiSpec
from scoring.departments import Totals
from scoring.engine import Model, category_table
from scoring.standing import Neighbour, Standing


def standing(shown: Standing) -> None:
    """Score, rank and the points to the neighbours above and below, then the dates."""
    score_col, rank_col, above_col, below_col = st.columns(4)
    score_col.metric(t("overview.score"), fmt_num(shown.score, 2))
    rank_col.metric(
        t("overview.rank", category=plain(shown.category)),
        t("overview.rank_value", rank=shown.rank, count=shown.count),
    )
    focus = state_name(shown.state)
    _gap(above_col, "above", shown.above, focus, "overview.top_of_category")
    _gap(below_col, "below", shown.below, focus, "overview.bottom_of_category")
    st.markdown(
        t(
            "overview.dates",
            as_of=local_date(shown.as_of),
            deadline=local_date(shown.deadline),
            days=fmt_num(shown.days_left),
        )
    )


def _with_share(count: float, share: float | None) -> str:
    return f"{fmt_num(count)} ({fmt_pct(share) if share is not None else '-'})"


def platform(state: str, totals: Totals) -> None:
    """Onboarded, active, with a completion, completions: the platform figures of the state."""
    st.subheader(t("overview.headline", state=plain(state_name(state))))
    cols = st.columns(4)
    cols[0].metric(t("overview.onboarded"), fmt_num(totals.onboarded))
    cols[1].metric(
        t("overview.active"),
        _with_share(totals.active, totals.active_share),
        help=t("overview.active_help"),
    )
    cols[2].metric(
        t("overview.completers"),
        _with_share(totals.completers, totals.completer_share),
        help=t("overview.completers_help"),
    )
    cols[3].metric(t("overview.completions"), fmt_num(totals.completions))


def ranking(model: Model, category: str) -> None:
    """A category's published ranking as a chart, and as a table on request."""
    table = category_table(model, model.published_score, category)
    table["state"] = [state_name(s) for s in table["state"]]
    focus = state_name(model.focus_state)
    chart = ranking_chart(
        table,
        focus,
        title=t("overview.chart_title", category=category),
        score_title=t("overview.chart_score"),
        state_title=t("overview.chart_state"),
        focus_label=t("common.focus_state", state=focus),
        other_label=t("common.other_states"),
    )
    show_chart(
        chart, width="stretch", key="overview_ranking_chart", export="overview_ranking_chart"
    )
    # Drawn only while open (a rerun on opening): a data grid costs the browser ~30 ms on
    # every visit of the page, for a table the chart above already shows.
    with st.expander(
        t("overview.table_expander"), key="overview_table_expander", on_change="rerun"
    ) as box:
        if not box.open:
            return
        rank, state, score = t("common.rank"), t("common.state"), t("common.score")
        shown = pd.DataFrame(
            {
                rank: table["rank"].astype(int),
                state: table["state"],
                score: table["score"].astype(float),
            }
        )
        with python_strings():
            st.dataframe(
                plain_cells(shown).style.format({score: lambda v: fmt_num(v, 2)}),
                hide_index=True,
                key="overview_ranking_table",
            )


def kpis(model: Model, rows: pd.DataFrame) -> None:
    """The KPIs at baseline (rows of scoring.standing.baseline_kpis): a table and a chart."""
    focus = state_name(model.focus_state)
    st.subheader(t("overview.kpi_heading", state=plain(focus)))
    st.caption(t("overview.kpi_intro"))
    specs = {spec.id: spec for spec in model.config.kpis}
    pillar, kpi, value = t("overview.kpi_pillar"), t("overview.kpi_label"), t("overview.kpi_value")
    subscore, weight = t("overview.kpi_subscore"), t("overview.kpi_weight")
    shown = pd.DataFrame(
        {
            pillar: [t(f"common.pillar.{p}") for p in rows["pillar"]],
            kpi: [kpi_label(specs[kpi_id]) for kpi_id in rows["id"]],
            # A ratio KPI reads as a percentage; a per-user figure as a number.
            value: [
                fmt_pct(v) if kind == "ratio" else fmt_num(v, 2)
                for v, kind in zip(rows["value"], rows["kind"], strict=True)
            ],
            subscore: rows["subscore"].to_numpy(),
            weight: rows["weight_share"].to_numpy(),
        }
    )
    # A plain table, not the data grid: the grid is drawn once for the window's width and was
    # cut on A4 paper; this one wraps its names at any width (numbers aligned in app_ui/layout.py).
    with st.container(key="overview_kpi_table"), python_strings():
        st.table(
            plain_cells(shown)
            .style.format({subscore: lambda v: fmt_num(v, 1), weight: lambda v: fmt_pct(v, 0)})
            .hide(axis="index")
        )
    kpi_explanations([specs[kpi_id] for kpi_id in rows["id"]])
    chart_frame = pd.DataFrame(
        {"kpi": shown[kpi], "pillar": shown[pillar], "subscore": shown[subscore]}
    )
    show_chart(
        cached_chart(
            subscore_chart,
            chart_frame,
            title=t("overview.kpi_chart_title", state=focus),
            value_title=subscore,
            kpi_title=kpi,
            pillar_title=pillar,
        ),
        width="stretch",
        key="overview_kpi_chart",
        export="overview_kpi_chart",
    )


def kpi_explanations(specs: list[KpiSpec]) -> None:
    """One plain line per KPI: what it counts and why it moves (a model file may have none)."""
    lines = [
        f"- **{plain(kpi_label(spec))}**: {plain(kpi_explanation(spec))}"
        for spec in specs
        if kpi_explanation(spec)
    ]
    if lines:
        with st.container(key="overview_kpi_explanations"):
            st.markdown("\n".join(lines))


def _gap(col: Any, side: str, neighbour: Neighbour | None, focus: str, edge_key: str) -> None:
    """The points to the neighbour on one side ("above" or "below"), or that there is none."""
    if neighbour is None:
        col.metric(t(f"overview.neighbour_{side}"), t(edge_key))
        return
    gap, state = fmt_num(neighbour.gap, 2), plain(state_name(neighbour.state))
    col.metric(
        t(f"overview.gap_{side}", state=state),
        t(f"overview.gap_{side}_value", gap=gap),
        help=t(
            f"overview.gap_{side}_help",
            state=state,
            score=fmt_num(neighbour.score, 2),
            focus=plain(focus),
            gap=gap,
        ),
    )
