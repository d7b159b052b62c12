"""The dates a page is showing, stated once per page: the ranking's and the department table's
dates, the edition chosen, a previewed upload, a warning when the anchor uses another date's
table, and the nowcast (an estimate, with both dates) beside the published position."""

from __future__ import annotations

import streamlit as st

from app_ui import services
from app_ui.l10n import fmt_delta, fmt_num, local_date, t
from app_ui.services import editions
from scoring.errors import ScoringInputError
from scoring.nowcast import AnchoredModel, Nowcast


def show(page: str) -> AnchoredModel | None:
    """State the dates of the session's data on `page`; on the Overview the nowcast stands as
    two metrics beside the published ones, on the Simulator as its starting point. Returns the
    anchored model (None when the data cannot be loaded: the page reports that itself)."""
    missing = editions.missing_choice()
    dates = editions.published_dates()
    if missing is not None and dates:
        st.warning(
            t("editions.missing_choice", date=local_date(missing), latest=local_date(dates[0]))
        )
    try:
        anchored = services.anchored()
    except ScoringInputError:
        return None  # the page shows the problem with its own message
    data = anchored.data
    if data.ranking_as_of == data.departments_as_of:
        line = t("editions.dates_same", date=local_date(data.ranking_as_of))
    else:
        line = t(
            "editions.dates_both",
            newest=local_date(max(data.ranking_as_of, data.departments_as_of)),
            ranking=local_date(data.ranking_as_of),
            departments=local_date(data.departments_as_of),
        )
    notes = [line]
    shown = editions.shown()
    chosen = editions.chosen()
    if chosen is not None and not shown.preview and dates and chosen != dates[0]:
        notes.append(
            t("editions.dates_edition", date=local_date(chosen), latest=local_date(dates[0]))
        )
    if shown.preview:
        notes.append(t("editions.dates_preview"))
    st.markdown(" ".join(notes))
    if not data.exact_anchor:
        st.warning(
            t(
                "editions.anchor_warning",
                ranking=local_date(data.ranking_as_of),
                anchor=local_date(data.anchor_departments_as_of),
            )
        )
    if anchored.nowcast is not None:
        if page == "overview":
            _nowcast_metrics(anchored.nowcast, len(anchored.model.others) + 1)
        elif page in ("simulator", "sensitivity"):
            st.info(t("editions.start_note", **_figures(anchored.nowcast)))
    return anchored


def _figures(now: Nowcast) -> dict[str, str]:
    return {
        "ranking": local_date(now.ranking_as_of),
        "departments": local_date(now.departments_as_of),
        "anchor": local_date(now.anchor_departments_as_of),
        "score": fmt_num(now.published_score, 2),
        "rank": str(now.published_rank),
        "now_score": fmt_num(now.score, 2),
        "now_rank": str(now.rank),
    }


def _nowcast_metrics(now: Nowcast, count: int) -> None:
    """The estimate beside the published score and rank, labelled with its date and explained."""
    figures = _figures(now)
    date = figures["departments"]
    score_col, rank_col, note_col = st.columns([1, 1, 2])
    score_col.metric(
        t("editions.nowcast_score", date=date),
        figures["now_score"],
        delta=fmt_delta(now.change),
        help=t("editions.nowcast_help", **figures),
    )
    places = now.published_rank - now.rank
    rank_col.metric(
        t("editions.nowcast_rank", date=date),
        t("overview.rank_value", rank=now.rank, count=count),
        delta=f"{places:+d}" if places else None,
        help=t("editions.nowcast_help", **figures),
    )
    note_col.info(t("editions.nowcast_note", **figures))
