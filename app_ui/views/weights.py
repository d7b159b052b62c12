"""What the weights do, on screen: the scenario and the goal under edited against default
weights, and the KPIs' shares of the score as a chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui.charts import weight_share_chart
from app_ui.charts.cache import cached_chart
from app_ui.l10n import fmt_delta, fmt_num, kpi_label, state_name, t
from app_ui.presenter import show_chart
from app_ui.text import plain
from scoring.config import ModelConfig
from scoring.goal import GoalTarget
from scoring.weight_effect import WeightEffect


def _goal_label(target: GoalTarget) -> str:
    if target.rank is not None:
        return t("weights.goal_rank", rank=target.rank)
    return t("weights.goal_beat", state=plain(state_name((target.beat or "").upper())))


def _completers(need: int | None) -> str:
    return fmt_num(need) if need is not None else t("weights.unreachable")


def effect(shown: WeightEffect, levers: int) -> None:
    """Score, rank and the goal's completers under the edited weights; deltas against the
    model file's weights."""
    if levers:
        st.caption(
            t(
                "weights.effect_intro",
                levers=fmt_num(levers),
                extra=fmt_num(shown.extra_completers),
            )
        )
    else:
        st.caption(t("weights.effect_no_levers"))
    cols = st.columns([1, 1, 1.4])  # the goal's label names a state: the widest
    cols[0].metric(
        t("weights.scenario_score"),
        fmt_num(shown.score, 2),
        delta=fmt_delta(shown.score_change) if round(shown.score_change, 2) else None,
        help=t("weights.scenario_score_help", score=fmt_num(shown.default_score, 2)),
    )
    cols[1].metric(
        t("weights.scenario_rank", category=plain(shown.category)),
        t("weights.rank_value", rank=shown.rank, count=shown.count),
        delta=fmt_delta(shown.places, 0) if shown.places else None,
        help=t("weights.scenario_rank_help", rank=shown.default_rank),
    )
    cols[2].metric(
        t("weights.goal_completers", goal=_goal_label(shown.target)),
        _completers(shown.goal),
        delta=fmt_delta(shown.goal_change, 0) if shown.goal_change else None,
        delta_color="inverse",  # fewer completers needed is better
        help=t("weights.goal_help", completers=_completers(shown.default_goal)),
    )


def shares_chart(config: ModelConfig, shares: pd.DataFrame) -> None:
    """The KPIs' shares of the score (`shares`: scoring.weight_effect.weight_shares rows)."""
    frame = pd.DataFrame(
        {
            "kpi": [kpi_label(k) for k in config.kpis],
            "pillar": [t(f"common.pillar.{k.pillar.value}") for k in config.kpis],
            "share": shares["share"].to_numpy(),
        }
    )
    show_chart(
        cached_chart(
            weight_share_chart,
            frame,
            title=t("weights.chart_title"),
            value_title=t("weights.chart_axis"),
            kpi_title=t("weights.kpi"),
            pillar_title=t("weights.pillar"),
        ),
        width="stretch",
        key="w_share_chart",
        export="w_share_chart",
    )
