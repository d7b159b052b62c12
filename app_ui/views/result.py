"""A scenario's result: score, rank and extra completers; the category chart; points by KPI."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui import services, session
from app_ui.charts import contribution_chart, ranking_chart
from app_ui.l10n import fmt_delta, fmt_num, kpi_label, local_date, state_name, t, tn
from app_ui.presenter import show_chart
from app_ui.text import plain
from app_ui.views.chance import rank_chance
from scoring.chance import Chance
from scoring.deadline import days_left, per_day
from scoring.engine import Model, SimulationResult


def headline(model: Model, result: SimulationResult, chance: Chance | None = None) -> None:
    """Score, rank, its chance and extra completers: the first thing on the page and the first
    thing sent (the fewer elements ahead of them, the sooner the browser shows them)."""
    st.subheader(t("simulator.results_heading"))
    # Presenter mode draws 1.5x larger type: the score label needs the room.
    widths = [1.4, 0.75, 1.1, 1.45] if session.presenter() else [1.15, 0.85, 1.1, 1.4]
    score_col, rank_col, chance_col, extra_col = st.columns(widths)
    score_delta = result.score - result.baseline_score
    score_col.metric(
        t("simulator.score"),
        fmt_num(result.score, 2),
        delta=fmt_delta(score_delta) if round(score_delta, 2) else None,
        help=t("simulator.score_help", published=fmt_num(result.baseline_score, 2)),
    )
    places = result.baseline_rank - result.rank
    rank_col.metric(
        t("simulator.rank"),
        t("simulator.rank_value", rank=result.rank, count=len(result.category_table)),
        delta=tn("simulator.places", places, places=fmt_delta(places, 0)) if places else None,
        help=t("simulator.rank_help", rank=result.baseline_rank, category=plain(result.category)),
    )
    if chance is not None:
        rank_chance(chance_col, chance)
    extra_col.metric(
        t("simulator.extra"), fmt_num(result.extra_completers), help=t("simulator.extra_help")
    )
    if result.extra_completers:
        days = max(days_left(model.data.as_of, model.config.deadline), 1)
        extra_col.caption(
            t(
                "simulator.per_day",
                per_day=fmt_num(per_day(result.extra_completers, days)),
                until=local_date(model.config.deadline),
            )
        )
    if result.score >= 100:
        st.caption(t("simulator.over_100"))


def ranking(model: Model, result: SimulationResult, key: str) -> None:
    table = result.category_table.copy()  # a copy: the cached result is shared
    table["state"] = [state_name(s) for s in table["state"]]
    focus = state_name(model.focus_state)
    chart = ranking_chart(
        table,
        focus,
        title=t("simulator.ranking_title", category=result.category),
        score_title=t("common.score"),
        focus_label=t("common.focus_state", state=focus),
        other_label=t("common.other_states"),
        published_label=t("common.published_score"),
        simulated_label=t("common.simulated_score"),
    )
    show_chart(chart, width="stretch", key=key, export=key)


def contributions(model: Model, result: SimulationResult, key: str) -> None:
    """Points each KPI adds, largest first, with the biggest mover in words."""
    specs = {k.id: k for k in model.config.kpis}
    # The sort is stable, so equal contributions keep the config's order.
    kpis = sorted(result.kpis, key=lambda k: -k.contribution)
    frame = pd.DataFrame(
        {
            "kpi": [kpi_label(specs[k.id]) for k in kpis],
            "pillar": [t(f"common.pillar.{k.pillar}") for k in kpis],
            "contribution": [k.contribution for k in kpis],
        }
    )
    total = float(sum(k.contribution for k in kpis))
    st.subheader(t("simulator.contrib_heading"))
    if result.extra_completers == 0 or abs(total) < 1e-9:
        # A chart of zeros says nothing a sentence cannot.
        st.caption(t("simulator.contrib_none"))
        return
    chart_col, text_col = st.columns([3, 1], gap="large")
    show_chart(
        contribution_chart(
            frame,
            title=t("simulator.contrib_title"),
            value_title=t("simulator.contrib_axis"),
            kpi_title=t("simulator.kpi"),
            pillar_title=t("simulator.pillar"),
            # The config's order, as on the overview's sub-score chart: same colours there.
            pillars=list(dict.fromkeys(t(f"common.pillar.{k.pillar}") for k in result.kpis)),
        ),
        container=chart_col,
        width="stretch",
        key=key,
        export=key,
    )
    text_col.markdown(
        t(
            "simulator.contrib_explain",
            total=fmt_delta(total),
            kpi=plain(frame["kpi"].iloc[0]),
            points=fmt_delta(float(frame["contribution"].iloc[0])),
        )
    )


def weights_note(model: Model) -> None:
    """Say so when the score below uses weights edited on the Weights page, not the file's."""
    defaults = {k.id: k.weight for k in services.file_config().kpis}
    changed = [k for k in model.config.kpis if defaults.get(k.id) != k.weight]
    if changed:
        names = ", ".join(f"{kpi_label(k)} {fmt_num(k.weight, 1)}" for k in changed)
        st.info(plain(t("simulator.weights_changed", kpis=names)), icon=":material/balance:")
