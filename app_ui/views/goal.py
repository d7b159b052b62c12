"""Goal seek on screen: the target form, and a result with its plan (table, chart, load button)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui import services, session
from app_ui.charts import plan_chart
from app_ui.l10n import fmt_num, fmt_pct, goal_reason, local_date, state_name, t
from app_ui.presenter import show_chart
from app_ui.text import plain
from app_ui.widgets.problems import show_problems
from scoring.compare import states_above
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult, GoalTarget
from scoring.scenario import LeverKind
from scoring.share import LeverState


def goal_label(target: GoalTarget) -> str:
    """The goal in words: "rank 5" / "passing TAMIL NADU"."""
    if target.rank is not None:
        return t("simulator.goal_rank_label", rank=target.rank)
    return t("simulator.goal_beat_label", state=plain(state_name((target.beat or "").upper())))


def _on_run() -> None:
    if st.session_state.get("sim_goal_mode") == "beat" and st.session_state.get("sim_goal_state"):
        session.set_goal_request(GoalTarget(beat=str(st.session_state["sim_goal_state"])))
    else:
        session.set_goal_request(GoalTarget(rank=int(st.session_state["sim_goal_rank"])))


def _on_load_plan(result: GoalResult) -> None:
    session.set_levers(
        tuple(
            LeverState(
                target=str(row.id), kind=LeverKind.ADD.value, value=int(row.extra_completers)
            )
            for row in result.plan.itertuples()
        ),
        "plan",
    )


def form(model: Model) -> None:
    """What to reach: a rank or a state to pass, and the button that runs goal seek."""
    st.subheader(t("simulator.goal_title"))
    st.caption(
        t("simulator.goal_intro", ceiling=fmt_pct(model.config.scenario.activation_ceiling, 0))
    )
    states = states_above(model)
    ranks = list(range(1, len(model.others) + 1))
    mode_col, target_col, run_col = st.columns([3, 3, 2], vertical_alignment="bottom")
    if not states and st.session_state.get("sim_goal_mode") == "beat":
        st.session_state["sim_goal_mode"] = "rank"
    mode_col.radio(
        t("simulator.goal_mode"),
        ["rank", "beat"] if states else ["rank"],
        format_func=lambda m: t(f"simulator.goal_mode_{m}"),
        key="sim_goal_mode",
        horizontal=True,
        persist_state="session",
    )
    if st.session_state["sim_goal_mode"] == "rank":
        if st.session_state.get("sim_goal_rank") not in ranks:
            st.session_state["sim_goal_rank"] = max(1, model.published_rank - 1)
        target_col.selectbox(
            t("simulator.goal_rank"), ranks, key="sim_goal_rank", persist_state="session"
        )
    else:
        if st.session_state.get("sim_goal_state") not in states:
            st.session_state["sim_goal_state"] = states[0]
        target_col.selectbox(
            t("simulator.goal_state"), states, key="sim_goal_state", persist_state="session"
        )
    run_col.button(
        t("simulator.goal_run"),
        key="sim_goal_run",
        type="primary",
        on_click=_on_run,
        width="stretch",
    )


def current_result() -> GoalResult | None:
    """The session's goal under the current model (recomputed, from the cache, when weights or
    assumptions change); None when no goal was asked or it does not fit the model."""
    target = session.goal_request()
    if target is None:
        return None
    try:
        return services.goal(target)
    except ScoringInputError:
        return None


def result_view(model: Model) -> None:
    target = session.goal_request()
    if target is None:
        return
    try:
        with st.spinner(t("simulator.goal_running")):
            result = services.goal(target)
    except ScoringInputError as exc:
        show_problems(exc.problems)
        return
    goal = goal_label(result.target)
    state = plain(state_name(model.focus_state))
    if result.already_met:
        st.info(t("simulator.goal_met", goal=goal, state=state))
        return
    if not result.reachable:
        st.warning(t("simulator.goal_unreachable", goal=goal, reason=goal_reason(result)))
        return
    st.success(
        t(
            "simulator.goal_reachable",
            goal=goal,
            state=state,
            extra=fmt_num(result.extra_completers),
            score=fmt_num(result.score, 2),
            rank=result.rank,
        )
    )
    cols = st.columns(4)
    cols[0].metric(t("simulator.goal_extra"), fmt_num(result.extra_completers))
    cols[1].metric(
        t("simulator.goal_per_day"),
        fmt_num(result.per_day),
        help=t(
            "simulator.goal_per_day_help", until=local_date(result.until), days=fmt_num(result.days)
        ),
    )
    cols[2].metric(t("simulator.goal_needed"), fmt_num(result.needed_score, 2))
    cols[3].metric(t("simulator.goal_units"), fmt_num(len(result.plan)))
    st.caption(t("simulator.goal_until", until=local_date(result.until), days=fmt_num(result.days)))
    _plan(result)
    st.button(
        t("simulator.goal_load"),
        key="sim_goal_load",
        on_click=_on_load_plan,
        args=(result,),
        help=t("simulator.goal_load_help"),
    )


def _plan(result: GoalResult) -> None:
    plan = result.plan.copy()
    plan["unit"] = [
        mdo if mdo == dept else f"{mdo} ({dept})"
        for mdo, dept in zip(plan["mdo"], plan["department"], strict=True)
    ]
    table_col, chart_col = st.columns([1, 1])
    mdo, extra, department = (
        t("simulator.plan_mdo"),
        t("simulator.plan_extra"),
        t("simulator.plan_department"),
    )
    # A department is named only where it differs from the unit (most units are departments).
    shown = pd.DataFrame(
        {
            mdo: plan["mdo"],
            department: [
                "" if m == d else d for m, d in zip(plan["mdo"], plan["department"], strict=True)
            ],
            extra: [fmt_num(v) for v in plan["extra_completers"]],
        }
    )
    if not shown[department].any():
        shown = shown.drop(columns=department)
    # A plain table, not the data grid: its headers and names wrap instead of being cut, its
    # type follows presenter mode, and the numbers line up on the right.
    with table_col.container(key="sim_plan_table"):
        st.table(
            shown.style.hide(axis="index").set_properties(subset=[extra], **{"text-align": "right"})
        )
    show_chart(
        plan_chart(
            plan,
            title=t("simulator.plan_chart_title"),
            value_title=t("simulator.plan_extra"),
            others_label=t("simulator.plan_others"),
            lakh=t("common.lakh"),
        ),
        container=chart_col,
        width="stretch",
        key="sim_plan_chart",
        export="sim_plan_chart",
    )
