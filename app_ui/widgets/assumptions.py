"""The scenario's assumptions (what one new completer adds): a one-line summary and the editors."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from app_ui import services, session
from app_ui.l10n import fmt_num, fmt_pct, t
from scoring.config import Assumptions
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.presets import (
    available_bands,
    band_courses,
    bundle_or_means,
    default_band,
    hours_as_number,
)

PAGE = "simulator"
MEAN = "__mean__"  # the "average of the band's courses" choice
# Choices with no home in the scenario (which course bundle, which mode) are kept by Streamlit
# across page switches; the reset button forgets them.
REMEMBERED = (
    "sim_hours_mode",
    "sim_band",
    "sim_ai_course",
    "sim_cyber_course",
    "sim_inactive_mode",
)


def _set(name: str, value: Any) -> None:
    """Store one assumption if the engine accepts it; otherwise keep the old one and say why."""
    changes = dict(session.scenario().assumptions or {})
    changes[name] = value
    try:
        services.file_config().with_assumptions(**changes)
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("common.input_error"), exc.problems)
        return
    session.set_assumptions(changes)


def _on_number(key: str, name: str, scale: float = 1.0) -> None:
    _set(name, float(st.session_state[key]) / scale)


def _on_hours(courses: Any) -> None:
    mode = st.session_state["sim_hours_mode"]
    if mode == "unit":
        _set("hours_per_course", "unit")
    elif mode == "number":
        current = services.current_config().scenario.hours_per_course
        fallback = hours_as_number(current, services.file_config().scenario.hours_per_course)
        _set("hours_per_course", float(st.session_state.get("sim_hours") or fallback))
    else:
        band = st.session_state.get("sim_band") or default_band(available_bands(courses))
        ai = st.session_state.get("sim_ai_course")
        cyber = st.session_state.get("sim_cyber_course")
        bundle, dropped = bundle_or_means(
            courses,
            band,
            None if ai in (None, MEAN) else ai,
            None if cyber in (None, MEAN) else cyber,
        )
        if dropped:
            st.session_state["sim_ai_course"] = MEAN
            st.session_state["sim_cyber_course"] = MEAN
        _set("hours_per_course", round(bundle.hours_per_course, 4))


def _on_inactive() -> None:
    if st.session_state["sim_inactive_mode"] == "proportional":
        _set("from_inactive", "proportional")
    else:
        _set("from_inactive", float(st.session_state.get("sim_inactive", 100)) / 100)


def on_reset() -> None:
    session.set_assumptions(None)
    for key in REMEMBERED:
        st.session_state.pop(key, None)


def summary(scenario: Assumptions) -> None:
    hours = scenario.hours_per_course
    inactive = scenario.from_inactive
    st.caption(
        t(
            "simulator.assumptions_summary",
            courses=fmt_num(scenario.courses_per_completer, 1),
            hours=t("simulator.hours_unit_short") if hours == "unit" else fmt_num(float(hours), 2),
            inactive=(
                t("simulator.inactive_proportional_short")
                if inactive == "proportional"
                else fmt_pct(float(inactive), 0)
            ),
            enrolments=fmt_num(scenario.enrolments_per_course, 2),
            ceiling=fmt_pct(scenario.activation_ceiling, 0),
        )
    )


def _number(key: str, label: str, value: float, name: str, scale: float = 1.0, **kw: Any) -> None:
    st.session_state[key] = value
    st.number_input(
        t(f"simulator.{label}"),
        key=key,
        on_change=_on_number,
        args=(key, name, scale),
        **kw,
    )


def editors(model: Model) -> None:
    """The summary, and the editors when asked for: hidden inside a closed expander they were
    still redrawn by the browser on every lever change."""
    scenario = model.config.scenario
    summary(scenario)
    if session.presenter() or not st.toggle(
        t("simulator.assumptions_edit"), key="sim_edit_assumptions"
    ):
        return
    with st.container(border=True):
        _number(
            "sim_courses",
            "courses",
            float(scenario.courses_per_completer),
            "courses_per_completer",
            min_value=0.5,
            max_value=50.0,
            step=0.5,
            help=t("simulator.courses_help"),
        )
        _hours(model)
        _inactive(scenario)
        _number(
            "sim_enrolments",
            "enrolments",
            float(scenario.enrolments_per_course),
            "enrolments_per_course",
            min_value=1.0,
            max_value=20.0,
            step=0.1,
            help=t("simulator.enrolments_help"),
        )
        _number(
            "sim_ceiling",
            "ceiling",
            round(float(scenario.activation_ceiling) * 100, 1),
            "activation_ceiling",
            100.0,
            min_value=1.0,
            max_value=100.0,
            step=5.0,
            help=t("simulator.ceiling_help"),
        )
        st.button(t("simulator.reset_assumptions"), key="sim_assumptions_reset", on_click=on_reset)


def _hours(model: Model) -> None:
    scenario = model.config.scenario
    courses = model.data.courses
    bands = available_bands(courses)
    # The mode follows the scenario when Undo, Back or a link changed the hours behind it.
    mode = st.session_state.get("sim_hours_mode")
    if (scenario.hours_per_course == "unit") != (mode == "unit") and mode is not None:
        st.session_state["sim_hours_mode"] = (
            "unit" if scenario.hours_per_course == "unit" else "number"
        )
    st.radio(
        t("simulator.hours"),
        ["band", "number", "unit"],
        index=2 if scenario.hours_per_course == "unit" else 1,
        format_func=lambda m: t(f"simulator.hours_mode.{m}"),
        key="sim_hours_mode",
        on_change=_on_hours,
        args=(courses,),
        horizontal=True,
        help=t("simulator.hours_help"),
        persist_state="session",
    )
    mode = st.session_state["sim_hours_mode"]
    if mode == "band" and bands:
        if st.session_state.get("sim_band") not in bands:
            st.session_state["sim_band"] = default_band(bands)
        st.selectbox(
            t("simulator.band"),
            bands,
            key="sim_band",
            on_change=_on_hours,
            args=(courses,),
            persist_state="session",
        )
        columns = st.columns(2)
        for col, topic, key in (
            (columns[0], "AI", "sim_ai_course"),
            (columns[1], "Cybersecurity", "sim_cyber_course"),
        ):
            rows = band_courses(courses, st.session_state["sim_band"], topic)
            minutes = dict(zip(rows["course"], rows["minutes"], strict=True))
            options = [MEAN, *minutes]
            if st.session_state.get(key) not in options:
                st.session_state[key] = MEAN
            col.selectbox(
                t(f"simulator.course.{topic}"),
                options,
                format_func=partial(_course_text, minutes),
                key=key,
                on_change=_on_hours,
                args=(courses,),
                persist_state="session",
            )
        if scenario.hours_per_course != "unit":
            st.caption(
                t("simulator.bundle_hours", hours=fmt_num(float(scenario.hours_per_course), 2))
            )
    elif mode == "number":
        hours = scenario.hours_per_course
        st.session_state["sim_hours"] = hours_as_number(
            hours, services.file_config().scenario.hours_per_course
        )
        st.number_input(
            t("simulator.hours_number"),
            min_value=0.05,
            max_value=100.0,
            step=0.1,
            format="%.2f",
            key="sim_hours",
            on_change=_on_hours,
            args=(courses,),
        )
    else:
        st.caption(t("simulator.hours_unit_help"))


def _course_text(minutes: dict[str, float], course: str) -> str:
    if course == MEAN:
        return t("simulator.course_mean")
    return t("simulator.course_option", course=course, minutes=fmt_num(minutes[course]))


def _inactive(scenario: Assumptions) -> None:
    share = scenario.from_inactive
    mode = st.session_state.get("sim_inactive_mode")
    if mode is not None and (share == "proportional") != (mode == "proportional"):
        st.session_state["sim_inactive_mode"] = (
            "proportional" if share == "proportional" else "number"
        )
    st.radio(
        t("simulator.inactive"),
        ["proportional", "number"],
        index=0 if share == "proportional" else 1,
        format_func=lambda m: t(f"simulator.inactive_mode.{m}"),
        key="sim_inactive_mode",
        on_change=_on_inactive,
        horizontal=True,
        help=t("simulator.inactive_help"),
        persist_state="session",
    )
    if st.session_state["sim_inactive_mode"] == "number":
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
