"""Downloads of the current scenario for a meeting: the HTML briefing and, after a goal seek, its
plan as CSV and Excel (each file made only when its button is clicked)."""

from __future__ import annotations

import streamlit as st

from app_ui import services, session
from app_ui.export.briefing import briefing_html, plan_csv, plan_xlsx
from app_ui.l10n import fmt_num, t
from app_ui.text import plain
from app_ui.views.goal import current_result
from scoring.errors import ScoringInputError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    goal = current_result()
    stem = f"{model.focus_state.lower()}-{model.data.as_of.isoformat()}"
    cols = st.columns(3)
    cols[0].download_button(
        t("scenarios.briefing_download"),
        data=lambda: briefing_html(lang, model, result, goal, None).encode("utf-8"),
        file_name=f"briefing-{stem}-{lang}.html",
        mime="text/html",
        key="scn_briefing",
        on_click="ignore",
        icon=":material/description:",
        type="primary",
    )
    if goal is None or goal.plan.empty:
        st.caption(t("scenarios.briefing_no_plan"))
        return
    cols[1].download_button(
        t("scenarios.plan_csv"),
        data=lambda: plan_csv(goal, lang),
        file_name=f"plan-{stem}.csv",
        mime="text/csv",
        key="scn_plan_csv",
        on_click="ignore",
        icon=":material/table:",
    )
    cols[2].download_button(
        t("scenarios.plan_xlsx"),
        data=lambda: plan_xlsx(goal, lang),
        file_name=f"plan-{stem}.xlsx",
        mime=XLSX,
        key="scn_plan_xlsx",
        on_click="ignore",
        icon=":material/grid_on:",
    )
    extra, units = fmt_num(goal.extra_completers), fmt_num(len(goal.plan))
    st.caption(t("scenarios.briefing_plan", extra=extra, units=units))
