"""Calibration view's section "From <state>'s own months": the weights fitted to the focus state's
score changes between editions, beside the configured ones, with the range each can take."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_ui import auth
from app_ui.l10n import fmt_delta, fmt_num, local_date, state_name, t, tn
from app_ui.services import ModelRef
from app_ui.services import months as services
from app_ui.text import plain
from app_ui.views import identification
from app_ui.widgets.notices import show_notices
from app_ui.widgets.problems import show_problems
from scoring.config import dump_config
from scoring.errors import ScoringInputError
from scoring.month_calibration import MonthCalibration
from scoring.robustness import fitted_weights
from scoring.roles import Action

NOTICES = "sensitivity_months"  # this section's messages, shown under its own buttons


def months_section(base: ModelRef, use_fitted: Callable[[dict[str, float], str], None]) -> None:
    """`use_fitted(weights, notices)` is the calibration view's callback that puts weights in
    use (the same role check and message as the fit across states)."""
    config = base.model.config
    st.subheader(t("sensitivity.months_title", state=plain(state_name(base.model.focus_state))))
    st.caption(t("sensitivity.months_explain"))
    try:
        found = services.month_fit(config)
    except ScoringInputError as exc:
        show_problems(exc.problems, t("sensitivity.error"))
        return
    inputs = found.inputs
    if inputs.without_focus:
        st.caption(
            t(
                "sensitivity.months_without_focus",
                state=plain(state_name(base.model.focus_state)),
                dates=plain(", ".join(local_date(d) for d in inputs.without_focus)),
            )
        )
    fit = found.fit
    if fit is None:
        if inputs.points:
            st.info(
                t(
                    "sensitivity.months_needed_one",
                    dates=plain(", ".join(local_date(d) for d in inputs.dates)),
                )
            )
        else:
            st.info(t("sensitivity.months_needed_none"))
        return
    st.write(
        tn(
            "sensitivity.months_used",
            len(fit.dates),
            n=fmt_num(len(fit.dates)),
            changes=fmt_num(len(fit.changes)),
            dates=plain(", ".join(local_date(d) for d in fit.dates)),
        )
    )
    identification.notice(fit.identification, config, "changes", len(fit.changes))
    identification.weights_table(
        config, fit.configured, fit.weights, fit.identification, "changes", fit.total
    )
    _changes_table(fit)
    c1, c2 = st.columns(2)
    c1.button(
        t("sensitivity.months_use_fitted"),
        key="sens_use_month_fitted",
        on_click=use_fitted,
        args=(fitted_weights(fit, config), NOTICES),
        disabled=not auth.allowed(Action.CHANGE_WEIGHTS),
    )
    c2.download_button(
        t("sensitivity.download_fitted"),
        dump_config(fit.as_config(config)),
        file_name="kpis_fitted_months.yaml",
        mime="application/x-yaml",
        key="sens_download_month_fitted",
    )
    show_notices(NOTICES)


def _changes_table(fit: MonthCalibration) -> None:
    changes = fit.changes
    st.dataframe(
        pd.DataFrame(
            {
                t("sensitivity.months_from"): [local_date(d) for d in changes["start"]],
                t("sensitivity.months_to"): [local_date(d) for d in changes["end"]],
                t("sensitivity.months_published"): [fmt_delta(v, 2) for v in changes["published"]],
                t("sensitivity.months_fitted"): [fmt_delta(v, 2) for v in changes["fitted"]],
                t("sensitivity.months_configured"): [
                    fmt_delta(v, 2) for v in changes["configured"]
                ],
            }
        ),
        hide_index=True,
    )
    st.caption(
        t("sensitivity.fit_rmse", rmse=fmt_num(fit.rmse, 3), max=fmt_num(fit.max_abs_error, 3))
    )
