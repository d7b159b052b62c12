"""Sensitivity's calibration view: other states' KPI values in, fitted weights and the fit per
state out, with buttons to use the fitted weights and to score every state by the model; then
the fit from the focus state's own months (app_ui/views/month_calibration.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui import auth, session
from app_ui.l10n import fmt_num, t
from app_ui.services import ModelRef
from app_ui.services import uncertainty as services
from app_ui.text import plain
from app_ui.views import identification
from app_ui.views.month_calibration import months_section
from app_ui.widgets.notices import show_notices
from app_ui.widgets.problems import show_problems
from scoring.calibration import CalibrationResult, kpi_template, parse_state_kpis
from scoring.config import dump_config
from scoring.engine import Model
from scoring.errors import ScoringInputError
from scoring.limits import MAX_TABLE_BYTES
from scoring.robustness import fitted_weights, full_mode_possible
from scoring.roles import Action
from scoring.upload_size import browser_limit_mb, check_upload_size

PAGE = "sensitivity"
FILE_SEEN = "sens_kpi_file"  # the upload already read, so a rerun does not read it again
FULL_MODE_TOGGLE = "sens_full_mode"


def _upload(model: Model) -> None:
    upload = st.file_uploader(
        t("sensitivity.upload_kpis"),
        type=["csv"],
        key="sens_kpi_upload",
        max_upload_size=browser_limit_mb(MAX_TABLE_BYTES),
    )
    if upload is None or st.session_state.get(FILE_SEEN) == upload.file_id:
        return
    try:
        check_upload_size(upload.name, upload.size)
        session.set_state_kpis(parse_state_kpis(upload.getvalue(), model.config, upload.name))
        st.session_state[FILE_SEEN] = upload.file_id
    except ScoringInputError as exc:
        show_problems(exc.problems, t("sensitivity.upload_error"))
        st.caption(t("sensitivity.kept_previous"))


def _use_fitted(weights: dict[str, float], page: str = PAGE) -> None:
    """Put fitted weights in use; the message goes to `page`, the notices of the section whose
    button was clicked. Checked on the server like the Weights page's inputs: a viewer's
    crafted click changes nothing."""
    try:
        auth.require(Action.CHANGE_WEIGHTS)
    except auth.ActionRefused as exc:
        session.notify(page, "error", str(exc))
        return
    session.set_weights(weights)
    session.notify(page, "success", t("sensitivity.fitted_in_use"))


def _on_full_mode() -> None:
    session.set_full_mode(bool(st.session_state[FULL_MODE_TOGGLE]))


def calibration_view(base: ModelRef) -> None:
    """`base` is the session's model without drift (weights are fitted to published scores):
    the fit across states from uploaded KPI values, then the fit from the focus state's own
    months (from the editions, nothing to upload)."""
    _across_states(base)
    st.divider()
    months_section(base, _use_fitted)


def _across_states(base: ModelRef) -> None:
    model = base.model
    st.caption(t("sensitivity.calibration_explain"))
    st.download_button(
        t("sensitivity.template"),
        kpi_template(model.config),
        file_name="state_kpis_template.csv",
        mime="text/csv",
        key="sens_kpi_template",
    )
    _upload(model)
    kpis = session.state_kpis()
    if kpis is None:
        return
    st.success(t("sensitivity.kpis_loaded", count=len(kpis)))
    try:
        fit = services.calibration(base, kpis)
    except ScoringInputError as exc:
        show_problems(exc.problems, t("sensitivity.error"))
        return
    _fit_tables(model, fit)
    c1, c2 = st.columns(2)
    c1.button(
        t("sensitivity.use_fitted"),
        key="sens_use_fitted",
        on_click=_use_fitted,
        args=(fitted_weights(fit, model.config),),
        disabled=not auth.allowed(Action.CHANGE_WEIGHTS),
    )
    c2.download_button(
        t("sensitivity.download_fitted"),
        dump_config(fit.as_config(model.config)),
        file_name="kpis_fitted.yaml",
        mime="application/x-yaml",
        key="sens_download_fitted",
    )
    show_notices(PAGE)
    covered = full_mode_possible(kpis, model)
    if not covered:
        st.caption(t("sensitivity.full_mode_unavailable", category=plain(model.focus_category)))
    # The toggle shows the session's full mode; its own key is a page widget's, dropped when the
    # view is not drawn, so it is set from the session each time.
    st.session_state[FULL_MODE_TOGGLE] = session.full_mode()
    st.toggle(
        t("sensitivity.full_mode"),
        key=FULL_MODE_TOGGLE,
        disabled=not covered,
        on_change=_on_full_mode,
    )


def _fit_tables(model: Model, fit: CalibrationResult) -> None:
    st.subheader(t("sensitivity.fit_title"))
    found = fit.identification
    assert found is not None  # fit_weights always says whether the states determine the weights
    identification.notice(found, model.config, "states", len(fit.fitted))
    # The fit's weights sum to 100 whatever the configured total (scoring.calibration).
    identification.weights_table(model.config, model.weights, fit.weights, found, "states", 100.0)
    st.caption(
        t("sensitivity.fit_rmse", rmse=fmt_num(fit.rmse, 2), max=fmt_num(fit.max_abs_error, 2))
    )
    st.dataframe(
        pd.DataFrame(
            {
                t("sensitivity.fit_state"): fit.fitted["state"],
                t("sensitivity.fit_published"): [fmt_num(v, 2) for v in fit.fitted["published"]],
                t("sensitivity.fit_model"): [fmt_num(v, 2) for v in fit.fitted["fitted"]],
                t("sensitivity.fit_error"): [fmt_num(v, 2) for v in fit.fitted["error"]],
            }
        ),
        hide_index=True,
    )
