"""Overview: where the focus state stands in the published ranking, and the figures behind it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_ui.charts import ranking_chart, subscore_chart
from app_ui.l10n import fmt_num, fmt_pct, t
from app_ui.presenter import show_chart
from app_ui.services import current_model
from app_ui.text import plain
from scoring.engine import Model, category_table, simulate
from scoring.errors import ScoringInputError
from scoring.scenario import Scenario


def _date(day: dt.date) -> str:
    return t("common.date", day=day.day, month=t(f"common.month.{day.month}"), year=day.year)


def _label(en: str, hi: str) -> str:
    return hi if st.session_state.get("lang") == "hi" and hi else en


def _standing(model: Model) -> None:
    table = category_table(model, model.published_score)
    focus = model.focus_state
    position = int(table.index[table["state"] == focus][0])
    score_col, rank_col, above_col, below_col = st.columns(4)
    score_col.metric(t("overview.score"), fmt_num(model.published_score, 2))
    rank_col.metric(
        t("overview.rank", category=model.focus_category),
        t("overview.rank_value", rank=model.published_rank, count=len(table)),
    )
    if position > 0:
        above = table.iloc[position - 1]
        gap = fmt_num(above["score"] - model.published_score, 2)
        above_col.metric(
            t("overview.gap_above", state=plain(above["state"])),
            t("overview.gap_above_value", gap=gap),
            help=t(
                "overview.gap_above_help",
                state=plain(above["state"]),
                score=fmt_num(above["score"], 2),
                focus=focus,
                gap=gap,
            ),
        )
    else:
        above_col.metric(t("overview.neighbour_above"), t("overview.top_of_category"))
    if position < len(table) - 1:
        below = table.iloc[position + 1]
        gap = fmt_num(model.published_score - below["score"], 2)
        below_col.metric(
            t("overview.gap_below", state=plain(below["state"])),
            t("overview.gap_below_value", gap=gap),
            help=t(
                "overview.gap_below_help",
                state=plain(below["state"]),
                score=fmt_num(below["score"], 2),
                focus=focus,
                gap=gap,
            ),
        )
    else:
        below_col.metric(t("overview.neighbour_below"), t("overview.bottom_of_category"))
    deadline = model.config.deadline
    as_of = model.data.as_of
    st.markdown(
        t(
            "overview.dates",
            as_of=_date(as_of),
            deadline=_date(deadline),
            days=fmt_num((deadline - as_of).days),
        )
    )


def _headline(model: Model) -> None:
    st.subheader(t("overview.headline", state=model.focus_state))
    totals = model.data.departments.totals()
    onboarded = float(totals["onboarded"])
    share = (lambda column: totals[column] / onboarded) if onboarded else (lambda column: 0.0)
    cols = st.columns(4)
    cols[0].metric(t("overview.onboarded"), fmt_num(onboarded))
    cols[1].metric(
        t("overview.active"),
        f"{fmt_num(totals['active'])} ({fmt_pct(share('active'))})",
        help=t("overview.active_help"),
    )
    cols[2].metric(
        t("overview.completers"),
        f"{fmt_num(totals['user_completions'])} ({fmt_pct(share('user_completions'))})",
        help=t("overview.completers_help"),
    )
    cols[3].metric(t("overview.completions"), fmt_num(totals["completions"]))


def _ranking(model: Model) -> None:
    st.subheader(t("overview.ranking_heading"))
    categories = sorted(model.data.ranking["category"].unique().tolist())
    if st.session_state.get("overview_category") not in categories:
        st.session_state["overview_category"] = (
            model.focus_category if model.focus_category in categories else categories[0]
        )
    category = st.selectbox(
        t("overview.category_select"), categories, key="overview_category", width=200
    )
    table = category_table(model, model.published_score, category)
    chart = ranking_chart(
        table,
        model.focus_state,
        title=t("overview.chart_title", category=category),
        score_title=t("overview.chart_score"),
        state_title=t("overview.chart_state"),
        focus_label=t("common.focus_state", state=model.focus_state),
        other_label=t("common.other_states"),
    )
    show_chart(chart, width="stretch", key="overview_ranking_chart")
    with st.expander(t("overview.table_expander")):
        shown = pd.DataFrame(
            {
                t("common.rank"): table["rank"].astype(int),
                t("common.state"): table["state"],
                t("common.score"): table["score"].astype(float),
            }
        )
        st.dataframe(
            shown.style.format({t("common.score"): lambda v: fmt_num(v, 2)}),
            hide_index=True,
            key="overview_ranking_table",
        )


def _kpis(model: Model) -> None:
    st.subheader(t("overview.kpi_heading", state=model.focus_state))
    st.caption(t("overview.kpi_intro"))
    baseline = simulate(model, Scenario())
    kinds = {spec.id: spec.subscore.kind.value for spec in model.config.kpis}
    order = {"readiness": 0, "consumption": 1, "hygiene": 2}
    kpis = sorted(baseline.kpis, key=lambda k: (order.get(k.pillar, 9), -k.weight_share))
    rows = pd.DataFrame(
        {
            t("overview.kpi_pillar"): [t(f"common.pillar.{k.pillar}") for k in kpis],
            t("overview.kpi_label"): [_label(k.label_en, k.label_hi) for k in kpis],
            t("overview.kpi_value"): [
                fmt_pct(k.baseline) if kinds[k.id] == "ratio" else fmt_num(k.baseline, 2)
                for k in kpis
            ],
            t("overview.kpi_subscore"): [k.baseline_subscore for k in kpis],
            t("overview.kpi_weight"): [k.weight_share for k in kpis],
        }
    )
    st.dataframe(
        rows.style.format(
            {
                t("overview.kpi_subscore"): lambda v: fmt_num(v, 1),
                t("overview.kpi_weight"): lambda v: fmt_pct(v, 0),
            }
        ),
        hide_index=True,
        key="overview_kpi_table",
        column_config={t("overview.kpi_label"): st.column_config.TextColumn(width="large")},
    )
    chart_frame = pd.DataFrame(
        {
            "kpi": rows[t("overview.kpi_label")],
            "pillar": rows[t("overview.kpi_pillar")],
            "subscore": rows[t("overview.kpi_subscore")],
        }
    )
    show_chart(
        subscore_chart(
            chart_frame,
            title=t("overview.kpi_chart_title", state=model.focus_state),
            value_title=t("overview.kpi_subscore"),
            kpi_title=t("overview.kpi_label"),
            pillar_title=t("overview.kpi_pillar"),
        ),
        width="stretch",
        key="overview_kpi_chart",
    )


try:
    model = current_model()
except ScoringInputError as error:
    st.error("\n".join([t("common.input_error"), *[f"- {p}" for p in error.problems]]))
    st.stop()

st.title(t("overview.title", state=model.focus_state))
st.caption(t("overview.intro"))
st.info(t("common.caveat"))
_standing(model)
_headline(model)
_ranking(model)
_kpis(model)
