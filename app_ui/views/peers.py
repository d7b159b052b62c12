"""Sensitivity's moving-peers view: a drift for the other states (one value, per state, or each
state's own trend), the ranking it projects to the deadline, and the goal it implies."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui import services, session
from app_ui.l10n import fmt_num, goal_reason, local_date, t, tn
from app_ui.services import ModelRef, editions, uncertainty
from app_ui.text import plain
from app_ui.widgets.problems import show_problems
from scoring.drift import drift_months
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.goal import GoalTarget
from scoring.robustness import default_goal_rank, goal_ranks
from scoring.trends import peer_trends

DRIFT_MODES = ("none", "all", "each", "trend")
# With two or more published rankings, the states' real movement between them comes first.
EDITIONS_MODE = "editions"
Drift = float | dict[str, float] | None


def _drift_table(drift: dict[str, float]) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                t("sensitivity.drift_table_state"): list(drift),
                t("sensitivity.drift_table_value"): [fmt_num(v, 2) for v in drift.values()],
            }
        ),
        hide_index=True,
    )


def _drift_input(mode: str, model: Model, ref_key: str) -> Drift:
    """The drift the chosen mode describes; None when it describes none."""
    states = model.others["state"].tolist()
    if mode == "all":
        return float(
            st.number_input(
                t("sensitivity.drift_all_value"),
                -5.0,
                5.0,
                0.3,
                step=0.1,
                key="sens_drift_all",
                persist_state="session",
            )
        )
    if mode == "each":
        # The editor keeps no state across a view switch: it starts from the drift in use.
        in_use = session.peer_drift()
        start = in_use if isinstance(in_use, dict) else {}
        edited = st.data_editor(
            pd.DataFrame({"state": states, "drift": [start.get(s, 0.0) for s in states]}),
            key="sens_drift_table",
            hide_index=True,
            disabled=["state"],
            column_config={
                "state": st.column_config.TextColumn(t("sensitivity.drift_table_state")),
                "drift": st.column_config.NumberColumn(
                    t("sensitivity.drift_table_value"), min_value=-5.0, max_value=5.0, step=0.1
                ),
            },
        )
        values = edited["drift"].fillna(0.0)
        return {str(s): float(v) for s, v in zip(edited["state"], values, strict=True)}
    if mode == "editions":
        real = editions.peer_drift(ref_key, model)
        if real is None:
            return None
        st.caption(t("editions.drift_editions_note", dates=", ".join(editions.rankings())))
        _drift_table(real)
        return real
    if mode == "trend":
        months = session.history_months()
        if not months:  # with the data's own month, two or more are needed for a trend
            st.info(t("sensitivity.trend_unavailable"))
            return None
        trends = peer_trends(uncertainty.rank_history(months), states)
        _drift_table(trends)
        return trends
    return None


def peers_view(base: ModelRef) -> None:
    """`base` is the session's model without drift: the drift is chosen against it."""
    model = base.model
    deadline = local_date(model.config.deadline)
    # The drift's own period (the peers' scores are the ranking's, not the department table's).
    months = drift_months(model)
    # "3 months", not "3.0 months"; a fraction keeps one decimal.
    count = fmt_num(months, 0 if float(months).is_integer() else 1)
    months_text = tn("sensitivity.months_count", months, n=count)
    since = local_date(model.ranking_as_of)
    st.caption(t("sensitivity.peers_explain", deadline=deadline, months=months_text, ranking=since))
    real = editions.peer_drift(base.key, model) is not None
    modes = (EDITIONS_MODE, *DRIFT_MODES) if real else DRIFT_MODES
    names = {m: t(f"sensitivity.drift_{m}") for m in DRIFT_MODES}
    names[EDITIONS_MODE] = t("editions.drift_editions")
    if st.session_state.get("sens_drift_mode") not in (None, *modes):
        del st.session_state["sens_drift_mode"]  # the editions' mode left with a withdrawal
    mode = st.radio(
        t("sensitivity.drift_mode"),
        modes,
        key="sens_drift_mode",
        horizontal=True,
        format_func=names.__getitem__,
        persist_state="session",
    )
    drift = _drift_input(str(mode), model, base.key)
    c1, c2 = st.columns(2)
    c1.button(
        t("sensitivity.drift_apply"),
        key="sens_drift_apply",
        type="primary",
        disabled=mode == "none" or drift is None,
        on_click=session.set_peer_drift,
        args=(drift,),
    )
    c2.button(
        t("sensitivity.drift_clear"),
        key="sens_drift_clear",
        on_click=session.set_peer_drift,
        args=(None,),
    )
    if session.peer_drift() is None:
        return
    st.success(t("sensitivity.drift_active", deadline=deadline))
    try:
        _projection(services.model_ref(), base, deadline)
    except ScoringInputError as exc:
        show_problems(exc.problems, t("sensitivity.error"))


def _projection(moved: ModelRef, base: ModelRef, deadline: str) -> None:
    """The ranking at the deadline with the drift, and a goal with and without it."""
    table = services.simulation(ref=moved).category_table
    st.subheader(t("sensitivity.drift_projected", deadline=deadline))
    st.dataframe(
        pd.DataFrame(
            {
                "#": table["rank"],
                t("sensitivity.drift_table_state"): table["state"],
                t("sensitivity.baseline"): [fmt_num(v, 2) for v in table["published_score"]],
                deadline: [fmt_num(v, 2) for v in table["score"]],
            }
        ),
        hide_index=True,
    )
    ranks = goal_ranks(moved.model)
    rank = int(
        st.selectbox(
            t("sensitivity.target_rank"),
            ranks,
            index=ranks.index(default_goal_rank(moved.model)),
            key="sens_drift_goal_rank",
            persist_state="session",
        )
    )
    with st.spinner():
        goal = services.goal(GoalTarget(rank=rank), moved)
        without = services.goal(GoalTarget(rank=rank), base)
    if not goal.reachable:
        st.warning(
            t(
                "sensitivity.goal_out_of_reach",
                rank=rank,
                deadline=deadline,
                reason=goal_reason(goal),
            )
        )
        return
    st.info(
        t(
            "sensitivity.goal_with_drift",
            rank=rank,
            deadline=deadline,
            state=plain(moved.model.focus_state),
            completers=fmt_num(goal.extra_completers),
            per_day=fmt_num(goal.per_day),
            plain=fmt_num(without.extra_completers) if without.reachable else "-",
        )
    )
