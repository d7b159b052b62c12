"""Sensitivity's weight views: the chance of a rank over plausible weightings, and what matters
most (a tornado per KPI weight, the departments where a completer adds most)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app_ui.charts.cache import cached_chart
from app_ui.charts.uncertainty import marginal_chart, rank_probability_chart, tornado_chart
from app_ui.l10n import fmt_num, fmt_pct, fmt_probability, kpi_label, state_name, t
from app_ui.presenter import presenter_on, show_chart
from app_ui.services import ModelRef
from app_ui.services import uncertainty as services
from app_ui.widgets.counts import kept_count
from app_ui.widgets.problems import show_problems
from scoring.errors import ScoringInputError
from scoring.robustness import default_target_rank, strongest_gains, summarise

WEIGHT_MODES = ("dirichlet", "uniform")


def _draw_settings() -> tuple[float | None, int, int]:
    """How to draw weightings: concentration (None = uniform), number of draws, seed."""
    mode = st.radio(
        t("sensitivity.mode"),
        WEIGHT_MODES,
        key="sens_mode",
        format_func={m: t(f"sensitivity.mode_{m}") for m in WEIGHT_MODES}.__getitem__,
        persist_state="session",
        horizontal=True,
    )
    # The draw's technical settings matter to an analyst, not to a meeting: folded away.
    with st.expander(t("sensitivity.advanced")):
        c2, c3, c4 = st.columns(3)
    concentration = c2.slider(
        t("sensitivity.concentration"),
        5,
        200,
        30,
        key="sens_concentration",
        help=t("sensitivity.concentration_help"),
        disabled=mode == "uniform",
        persist_state="session",
    )
    draws = kept_count(
        t("sensitivity.draws"),
        "sens_draws",
        100_000,
        min_value=1_000,
        max_value=200_000,
        where=c3,
    )
    seed = c4.number_input(
        t("sensitivity.seed"), 0, 10_000, 0, key="sens_seed", persist_state="session"
    )
    return (None if mode == "uniform" else float(concentration)), int(draws), int(seed)


def weights_view(ref: ModelRef, added: np.ndarray) -> None:
    """The chance of each rank over weightings drawn around the model's (or any) weights."""
    model = ref.model
    st.caption(t("sensitivity.weights_explain"))
    concentration, draws, seed = _draw_settings()
    try:
        with st.spinner():
            dist = services.rank_odds(ref, added, concentration, draws, seed)
    except ScoringInputError as exc:
        show_problems(exc.problems, t("sensitivity.error"))
        return
    summary = summarise(dist)
    positions = dist.ranks.tolist()
    m0, m1, m2, m3 = st.columns(4)
    if presenter_on():
        # Presenter mode hides the picker; the rank it set is shown, since a figure below uses it.
        chosen = st.session_state.get("sens_target_rank")
        target = chosen if isinstance(chosen, int) and chosen in positions else None
        target = target or default_target_rank(model.published_rank)
        m0.metric(t("sensitivity.target_rank"), str(target))
    else:
        target = int(
            m0.selectbox(
                t("sensitivity.target_rank"),
                positions,
                index=positions.index(default_target_rank(model.published_rank)),
                key="sens_target_rank",
                persist_state="session",
            )
        )
    # Never rounded into certainty or impossibility: ">99%", "<0.1%".
    chance_text = fmt_probability(dist.at_or_better(target)) or fmt_pct(0, 0)
    m1.metric(t("sensitivity.chance_label", rank=target), chance_text)
    m2.metric(
        t("sensitivity.most_likely"),
        str(summary.likely_rank),
        help=t(
            "sensitivity.most_likely_value",
            rank=summary.likely_rank,
            share=fmt_probability(summary.likely_share),
        ),
    )
    m3.metric(
        t("sensitivity.score_range"),
        f"{fmt_num(summary.score_low, 2)} – {fmt_num(summary.score_high, 2)}",
    )
    st.markdown("**" + t("sensitivity.at_or_better", rank=target, share=chance_text) + "**")
    chart = cached_chart(
        rank_probability_chart,
        dist.to_frame(),
        title=t("sensitivity.chart_rank_title", state=state_name(model.focus_state)),
        rank_title=t("sensitivity.rank_axis"),
        probability_title=t("sensitivity.probability_axis"),
        baseline_label=t("sensitivity.baseline"),
        scenario_label=t("sensitivity.scenario"),
    )
    show_chart(chart, width="stretch", export="sens_rank_chart")


def matters_view(ref: ModelRef, added: np.ndarray) -> None:
    """Which KPI weight the scenario's score leans on, and where a completer adds most."""
    st.caption(t("sensitivity.matters_explain"))
    if added.any():
        _tornado(ref, added)
    else:
        st.info(t("sensitivity.tornado_needs_scenario"))
    _marginal(strongest_gains(services.marginal_gains(ref, added)))


def _tornado(ref: ModelRef, added: np.ndarray) -> None:
    labels = {spec.id: kpi_label(spec) for spec in ref.model.config.kpis}
    swings = services.weight_swings(ref, added)
    frame = swings.assign(label=swings["kpi"].map(labels))  # a copy: the cached frame is shared
    show_chart(
        cached_chart(
            tornado_chart,
            frame,
            title=t("sensitivity.tornado_title"),
            score_title=t("sensitivity.score_axis"),
            half_label=t("sensitivity.half"),
            double_label=t("sensitivity.double"),
            central=float(frame["central_score"].iloc[0]),
        ),
        width="stretch",
        export="sens_tornado_chart",
    )


def _marginal(gains: pd.DataFrame) -> None:
    show_chart(
        cached_chart(
            marginal_chart,
            gains,
            title=t("sensitivity.marginal_title"),
            value_title=t("sensitivity.marginal_axis"),
        ),
        width="stretch",
        export="sens_marginal_chart",
    )
    table = pd.DataFrame(
        {
            t("sensitivity.marginal_table_department"): gains["department"],
            t("sensitivity.marginal_table_completers"): [fmt_num(v) for v in gains["completers"]],
            t("sensitivity.marginal_table_points"): [fmt_num(v, 3) for v in gains["points"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
