"""Goal seek on screen: the target form, and a result with its plan (table, chart, load button)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_ui import services, session
from app_ui.charts import plan_chart
from app_ui.charts.cache import cached_chart
from app_ui.l10n import fmt_num, fmt_pct, goal_proof, goal_reason, local_date, state_name, t
from app_ui.presenter import show_chart
from app_ui.services import chance as services_chance
from app_ui.services.chance import CHANCE_LEVELS, DEFAULT_LEVEL
from app_ui.tables import python_strings
from app_ui.text import plain, plain_cells
from app_ui.views.chance import fmt_chance, interval_values, plan_chance_text
from app_ui.widgets.problems import show_problems
from scoring.chance import CHECK_DRAWS, FRAGILE_MARGIN
from scoring.compare import states_above
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult, GoalTarget
from scoring.robust import RobustPlan
from scoring.scenario import LeverKind
from scoring.share import LeverState

PAGES = Path(__file__).resolve().parents[2] / "app_pages"


def goal_label(target: GoalTarget) -> str:
    """The goal in words: "rank 5" / "passing TAMIL NADU"."""
    if target.rank is not None:
        return t("simulator.goal_rank_label", rank=target.rank)
    return t("simulator.goal_beat_label", state=plain(state_name((target.beat or "").upper())))


def _on_run(prefix: str) -> None:
    if st.session_state.get(f"{prefix}_goal_mode") == "beat" and st.session_state.get(
        f"{prefix}_goal_state"
    ):
        session.set_goal_request(GoalTarget(beat=str(st.session_state[f"{prefix}_goal_state"])))
    else:
        session.set_goal_request(GoalTarget(rank=int(st.session_state[f"{prefix}_goal_rank"])))
    if prefix != "sim":  # the Simulator's own goal seek asks for the fewest only
        robust = st.session_state.get(f"{prefix}_goal_kind") == "robust"
        level = st.session_state.get(f"{prefix}_goal_level", DEFAULT_LEVEL)
        session.set_goal_level(int(level) if robust else None)


def plan_levers(result: GoalResult) -> tuple[LeverState, ...]:
    return tuple(
        LeverState(target=str(row.id), kind=LeverKind.ADD.value, value=int(row.extra_completers))
        for row in result.plan.itertuples()
    )


def load_plan(result: GoalResult) -> None:
    """The plan becomes the levers, and the Simulator says at its top what they give."""
    session.set_levers(plan_levers(result), "plan")
    try:
        outcome = services.simulation()
        chance = services_chance.scenario_chance(outcome.additions.added)
    except ScoringInputError:
        return
    session.notify(
        "simulator",
        "success",
        t(
            "chance.loaded",
            goal=goal_label(result.target),
            extra=fmt_num(outcome.extra_completers),
            score=fmt_num(outcome.score, 2),
            rank=t("simulator.rank_value", rank=outcome.rank, count=len(outcome.category_table)),
            chance=fmt_chance(chance.chance),
        ),
    )


def form(model: Model, prefix: str = "sim") -> None:
    """What to reach: a rank or a state to pass, and the button that runs goal seek."""
    if prefix == "sim":
        st.subheader(t("simulator.goal_title"))
        st.caption(
            t("simulator.goal_intro", ceiling=fmt_pct(model.config.scenario.activation_ceiling, 0))
        )
        with contextlib.suppress(StreamlitAPIException):  # the goal page not in this navigation
            st.page_link(st.Page(str(PAGES / "goal.py")), label=t("chance.goal_page_link"))
    if prefix != "sim":
        _plan_choice(prefix)
    states = states_above(model)
    ranks = list(range(1, len(model.others) + 1))
    mode_col, target_col, run_col = st.columns([3, 3, 2], vertical_alignment="bottom")
    if not states and st.session_state.get(f"{prefix}_goal_mode") == "beat":
        st.session_state[f"{prefix}_goal_mode"] = "rank"
    mode_col.radio(
        t("simulator.goal_mode"),
        ["rank", "beat"] if states else ["rank"],
        format_func={m: t(f"simulator.goal_mode_{m}") for m in ("rank", "beat")}.__getitem__,
        key=f"{prefix}_goal_mode",
        horizontal=True,
        persist_state="session",
    )
    if st.session_state[f"{prefix}_goal_mode"] == "rank":
        if st.session_state.get(f"{prefix}_goal_rank") not in ranks:
            st.session_state[f"{prefix}_goal_rank"] = max(1, model.published_rank - 1)
        target_col.selectbox(
            t("simulator.goal_rank"), ranks, key=f"{prefix}_goal_rank", persist_state="session"
        )
    else:
        if st.session_state.get(f"{prefix}_goal_state") not in states:
            st.session_state[f"{prefix}_goal_state"] = states[0]
        target_col.selectbox(
            t("simulator.goal_state"), states, key=f"{prefix}_goal_state", persist_state="session"
        )
    run_col.button(
        t("simulator.goal_run"),
        key=f"{prefix}_goal_run",
        type="primary",
        on_click=_on_run,
        args=(prefix,),
        width="stretch",
    )


def _plan_choice(prefix: str) -> None:
    """The proven fewest, or the fewest found that hold in P% of plausible weightings."""
    kind_col, level_col = st.columns([5, 3], vertical_alignment="bottom")
    level = st.session_state.get(f"{prefix}_goal_level", DEFAULT_LEVEL)
    kind_col.radio(
        t("chance.kind"),
        ["fewest", "robust"],
        # Labels made now, in the session's language (a format_func may run outside the run).
        format_func={
            k: t(f"chance.kind_{k}", level=level) for k in ("fewest", "robust")
        }.__getitem__,
        key=f"{prefix}_goal_kind",
        horizontal=True,
        persist_state="session",
        captions=[
            t("chance.kind_fewest_help"),
            t("chance.kind_robust_help", draws=fmt_num(CHECK_DRAWS)),
        ],
    )
    if st.session_state.get(f"{prefix}_goal_kind") == "robust":
        if st.session_state.get(f"{prefix}_goal_level") not in CHANCE_LEVELS:
            st.session_state[f"{prefix}_goal_level"] = DEFAULT_LEVEL
        level_col.selectbox(
            t("chance.level"),
            CHANCE_LEVELS,
            format_func={p: t("chance.level_value", level=p) for p in CHANCE_LEVELS}.__getitem__,
            key=f"{prefix}_goal_level",
            persist_state="session",
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


def result_view(model: Model, prefix: str = "sim") -> None:
    """The asked goal's plan: the proven fewest, or (on the goal page, when a chance is asked)
    the plan that holds in that share of plausible weightings; then the button that loads it."""
    target = session.goal_request()
    if target is None:
        return
    level = session.goal_level() if prefix != "sim" else None
    try:
        with st.spinner(t("simulator.goal_running")):
            fewest = services.goal(target)
        robust = None
        if level is not None and fewest.reachable and not fewest.already_met:
            with st.spinner(t("chance.price_running")):
                robust = plan_for(services_chance.price(target), level)
    except ScoringInputError as exc:
        show_problems(exc.problems)
        return
    goal = goal_label(fewest.target)
    state = plain(state_name(model.focus_state))
    if fewest.already_met:
        st.info(t("simulator.goal_met", goal=goal, state=state))
        return
    if not fewest.reachable:
        st.warning(t("simulator.goal_unreachable", goal=goal, reason=goal_reason(fewest)))
        return
    if robust is None:
        result = fewest
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
        plan_chance(result)
    else:
        result = robust.plan
        values = {
            "goal": goal,
            "extra": fmt_num(robust.extra_completers),
            "chance": fmt_chance(robust.chance),
            "draws": fmt_num(robust.fresh_draws),
            "fewest": fmt_num(fewest.extra_completers),
            "level": round(robust.probability * 100),
            **interval_values(robust.interval),
        }
        if robust.met:
            st.success(t("chance.robust_result", **values))
        else:
            st.warning(t("chance.robust_short", **values))
    cols = st.columns(4)
    cols[0].metric(
        t("simulator.goal_extra") if robust is None else t("simulator.plan_extra"),
        fmt_num(result.extra_completers),
    )
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
    _plan(result, prefix)
    if prefix == "sim":
        st.button(
            t("simulator.goal_load"),
            key="sim_goal_load",
            on_click=load_plan,
            args=(result,),
            help=t("simulator.goal_load_help"),
        )
    elif st.button(
        t("chance.load"),
        key=f"{prefix}_goal_load",
        type="primary",
        help=t("simulator.goal_load_help"),
    ):
        load_plan(result)
        st.switch_page(st.Page(str(PAGES / "simulator.py")))


def plan_for(plans: tuple[RobustPlan, ...], level: int) -> RobustPlan:
    """The price curve's plan for a chance level (the levels are the curve's own)."""
    return next(p for p in plans if round(p.probability * 100) == level)


def plan_chance(result: GoalResult) -> None:
    """The plan's chance over plausible weightings and its margin; whether it is proven minimal."""
    chance, interval = services_chance.plan_chance(result)
    text = plan_chance_text(chance, interval, result.margin, result.needed_score)
    if result.tie or result.margin < FRAGILE_MARGIN:
        st.warning(text)
    else:
        st.info(text)
    if result.method != "robust":
        st.caption(goal_proof(result))


def _plan(result: GoalResult, prefix: str = "sim") -> None:
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
    with table_col.container(key=f"{prefix}_plan_table"), python_strings():
        st.table(
            plain_cells(shown)
            .style.hide(axis="index")
            .set_properties(subset=[extra], **{"text-align": "right"})
        )
    show_chart(
        cached_chart(
            plan_chart,
            plan,
            title=t("simulator.plan_chart_title"),
            value_title=t("simulator.plan_extra"),
            others_label=t("simulator.plan_others"),
            lakh=t("common.lakh"),
        ),
        container=chart_col,
        width="stretch",
        key=f"{prefix}_plan_chart",
        export=f"{prefix}_plan_chart",
    )
