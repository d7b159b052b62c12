"""Saved scenarios on screen: the table of them with owner, private or shared, time saved (IST),
score and rank under the current data and model; two or three compared side by side (cards and the
category chart)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_ui import services
from app_ui.charts.cache import cached_chart
from app_ui.charts.compare import compare_chart
from app_ui.l10n import fmt_delta, fmt_num, t
from app_ui.presenter import show_chart
from app_ui.services import chance as services_chance
from app_ui.services import saved as saved_service
from app_ui.services.saved import Evaluated, SavedScenario, UnreadableScenario
from app_ui.text import plain
from app_ui.views.chance import fmt_chance, rank_chance
from app_ui.widgets.saved import COMPARE
from scoring.chance import Chance
from scoring.compare import compare
from scoring.engine import Model, SimulationResult
from scoring.errors import ScoringInputError
from scoring.scenario import LeverKind
from scoring.share import ScenarioState

MAX_COMPARED = 3


def levers_summary(state: ScenarioState) -> str:
    """The first lever in words, how many more, and whether the scenario has its own
    assumptions or weights."""
    if not state.levers:
        return t("scenarios.no_levers")
    first = state.levers[0]
    if first.kind == LeverKind.ADD.value:
        text = t("scenarios.lever_add", target=first.target, value=fmt_num(first.value))
    else:
        decimals = 0 if float(first.value).is_integer() else 1
        text = t("scenarios.lever_reach", target=first.target, value=fmt_num(first.value, decimals))
    if len(state.levers) > 1:
        text += t("scenarios.more_levers", count=len(state.levers) - 1)
    extras = [t("scenarios.own_assumptions")] if state.assumptions else []
    extras += [t("scenarios.own_weights")] if state.weights else []
    return text + (f" ({', '.join(extras)})" if extras else "")


def _chance_tail(chance: Chance | None) -> str:
    """ " · Chance 94%, margin +0.89 points" for a chart label (no margin in last place)."""
    if chance is None:
        return ""
    if not math.isfinite(chance.margin):
        return f" · {fmt_chance(chance.chance)}"
    short = t(
        "chance.plan_chance_short",
        chance=fmt_chance(chance.chance),
        margin=fmt_delta(chance.margin),
    )
    return f" · {short}"


def _rank_text(rank: int, count: int) -> str:
    return t("scenarios.rank_value", rank=rank, count=count)


def chance_of(evaluated: Evaluated) -> Chance | None:
    """The chance of the saved scenario's rank over weightings plausible around its own model
    (its own weights, if it has them); None when it does not run."""
    if evaluated.result is None:
        return None
    try:
        ref = services.model_ref(evaluated.saved.state)
    except ScoringInputError:
        return None
    return services_chance.scenario_chance(evaluated.result.additions.added, ref)


def _category_size(model: Model) -> int:
    return len(model.others) + 1  # the focus state and the others of its category


def _owner(saved: SavedScenario, me: str) -> str:
    return t("scenarios.owner_you") if saved.owner == me else saved.owner


def table(
    evaluated: list[Evaluated], model: Model, unreadable: Sequence[UnreadableScenario] = ()
) -> None:
    """Every saved scenario the user may see with its owner, private or shared, score, rank and
    extra completers (or why it cannot run), and the stored rows that cannot be read."""
    st.subheader(t("scenarios.list_heading"))
    count = _category_size(model)
    for bad in unreadable:
        st.warning(plain(t("scenarios.unreadable", name=bad.name, problem=bad.problem)))
    if not evaluated:
        st.info(t("scenarios.none_saved"))
        return
    me = saved_service.actor().user
    name, levers = t("scenarios.col_name"), t("scenarios.col_levers")
    chances = [chance_of(e) for e in evaluated]
    frame = pd.DataFrame(
        {
            name: [e.saved.name for e in evaluated],
            levers: [levers_summary(e.saved.state) for e in evaluated],
            t("scenarios.col_score"): [
                fmt_num(e.result.score, 2) if e.result else "-" for e in evaluated
            ],
            t("scenarios.col_rank"): [
                _rank_text(e.result.rank, count) if e.result else "-" for e in evaluated
            ],
            t("chance.label"): [fmt_chance(c.chance) if c else "-" for c in chances],
            t("scenarios.col_extra"): [
                fmt_num(e.result.extra_completers) if e.result else "-" for e in evaluated
            ],
            t("scenarios.col_owner"): [_owner(e.saved, me) for e in evaluated],
            t("scenarios.col_visibility"): [
                t(f"scenarios.visibility.{e.saved.visibility}") for e in evaluated
            ],
            t("scenarios.col_updated"): [saved_service.when(e.saved.updated_at) for e in evaluated],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key="scn_table",
        column_config={
            name: st.column_config.TextColumn(width="medium"),
            levers: st.column_config.TextColumn(width="large"),
        },
    )
    for e in evaluated:
        if e.problems:
            problem = "; ".join(e.problems)
            st.warning(plain(t("scenarios.cannot_run", name=e.saved.name, problem=problem)))


def comparison(evaluated: list[Evaluated], model: Model) -> None:
    """Two or three runnable saved scenarios side by side: before, after and the difference
    (scoring.compare), and where each lands among the category's states."""
    st.subheader(t("scenarios.compare_heading"))
    runnable = {e.saved.id: e for e in evaluated if e.result is not None}
    if len(runnable) < 2:
        st.caption(t("scenarios.compare_need_two"))
        return
    st.session_state[COMPARE] = [i for i in st.session_state.get(COMPARE) or [] if i in runnable]
    picked = st.multiselect(
        t("scenarios.compare_pick"),
        list(runnable),
        format_func=lambda i: runnable[i].saved.name if i in runnable else str(i),
        key=COMPARE,
        max_selections=MAX_COMPARED,
        placeholder=t("scenarios.compare_placeholder"),
    )
    results: dict[str, SimulationResult] = {}
    chances: dict[str, Chance | None] = {}
    for i in picked:
        if (result := runnable[i].result) is not None:
            results[runnable[i].saved.name] = result
            chances[runnable[i].saved.name] = chance_of(runnable[i])
    if len(results) < 2:
        st.caption(t("scenarios.compare_need_two"))
        return
    runs = compare(results)
    count = _category_size(model)
    for col, run in zip(st.columns(len(runs)), runs.itertuples(), strict=True):
        with col.container(border=True):
            st.text(str(run.name))  # st.text: a name is never Markdown
            st.metric(
                t("scenarios.col_score"), fmt_num(run.score, 2), delta=fmt_delta(run.score_change)
            )
            st.metric(t("scenarios.col_rank"), _rank_text(int(run.rank), count))
            if (chance := chances.get(str(run.name))) is not None:
                rank_chance(st.container(), chance)
            st.metric(t("scenarios.col_extra"), fmt_num(run.extra_completers))
    title = t("scenarios.compare_title", category=model.focus_category)
    chart = cached_chart(
        compare_chart,
        model.others[["state", "score"]],
        (t("scenarios.chart_published", state=model.focus_state), model.published_score),
        pd.DataFrame(
            {
                "label": [t("scenarios.chart_scenario", name=n) for n in runs["name"]],
                "score": runs["score"],
                "text": [
                    f"{fmt_num(s, 2)} · {_rank_text(int(r), count)}{_chance_tail(chances.get(n))}"
                    for n, s, r in zip(runs["name"], runs["score"], runs["rank"], strict=True)
                ],
            }
        ),
        title=title,
        score_title=t("common.score"),
        run_kind=t("scenarios.chart_kind"),
        published_kind=t("common.published_score"),
        other_kind=t("common.other_states"),
    )
    show_chart(chart, width="stretch", key="scn_compare_chart", export="scn_compare_chart")
    st.caption(t("scenarios.compare_caption"))
