"""History from the published editions on the Sensitivity page: the focus state's score and rank
month by month, its KPIs month by month, and its pace against the run-rate a goal needs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui.l10n import fmt_delta, fmt_num, fmt_pct, kpi_label, local_date, state_name, t
from app_ui.services import editions
from app_ui.text import plain
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult


def months(model: Model) -> None:
    """Score and rank, then the KPIs, for every edition in force."""
    st.subheader(t("editions.history_heading"))
    focus = editions.focus_history(model.config)
    st.markdown(f"**{t('editions.history_focus', state=plain(state_name(model.focus_state)))}**")
    if len(focus) < 2:
        st.info(t("editions.history_one"))
    st.dataframe(
        pd.DataFrame(
            {
                t("editions.col_date"): [local_date(d) for d in focus["as_of"]],
                t("editions.col_score"): [fmt_num(v, 2) for v in focus["score"]],
                t("editions.col_rank"): focus["rank"].astype(int).tolist(),
                t("editions.col_score_change"): [
                    "" if pd.isna(v) else fmt_delta(v) for v in focus["score_change"]
                ],
                t("editions.col_rank_change"): [
                    "" if pd.isna(v) else f"{int(v):+d}" for v in focus["rank_change"]
                ],
            }
        ),
        hide_index=True,
        key="sens_edition_ranks",
    )
    kpis = editions.kpis_by_month(model.config)
    st.markdown(f"**{t('editions.kpis_heading')}**")
    rows = []
    for spec in model.config.kpis:
        cells = {
            local_date(d): fmt_pct(v) if spec.subscore.kind.value == "ratio" else fmt_num(v, 2)
            for d, v in zip(kpis["as_of"], kpis[spec.id], strict=True)
        }
        rows.append({t("editions.col_kpi"): kpi_label(spec), **cells})
    rows.append(
        {
            t("editions.col_kpi"): t("overview.completers"),
            **{
                local_date(d): fmt_num(v)
                for d, v in zip(kpis["as_of"], kpis["user_completions"], strict=True)
            },
        }
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="sens_edition_kpis")


def pace(model: Model, rank: int, goal: GoalResult) -> None:
    """Completers a day so far between the department tables against what `goal` needs a day
    from the latest table to the deadline."""
    st.markdown(f"**{t('editions.pace_heading')}**")
    extra = goal.extra_completers if goal.reachable else 0
    try:
        so_far = editions.pace(extra, model.config.deadline)
    except ScoringInputError as exc:
        st.warning(plain("; ".join(exc.problems)))
        return
    end = local_date(so_far.end)
    if so_far.start is None or so_far.per_day_so_far is None:
        st.caption(t("editions.pace_single", end=end))
    else:
        st.caption(
            t(
                "editions.pace_so_far",
                start=local_date(so_far.start),
                end=end,
                first=fmt_num(so_far.completers_start),
                last=fmt_num(so_far.completers_end),
                per_day=fmt_num(so_far.per_day_so_far),
            )
        )
    if not goal.reachable or extra == 0:
        return
    needed = t(
        "editions.pace_needed",
        rank=rank,
        needed=fmt_num(extra),
        end=end,
        per_day=fmt_num(so_far.needed_per_day),
        days=fmt_num(so_far.days_left),
        deadline=local_date(so_far.deadline),
    )
    if so_far.on_track is None:
        st.info(needed)
    elif so_far.on_track:
        st.success(f"{needed} {t('editions.pace_on_track')}")
    else:
        ratio = so_far.needed_per_day / max(so_far.per_day_so_far or 0.0, 1e-9)
        st.warning(f"{needed} {t('editions.pace_behind', ratio=fmt_num(ratio, 1))}")
