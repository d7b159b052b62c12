"""Sensitivity's history view: the published editions month by month, earlier months' rankings
(rank over time) and Bihar's completion pace so far against the pace a goal needs."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_ui import services, session
from app_ui.charts.cache import cached_chart
from app_ui.charts.uncertainty import pace_chart, rank_history_chart
from app_ui.l10n import fmt_num, local_date, t
from app_ui.presenter import show_chart
from app_ui.services import ModelRef, editions, uncertainty
from app_ui.text import plain
from app_ui.views import edition_history
from app_ui.widgets.problems import show_problems
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.goal import GoalTarget
from scoring.limits import MAX_HISTORY_FILE_BYTES, check_history_uploads
from scoring.robustness import default_goal_rank, goal_ranks
from scoring.trends import (
    PaceStatus,
    months_in,
    pace_goal,
    pace_series,
    read_ranking_month,
    with_month,
)
from scoring.upload_size import browser_limit_mb

FILES_SEEN = "sens_history_seen"  # uploads already added, so that "remove" is not undone


def _add_uploads(model: Model) -> None:
    uploads = st.file_uploader(
        t("sensitivity.upload_history"),
        type=["csv"],
        accept_multiple_files=True,
        key="sens_history_upload",
        max_upload_size=browser_limit_mb(MAX_HISTORY_FILE_BYTES),
    )
    months = session.history_months()
    seen = set(st.session_state.get(FILES_SEEN, ()))
    categories = [c.id for c in model.config.categories]
    try:  # count, each size and the total, before any file is read
        check_history_uploads([(u.name, u.size) for u in uploads or []])
    except ScoringInputError as exc:
        show_problems(exc.problems, t("sensitivity.upload_error"))
        return
    for upload in uploads or []:
        if upload.file_id in seen:
            continue
        try:
            month = read_ranking_month(upload.getvalue(), upload.name, categories)
        except ScoringInputError as exc:
            show_problems(exc.problems, t("sensitivity.upload_error"))
            continue
        if month.as_of is None:
            st.error(t("sensitivity.no_date", name=plain(upload.name)))
            continue
        months = with_month(months, month, model.ranking_as_of)
        seen.add(upload.file_id)
    session.set_history_months(months)
    st.session_state[FILES_SEEN] = seen


def _clear() -> None:
    session.set_history_months({})


def history_view(base: ModelRef) -> None:
    """`base` is the session's model without drift (history is about published rankings)."""
    model = base.model
    edition_history.months(model)
    st.caption(t("sensitivity.history_explain"))
    _add_uploads(model)
    # The published editions' rankings, with the uploaded months where no edition has that date.
    months = {**session.history_months(), **editions.rankings()}
    long = uncertainty.rank_history(months)
    dates = months_in(long)
    shown = [local_date(dt.date.fromisoformat(d)) for d in dates]  # "31 Dec 2025", not ISO
    st.caption(t("sensitivity.months_loaded", months=", ".join(shown)))
    if session.history_months():
        st.button(t("sensitivity.clear_history"), key="sens_history_clear", on_click=_clear)
    if len(dates) < 2:
        st.info(t("sensitivity.one_month"))
    else:
        categories = sorted(long["category"].unique())
        category = st.selectbox(
            t("sensitivity.history_category"),
            categories,
            index=categories.index(model.focus_category),
            key="sens_history_category",
            persist_state="session",
        )
        show_chart(
            cached_chart(
                rank_history_chart,
                long[long["category"] == category],
                model.focus_state,
                title=t("sensitivity.history_title", category=category),
                date_title=t("sensitivity.date_axis"),
                rank_title=t("sensitivity.rank_axis"),
            ),
            width="stretch",
            export="sens_history_chart",
        )
    _pace(base)


def _pace(base: ModelRef) -> None:
    model = base.model
    st.subheader(t("sensitivity.pace_title"))
    snapshots, so_far = uncertainty.bihar_pace()
    courses = model.config.scenario.courses_per_completer
    st.caption(
        t(
            "sensitivity.pace_explain",
            start=fmt_num(so_far.start_values["completions"]),
            onboarded=fmt_num(so_far.start_values["onboarded"]),
            end=fmt_num(so_far.end_values["completions"]),
            pace=fmt_num(so_far.per_month["completions"]),
            courses=fmt_num(courses, 1),
        )
    )
    ranks = goal_ranks(model)
    rank = int(
        st.selectbox(
            t("sensitivity.pace_rank"),
            ranks,
            index=ranks.index(default_goal_rank(model)),
            key="sens_pace_rank",
            persist_state="session",
        )
    )
    deadline = model.config.deadline
    goal = services.goal(GoalTarget(rank=rank), base)
    edition_history.pace(model, rank, goal)
    need = pace_goal(goal, courses, so_far)
    if need.status is PaceStatus.UNREACHABLE:
        st.warning(t("sensitivity.pace_unreachable", rank=rank))
    elif need.status is PaceStatus.ALREADY_MET:
        st.info(t("sensitivity.pace_already", rank=rank))
    else:
        st.info(
            t(
                "sensitivity.pace_needed",
                rank=rank,
                needed=fmt_num(need.needed_per_month),
                deadline=local_date(deadline),
                ratio=fmt_num(need.ratio, 1),
            )
        )
    show_chart(
        cached_chart(
            pace_chart,
            pace_series(snapshots, so_far, deadline, need),
            series_labels={
                series: t(f"sensitivity.pace_series_{series}")
                for series in ("actual", "trend", "needed")
            },
            date_title=t("sensitivity.date_axis"),
            value_title=t("sensitivity.completions_axis"),
        ),
        width="stretch",
        export="sens_pace_chart",
        export_title=t("sensitivity.pace_title"),
    )
