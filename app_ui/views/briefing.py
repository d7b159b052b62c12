"""Downloads of the current scenario for a meeting: the HTML briefing and, after a goal seek, its
plan as CSV and Excel (each file made only when its button is clicked)."""

from __future__ import annotations

import functools

import streamlit as st

from app_ui import services, session
from app_ui.export.briefing import (
    PlanChance,
    PlanNote,
    Provenance,
    briefing_html,
    plan_csv,
    plan_xlsx,
)
from app_ui.l10n import fmt_num, t
from app_ui.services import chance as services_chance
from app_ui.services import saved as saved_service
from app_ui.text import plain
from app_ui.views.goal import current_result
from scoring.chance import Chance
from scoring.engine import Model, SimulationResult
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult
from scoring.plan_scope import plan_belongs, saved_as

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _briefing(
    lang: str,
    model: Model,
    result: SimulationResult,
    goal: GoalResult | None,
    provenance: Provenance,
    chance: Chance | None,
    goal_chance: PlanChance | None,
) -> bytes:
    return briefing_html(
        lang,
        model,
        result,
        goal,
        None,
        provenance=provenance,
        chance=chance,
        goal_chance=goal_chance,
    ).encode("utf-8")


def downloads() -> None:
    st.subheader(t("scenarios.briefing_heading"))
    st.caption(t("scenarios.briefing_intro"))
    lang = session.lang()
    try:
        ref = services.model_ref()
        result = services.simulation(session.scenario(), ref)
    except ScoringInputError as exc:
        st.warning(plain(t("scenarios.briefing_failed", problem="; ".join(exc.problems))))
        return
    model = ref.model
    state = session.scenario()
    goal = current_result()
    plan_elsewhere = False
    if goal is not None and not plan_belongs(session.goal_scenario(), state, goal.plan):
        goal, plan_elsewhere = None, True  # never a plan of another scenario
    try:
        saved = saved_as(state, saved_service.listing().scenarios)
    except ScoringInputError:
        saved = None  # the page reports an unreadable store; the briefing goes without a name
    name = saved.name if saved else None
    provenance = Provenance(
        name=name, saved_at=saved.updated_at if saved else None, plan_elsewhere=plan_elsewhere
    )
    # About 1 ms each from the cached sample, so the files carry the figures the pages show.
    chance = services_chance.scenario_chance(result.additions.added, ref)
    goal_chance = (
        services_chance.plan_chance(goal, ref)
        if goal is not None and goal.reachable and not goal.already_met
        else None
    )
    stem = f"{model.focus_state.lower()}-{model.data.as_of.isoformat()}"
    cols = st.columns(3)
    cols[0].download_button(
        t("scenarios.briefing_download"),
        data=functools.partial(
            _briefing, lang, model, result, goal, provenance, chance, goal_chance
        ),
        file_name=f"briefing-{stem}-{lang}.html",
        mime="text/html",
        key="scn_briefing",
        on_click="ignore",
        icon=":material/description:",
        type="primary",
    )
    if goal is None or goal.plan.empty:
        st.caption(
            t(
                "scenarios.briefing_plan_elsewhere"
                if plan_elsewhere
                else "scenarios.briefing_no_plan"
            )
        )
        return
    note = PlanNote(model=model, scenario_name=name, chance=goal_chance)
    cols[1].download_button(
        t("scenarios.plan_csv"),
        data=functools.partial(plan_csv, goal, lang, note),
        file_name=f"plan-{stem}.csv",
        mime="text/csv",
        key="scn_plan_csv",
        on_click="ignore",
        icon=":material/table:",
    )
    cols[2].download_button(
        t("scenarios.plan_xlsx"),
        data=functools.partial(plan_xlsx, goal, lang, note),
        file_name=f"plan-{stem}.xlsx",
        mime=XLSX,
        key="scn_plan_xlsx",
        on_click="ignore",
        icon=":material/grid_on:",
    )
    extra, units = fmt_num(goal.extra_completers), fmt_num(len(goal.plan))
    st.caption(t("scenarios.briefing_plan", extra=extra, units=units))
