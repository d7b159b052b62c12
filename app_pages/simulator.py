"""Simulator: levers on departments, every assumption, the new score and rank, and goal seek."""

from __future__ import annotations

import contextlib
import math
from typing import Any

import pandas as pd
import streamlit as st

from app_ui.charts import contribution_chart, plan_chart, ranking_chart
from app_ui.format import fmt_delta, fmt_num, fmt_pct, md_escape
from app_ui.presenter import presenter_on, show_chart
from app_ui.state import (
    current_config,
    current_model,
    goal_reason,
    local_date,
    report_problems,
    t,
)
from scoring.engine import Model, SimulationResult, simulate
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult, GoalTarget, goal_seek
from scoring.presets import (
    PRESET_IDS,
    available_bands,
    band_courses,
    course_bundle,
    preset,
)
from scoring.scenario import MAX_LEVER_VALUE, Lever, LeverKind, Scenario

LEVERS = "sim_levers"  # owned by this page: list of {"target", "kind", "value"}
ASSUMPTIONS = "sim_assumptions"  # owned by this page: overrides of the config's assumptions
GOAL = "goal_result"  # owned by this page: {"rank"|"beat", "model", "result"}
WIDGETS = "sim_widgets"  # page-owned copies of widget values that have no engine home
ERRORS = "sim_errors"  # problems from the last rejected input, shown once
MEAN = "__mean__"
DEFAULT_HOURS = 1.67  # offered when leaving "unit's own" for a number: the bundled model's value


# --- state helpers: widgets are rebuilt from session state on every run --------------------


def _remember(key: str) -> None:
    st.session_state[WIDGETS][key] = st.session_state[key]


def _restore(key: str, default: Any) -> None:
    """Give a widget its remembered value (its own state does not survive a page switch)."""
    st.session_state[key] = st.session_state[WIDGETS].get(key, default)


def _label(en: str, hi: str) -> str:
    return hi if st.session_state.get("lang") == "hi" and hi else en


def _default_band(bands: list[str]) -> str:
    # "0 - 9 Years" (the second band) is the largest group of employees; the config's default
    # hours per course come from it.
    return bands[min(1, len(bands) - 1)]


def _set_levers(levers: list[dict[str, Any]], source: str | None = None) -> None:
    """Replace the levers; `source` names the preset or plan they came from (None: hand-made)."""
    st.session_state[LEVERS] = levers
    if source is None:
        st.session_state[WIDGETS].pop("preset", None)
    else:
        st.session_state[WIDGETS]["preset"] = source


def _set_assumption(name: str, value: Any) -> None:
    """Store one assumption if the engine accepts it; otherwise keep the old one and say why."""
    changes = dict(st.session_state.get(ASSUMPTIONS) or {})
    changes[name] = value
    try:
        current_config().with_assumptions(**changes)
    except ScoringInputError as exc:
        st.session_state[ERRORS] = exc.problems
        return
    st.session_state[ASSUMPTIONS] = changes


def _default_lever(target: str, headroom: float) -> dict[str, Any]:
    # A tenth of the headroom, in hundreds: a visible but modest first step.
    value = min(headroom, max(100, round(headroom / 10, -2))) if headroom > 0 else 0
    return {"target": target, "kind": LeverKind.ADD.value, "value": int(value)}


# --- callbacks ---------------------------------------------------------------------------


def _on_targets(headroom: dict[str, float]) -> None:
    old = {lever["target"]: lever for lever in st.session_state[LEVERS]}
    chosen = st.session_state["sim_targets"]
    _set_levers([old.get(tg) or _default_lever(tg, headroom.get(tg, 0)) for tg in chosen])


def _on_kind(target: str, share_now: float, headroom: float) -> None:
    kind = st.session_state[f"sim_kind::{target}"]
    levers = []
    for lever in st.session_state[LEVERS]:
        if lever["target"] == target and lever["kind"] != kind:
            if kind == LeverKind.REACH.value:
                # The next round ten percent above where the unit stands today.
                value: float = min(100.0, math.floor(share_now / 10) * 10 + 10)
            else:
                value = _default_lever(target, headroom)["value"]
            lever = {"target": target, "kind": kind, "value": value}
        levers.append(lever)
    _set_levers(levers)


def _on_value(target: str, kind: str) -> None:
    value = st.session_state[f"sim_{kind}::{target}"]
    value = int(value) if kind == LeverKind.ADD.value else float(value)
    _set_levers(
        [
            {**lever, "value": value} if lever["target"] == target else lever
            for lever in st.session_state[LEVERS]
        ]
    )


def _on_preset(preset_id: str, departments: pd.DataFrame) -> None:
    chosen = preset(preset_id, departments)
    _set_levers(
        [{"target": lv.target, "kind": lv.kind.value, "value": lv.value} for lv in chosen.levers],
        preset_id,
    )
    st.session_state[ASSUMPTIONS] = {
        **(st.session_state.get(ASSUMPTIONS) or {}),
        **chosen.assumptions,
    }


def _on_clear() -> None:
    _set_levers([])


def _on_number_assumption(key: str, name: str, scale: float = 1.0) -> None:
    _set_assumption(name, float(st.session_state[key]) / scale)


def _on_hours() -> None:
    _remember("sim_hours_mode")
    for key in ("sim_band", "sim_ai_course", "sim_cyber_course", "sim_hours"):
        if key in st.session_state:
            _remember(key)
    mode = st.session_state["sim_hours_mode"]
    if mode == "unit":
        _set_assumption("hours_per_course", "unit")
    elif mode == "number":
        current = current_config().scenario.hours_per_course
        fallback = DEFAULT_HOURS if current == "unit" else float(current)
        _set_assumption("hours_per_course", float(st.session_state.get("sim_hours") or fallback))
    else:
        courses = current_model().data.courses
        band = st.session_state[WIDGETS].get("sim_band") or _default_band(available_bands(courses))
        ai = st.session_state.get("sim_ai_course")
        cyber = st.session_state.get("sim_cyber_course")
        try:
            bundle = course_bundle(
                courses,
                band,
                None if ai in (None, MEAN) else ai,
                None if cyber in (None, MEAN) else cyber,
            )
        except ScoringInputError:
            # The band changed and the chosen courses are not in it: fall back to its means.
            st.session_state[WIDGETS].update({"sim_ai_course": MEAN, "sim_cyber_course": MEAN})
            bundle = course_bundle(courses, band)
        _set_assumption("hours_per_course", round(bundle.hours_per_course, 4))


def _on_inactive() -> None:
    _remember("sim_inactive_mode")
    if st.session_state["sim_inactive_mode"] == "proportional":
        _set_assumption("from_inactive", "proportional")
    else:
        _set_assumption("from_inactive", float(st.session_state.get("sim_inactive", 100)) / 100)


def _on_reset_assumptions() -> None:
    st.session_state[ASSUMPTIONS] = None
    for key in ("sim_hours_mode", "sim_band", "sim_ai_course", "sim_cyber_course"):
        st.session_state[WIDGETS].pop(key, None)


def _on_goal_run() -> None:
    st.session_state[WIDGETS]["goal_requested"] = True


def _on_load_plan() -> None:
    stored = st.session_state.get(GOAL) or {}
    result: GoalResult | None = stored.get("result")
    if result is None or not result.reachable:
        return
    _set_levers(
        [
            {"target": str(row.id), "kind": LeverKind.ADD.value, "value": int(row.extra_completers)}
            for row in result.plan.itertuples()
        ],
        "plan",
    )


# --- sections ----------------------------------------------------------------------------


def _presets(model: Model) -> None:
    """The ready-made scenario buttons. They sit outside the simulation fragment: a click
    replaces every lever and assumption, so the whole page reruns anyway, and a lever change
    does not have to redraw them."""
    st.markdown(f"**{t('simulator.presets_heading')}**")
    row = st.container(horizontal=True)
    for preset_id in PRESET_IDS:
        row.button(
            t(f"simulator.preset.{preset_id}"),
            key=f"sim_preset_{preset_id}",
            help=t(f"simulator.preset.{preset_id}_help"),
            on_click=_on_preset,
            args=(preset_id, model.departments),
        )
    row.button(t("simulator.clear"), key="sim_clear", on_click=_on_clear, type="tertiary")


def _preset_loaded() -> None:
    loaded = st.session_state[WIDGETS].get("preset")
    if loaded and st.session_state[LEVERS]:
        st.caption(t(f"simulator.preset.{loaded}_loaded"))


def _target_names(model: Model, headroom: pd.DataFrame) -> dict[str, str]:
    """Shown name of every lever target: departments as they are, MDO ids as their MDO name."""
    names = {name: name for name in headroom["department"]}
    frame = model.departments
    mdo_names = dict(zip(frame["id"], frame["mdo"], strict=True))
    for lever in st.session_state[LEVERS]:
        target = lever["target"]
        if target not in names:
            names[target] = t("simulator.mdo_target", mdo=mdo_names.get(target, target))
    return names


def _unit_figures(model: Model, target: str) -> tuple[float, float]:
    """Onboarded users and users with a completion of a department or an MDO id."""
    return model.data.departments.unit_counts.get(target, (0.0, 0.0))


def _lever_rows(model: Model, names: dict[str, str], result: SimulationResult | None) -> None:
    outcomes = {o.lever.target: o for o in result.additions.outcomes} if result else {}
    levers = st.session_state[LEVERS]
    box = st.container(height=460) if len(levers) > 4 else st.container()
    for lever in levers:
        target, kind = lever["target"], lever["kind"]
        onboarded, completers = _unit_figures(model, target)
        headroom = onboarded - completers
        share_now = 100 * completers / onboarded if onboarded else 0.0
        st.session_state[f"sim_kind::{target}"] = kind
        with box:
            card = st.container(border=True)
            card.markdown(f"**{md_escape(names.get(target, target))}**")
            card.caption(
                t(
                    "simulator.unit_caption",
                    onboarded=fmt_num(onboarded),
                    share=fmt_pct(share_now / 100),
                    headroom=fmt_num(headroom),
                )
            )
            if presenter_on():
                # Editing controls are not drawn for a projector: the setting is stated instead
                # (hidden inputs would leave an empty band, and the audience would not see it).
                card.markdown(_lever_setting(kind, float(lever["value"])))
            else:
                _lever_inputs(card, target, kind, lever["value"], share_now, headroom)
            outcome = outcomes.get(target)
            if outcome is None:
                continue
            if outcome.capped:
                card.warning(
                    t(
                        "simulator.capped",
                        applied=fmt_num(outcome.applied),
                        requested=fmt_num(outcome.requested),
                        headroom=fmt_num(headroom),
                    ),
                    icon="⚠️",
                )
            elif kind == LeverKind.REACH.value and outcome.applied == 0:
                card.info(t("simulator.already_there", share=fmt_pct(share_now / 100)), icon="ℹ️")
            else:
                card.caption(t("simulator.applied", applied=fmt_num(outcome.applied)))


def _lever_setting(kind: str, value: float) -> str:
    """A lever's setting as text, for presenter mode."""
    shown = fmt_num(value) if kind == LeverKind.ADD.value else fmt_pct(value / 100)
    return t(f"simulator.lever_setting.{kind}", value=shown)


def _lever_inputs(
    card: Any, target: str, kind: str, value: float, share_now: float, headroom: float
) -> None:
    """The kind of a lever and its value, side by side in its card."""
    kind_col, value_col = card.columns(2, vertical_alignment="bottom")
    kind_col.selectbox(
        t("simulator.lever_kind"),
        [LeverKind.ADD.value, LeverKind.REACH.value],
        format_func=lambda k: t(f"simulator.kind.{k}"),
        key=f"sim_kind::{target}",
        on_change=_on_kind,
        args=(target, share_now, headroom),
    )
    value_key = f"sim_{kind}::{target}"
    if kind == LeverKind.ADD.value:
        st.session_state[value_key] = int(min(max(value, 0), MAX_LEVER_VALUE))
        value_col.number_input(
            t("simulator.add_value"),
            min_value=0,
            max_value=MAX_LEVER_VALUE,
            step=1000,
            key=value_key,
            on_change=_on_value,
            args=(target, kind),
        )
    else:
        st.session_state[value_key] = float(min(max(value, 0.0), 100.0))
        value_col.number_input(
            t("simulator.reach_value"),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            format="%.1f",
            key=value_key,
            on_change=_on_value,
            args=(target, kind),
        )


def _levers(model: Model, result: SimulationResult | None) -> None:
    headroom = model.data.departments.headroom
    names = _target_names(model, headroom)
    options = list(names)
    st.session_state["sim_targets"] = [lv["target"] for lv in st.session_state[LEVERS]]
    st.multiselect(
        t("simulator.targets"),
        options,
        format_func=lambda target: names.get(target, target),
        key="sim_targets",
        on_change=_on_targets,
        args=(dict(zip(headroom["department"], headroom["headroom"], strict=True)),),
        placeholder=t("simulator.targets_placeholder"),
        help=t("simulator.targets_help"),
    )
    if not st.session_state[LEVERS]:
        st.info(t("simulator.no_levers"))
        return
    _lever_rows(model, names, result)


def _assumptions_summary(model: Model) -> None:
    scenario = model.config.scenario
    hours_text = (
        t("simulator.hours_unit_short")
        if scenario.hours_per_course == "unit"
        else fmt_num(float(scenario.hours_per_course), 2)
    )
    inactive_text = (
        t("simulator.inactive_proportional_short")
        if scenario.from_inactive == "proportional"
        else fmt_pct(float(scenario.from_inactive), 0)
    )
    st.caption(
        t(
            "simulator.assumptions_summary",
            courses=fmt_num(scenario.courses_per_completer, 1),
            hours=hours_text,
            inactive=inactive_text,
            enrolments=fmt_num(scenario.enrolments_per_course, 2),
            ceiling=fmt_pct(scenario.activation_ceiling, 0),
        )
    )


def _assumptions(model: Model) -> None:
    scenario = model.config.scenario
    _assumptions_summary(model)
    # The editors are drawn only when asked for: hidden inside a closed expander they were still
    # redrawn by the browser on every lever change.
    if not st.toggle(t("simulator.assumptions_edit"), key="sim_edit_assumptions"):
        return
    with st.container(border=True):
        st.session_state["sim_courses"] = float(scenario.courses_per_completer)
        st.number_input(
            t("simulator.courses"),
            min_value=0.5,
            max_value=50.0,
            step=0.5,
            key="sim_courses",
            on_change=_on_number_assumption,
            args=("sim_courses", "courses_per_completer"),
            help=t("simulator.courses_help"),
        )
        _hours(model)
        _restore(
            "sim_inactive_mode",
            "proportional" if scenario.from_inactive == "proportional" else "number",
        )
        st.radio(
            t("simulator.inactive"),
            ["proportional", "number"],
            format_func=lambda m: t(f"simulator.inactive_mode.{m}"),
            key="sim_inactive_mode",
            on_change=_on_inactive,
            horizontal=True,
            help=t("simulator.inactive_help"),
        )
        if st.session_state["sim_inactive_mode"] == "number":
            share = scenario.from_inactive
            st.session_state["sim_inactive"] = (
                100.0 if share == "proportional" else round(float(share) * 100, 1)
            )
            st.number_input(
                t("simulator.inactive_share"),
                min_value=0.0,
                max_value=100.0,
                step=5.0,
                key="sim_inactive",
                on_change=_on_inactive,
            )
        st.session_state["sim_enrolments"] = float(scenario.enrolments_per_course)
        st.number_input(
            t("simulator.enrolments"),
            min_value=1.0,
            max_value=20.0,
            step=0.1,
            key="sim_enrolments",
            on_change=_on_number_assumption,
            args=("sim_enrolments", "enrolments_per_course"),
            help=t("simulator.enrolments_help"),
        )
        st.session_state["sim_ceiling"] = round(float(scenario.activation_ceiling) * 100, 1)
        st.number_input(
            t("simulator.ceiling"),
            min_value=1.0,
            max_value=100.0,
            step=5.0,
            key="sim_ceiling",
            on_change=_on_number_assumption,
            args=("sim_ceiling", "activation_ceiling", 100.0),
            help=t("simulator.ceiling_help"),
        )
        st.button(
            t("simulator.reset_assumptions"),
            key="sim_assumptions_reset",
            on_click=_on_reset_assumptions,
        )


def _hours(model: Model) -> None:
    scenario = model.config.scenario
    courses = model.data.courses
    bands = available_bands(courses)
    _restore("sim_hours_mode", "unit" if scenario.hours_per_course == "unit" else "number")
    st.radio(
        t("simulator.hours"),
        ["band", "number", "unit"],
        format_func=lambda m: t(f"simulator.hours_mode.{m}"),
        key="sim_hours_mode",
        on_change=_on_hours,
        horizontal=True,
        help=t("simulator.hours_help"),
    )
    mode = st.session_state["sim_hours_mode"]
    if mode == "band" and bands:
        _restore("sim_band", _default_band(bands))
        if st.session_state["sim_band"] not in bands:
            st.session_state["sim_band"] = bands[0]
        st.selectbox(t("simulator.band"), bands, key="sim_band", on_change=_on_hours)
        band = st.session_state["sim_band"]
        columns = st.columns(2)
        for col, topic, key in (
            (columns[0], "AI", "sim_ai_course"),
            (columns[1], "Cybersecurity", "sim_cyber_course"),
        ):
            rows = band_courses(courses, band, topic)
            minutes = dict(zip(rows["course"], rows["minutes"], strict=True))
            options = [MEAN, *minutes]
            _restore(key, MEAN)
            if st.session_state[key] not in options:
                st.session_state[key] = MEAN
            col.selectbox(
                t(f"simulator.course.{topic}"),
                options,
                format_func=lambda c, m=minutes: (
                    t("simulator.course_mean")
                    if c == MEAN
                    else t("simulator.course_option", course=c, minutes=fmt_num(m[c]))
                ),
                key=key,
                on_change=_on_hours,
            )
        if scenario.hours_per_course != "unit":
            st.caption(
                t("simulator.bundle_hours", hours=fmt_num(float(scenario.hours_per_course), 2))
            )
    elif mode == "number":
        hours = scenario.hours_per_course
        st.session_state["sim_hours"] = DEFAULT_HOURS if hours == "unit" else float(hours)
        st.number_input(
            t("simulator.hours_number"),
            min_value=0.05,
            max_value=100.0,
            step=0.1,
            format="%.2f",
            key="sim_hours",
            on_change=_on_hours,
        )
    else:
        st.caption(t("simulator.hours_unit_help"))


def _headline(model: Model, result: SimulationResult) -> None:
    """Score, rank and extra completers: the first thing on the page and the first thing sent
    (the fewer elements ahead of them, the sooner the browser shows them)."""
    st.subheader(t("simulator.results_heading"))
    count = len(result.category_table)
    # Presenter mode draws 1.5x larger type: the score label needs the room.
    widths = [1.4, 0.75, 1.45] if presenter_on() else [1.15, 0.85, 1.4]
    score_col, rank_col, extra_col = st.columns(widths)
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
        t("simulator.rank_value", rank=result.rank, count=count),
        delta=(
            t(
                "simulator.place" if abs(places) == 1 else "simulator.places",
                places=fmt_delta(places, 0),
            )
            if places
            else None
        ),
        help=t("simulator.rank_help", rank=result.baseline_rank, category=result.category),
    )
    days = max((model.config.deadline - model.data.as_of).days, 1)
    extra_col.metric(
        t("simulator.extra"),
        fmt_num(result.extra_completers),
        help=t("simulator.extra_help"),
    )
    if result.extra_completers:
        extra_col.caption(
            t(
                "simulator.per_day",
                per_day=fmt_num(math.ceil(result.extra_completers / days)),
                until=local_date(model.config.deadline),
            )
        )
    if result.score >= 100:
        st.caption(t("simulator.over_100"))


def _ranking(model: Model, result: SimulationResult) -> None:
    chart = ranking_chart(
        result.category_table,
        model.focus_state,
        title=t("simulator.ranking_title", category=result.category),
        score_title=t("common.score"),
        focus_label=t("common.focus_state", state=model.focus_state),
        other_label=t("common.other_states"),
        published_label=t("common.published_score"),
        simulated_label=t("common.simulated_score"),
    )
    show_chart(chart, width="stretch", key="sim_ranking_chart")


def _contributions(result: SimulationResult) -> None:
    # Largest first; the sort is stable, so equal contributions keep the config's order.
    kpis = sorted(result.kpis, key=lambda k: -k.contribution)
    frame = pd.DataFrame(
        {
            "kpi": [_label(k.label_en, k.label_hi) for k in kpis],
            "pillar": [t(f"common.pillar.{k.pillar}") for k in kpis],
            "contribution": [k.contribution for k in kpis],
        }
    )
    total = float(sum(k.contribution for k in kpis))
    st.subheader(t("simulator.contrib_heading"))
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
        key="sim_contrib_chart",
    )
    if result.extra_completers == 0 or abs(total) < 1e-9:
        text_col.caption(t("simulator.contrib_none"))
        return
    top = frame.iloc[0]
    text_col.markdown(
        t(
            "simulator.contrib_explain",
            total=fmt_delta(total),
            kpi=top["kpi"],
            points=fmt_delta(float(top["contribution"])),
        )
    )


def _goal_target(model: Model) -> tuple[GoalTarget, dict[str, Any]]:
    mode = st.session_state["sim_goal_mode"]
    if mode == "rank":
        rank = int(st.session_state["sim_goal_rank"])
        return GoalTarget(rank=rank), {"rank": rank}
    beat = str(st.session_state["sim_goal_state"])
    return GoalTarget(beat=beat), {"beat": beat}


def _goal(model: Model) -> None:
    st.subheader(t("simulator.goal_title"))
    st.caption(
        t("simulator.goal_intro", ceiling=fmt_pct(model.config.scenario.activation_ceiling, 0))
    )
    above = model.others[model.others["score"] > model.published_score].sort_values(
        "score", ascending=True
    )
    states = above["state"].tolist()
    ranks = list(range(1, len(model.others) + 1))
    mode_col, target_col, run_col = st.columns([3, 3, 2], vertical_alignment="bottom")
    _restore("sim_goal_mode", "rank")
    if not states and st.session_state["sim_goal_mode"] == "beat":
        st.session_state["sim_goal_mode"] = "rank"
    mode_col.radio(
        t("simulator.goal_mode"),
        ["rank", "beat"] if states else ["rank"],
        format_func=lambda m: t(f"simulator.goal_mode_{m}"),
        key="sim_goal_mode",
        on_change=_remember,
        args=("sim_goal_mode",),
        horizontal=True,
    )
    if st.session_state["sim_goal_mode"] == "rank":
        _restore("sim_goal_rank", max(1, model.published_rank - 1))
        if st.session_state["sim_goal_rank"] not in ranks:
            st.session_state["sim_goal_rank"] = ranks[0]
        target_col.selectbox(
            t("simulator.goal_rank"),
            ranks,
            key="sim_goal_rank",
            on_change=_remember,
            args=("sim_goal_rank",),
        )
    else:
        _restore("sim_goal_state", states[0])
        if st.session_state["sim_goal_state"] not in states:
            st.session_state["sim_goal_state"] = states[0]
        target_col.selectbox(
            t("simulator.goal_state"),
            states,
            key="sim_goal_state",
            on_change=_remember,
            args=("sim_goal_state",),
        )
    run_col.button(
        t("simulator.goal_run"),
        key="sim_goal_run",
        type="primary",
        on_click=_on_goal_run,
        width="stretch",
    )
    model_key = f"{id(model.data)}:{model.config.model_dump_json()}"
    stored = st.session_state.get(GOAL)
    if st.session_state[WIDGETS].pop("goal_requested", False):
        target, spec = _goal_target(model)
        with st.spinner(t("simulator.goal_running")):
            try:
                stored = {**spec, "model": model_key, "result": goal_seek(model, target)}
            except ScoringInputError as exc:
                _problems(exc.problems)
                return
        st.session_state[GOAL] = stored
    elif isinstance(stored, dict) and stored.get("model") != model_key:
        # Weights or assumptions changed since: the same goal under the current model.
        target = GoalTarget(rank=stored.get("rank"), beat=stored.get("beat"))
        try:
            stored = {**stored, "model": model_key, "result": goal_seek(model, target)}
        except ScoringInputError:
            stored = None
        st.session_state[GOAL] = stored
    if not isinstance(stored, dict) or stored.get("result") is None:
        return
    _goal_result(model, stored["result"])


def _goal_result(model: Model, result: GoalResult) -> None:
    goal = (
        t("simulator.goal_rank_label", rank=result.target.rank)
        if result.target.rank is not None
        else t("simulator.goal_beat_label", state=(result.target.beat or "").upper())
    )
    if result.already_met:
        st.info(t("simulator.goal_met", goal=goal, state=model.focus_state))
        return
    if not result.reachable:
        st.warning(t("simulator.goal_unreachable", goal=goal, reason=goal_reason(result)))
        return
    st.success(
        t(
            "simulator.goal_reachable",
            goal=goal,
            state=model.focus_state,
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
    shown = pd.DataFrame(
        {
            mdo: plan["mdo"],
            extra: [fmt_num(v) for v in plan["extra_completers"]],
            department: plan["department"],
        }
    )
    table_col.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(420, 36 * (len(shown) + 1) + 4),
        key="sim_plan_table",
        column_config={
            mdo: st.column_config.TextColumn(width="medium"),
            extra: st.column_config.TextColumn(width="small"),
            department: st.column_config.TextColumn(width="medium"),
        },
    )
    show_chart(
        plan_chart(
            plan,
            title=t("simulator.plan_chart_title"),
            value_title=t("simulator.plan_extra"),
            unit_title=t("simulator.plan_mdo"),
            others_label=t("simulator.plan_others"),
        ),
        container=chart_col,
        width="stretch",
        key="sim_plan_chart",
    )
    st.button(
        t("simulator.goal_load"),
        key="sim_goal_load",
        on_click=_on_load_plan,
        help=t("simulator.goal_load_help"),
    )


def _problems(problems: list[str]) -> None:
    report_problems(problems, t("common.input_error"))


# --- page --------------------------------------------------------------------------------

st.session_state.setdefault(WIDGETS, {})
st.session_state.setdefault(LEVERS, [])
st.title(t("simulator.title"))
st.caption(t("simulator.intro"))

errors = st.session_state.pop(ERRORS, None)
if errors:
    _problems(errors)


@st.fragment
def _simulation() -> None:
    """Levers, assumptions and results: a lever change reruns only this part of the page."""
    try:
        model = current_model()
    except ScoringInputError as exc:
        _problems(exc.problems)
        st.button(
            t("simulator.reset_assumptions"),
            key="sim_assumptions_reset",
            on_click=_on_reset_assumptions,
        )
        return
    result: SimulationResult | None = None
    try:
        scenario = Scenario(
            tuple(
                Lever(lv["target"], LeverKind(lv["kind"]), float(lv["value"]))
                for lv in st.session_state[LEVERS]
            )
        )
        result = simulate(model, scenario)
    except ScoringInputError as exc:
        _problems(exc.problems)
    _preset_loaded()
    if result is not None:
        _headline(model, result)
    left, right = st.columns([5, 6], gap="large")
    # The chart is written before the levers so that it reaches the browser first.
    with right:
        if result is not None:
            _ranking(model, result)
    with left:
        st.subheader(t("simulator.levers_heading"))
        _levers(model, result)
        if not presenter_on():  # assumptions are editing controls; their summary stays
            _assumptions(model)
        else:
            _assumptions_summary(model)
    if result is not None:
        _contributions(result)


if not presenter_on():  # presets are editing controls
    with contextlib.suppress(ScoringInputError):  # the fragment below reports the problem
        _presets(current_model())
_simulation()
st.divider()
try:
    _goal(current_model())
except ScoringInputError as exc:
    _problems(exc.problems)
