"""The KPI weight editors, one column per pillar (in presenter mode the weights as text)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui import auth, services, session
from app_ui.l10n import fmt_num, fmt_pct, kpi_explanation, kpi_label, t
from app_ui.text import plain
from scoring.config import ModelConfig, Pillar
from scoring.errors import ScoringInputError
from scoring.roles import Action
from scoring.weight_effect import pillar_shares

PAGE = "weights"
MAX_WEIGHT = 1000.0


def _key(kpi_id: str) -> str:
    return f"w_kpi_{kpi_id}"


def _on_weight(kpi_id: str) -> None:
    """Store the changed weight if the role may change weights (checked here, on the server,
    whatever the browser sent) and the model file takes it (not all zero, in range); otherwise
    keep the old weights and say why."""
    try:
        auth.require(Action.CHANGE_WEIGHTS)
    except auth.ActionRefused as exc:
        session.notify(PAGE, "error", str(exc))
        return
    weights = dict(session.scenario().weights or {})
    weights[kpi_id] = float(st.session_state[_key(kpi_id)])
    try:
        services.file_config().with_weights(weights)
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("common.input_error"), exc.problems)
        return
    session.set_weights(weights)


def editors(config: ModelConfig, shares: pd.DataFrame) -> None:
    """A number input per KPI under its pillar, with its share of the score and its default
    (`shares`: rows of scoring.weight_effect.weight_shares for `config`)."""
    by_id = shares.set_index("id")
    pillars = pillar_shares(shares)
    may_change = auth.allowed(Action.CHANGE_WEIGHTS)
    if not may_change and not session.presenter():
        st.info(t("weights.change_not_allowed"))
    for column, pillar in zip(st.columns(len(Pillar)), Pillar, strict=True):
        kpis = [k for k in config.kpis if k.pillar is pillar]
        with column:
            st.markdown(f"#### {t(f'common.pillar.{pillar.value}')}")
            st.caption(t("weights.pillar_share", share=fmt_pct(pillars[pillar.value])))
            if not kpis:
                st.caption(t("weights.pillar_empty"))
            for kpi in kpis:
                label = kpi_label(kpi)
                if session.presenter():
                    # No inputs for a projector: the KPI and its weight as text (a hidden input
                    # would take the KPI's name with it and leave the note below nameless).
                    weight = fmt_num(kpi.weight, 1)
                    st.markdown(t("weights.weight_text", kpi=plain(label), weight=weight))
                else:
                    # Seeded from the scenario on every run: a refused value or a reset shows
                    # the weight in use, not what was typed.
                    st.session_state[_key(kpi.id)] = float(kpi.weight)
                    st.number_input(
                        plain(label),
                        min_value=0.0,
                        max_value=MAX_WEIGHT,
                        step=1.0,
                        format="%.1f",
                        key=_key(kpi.id),
                        disabled=not may_change,
                        on_change=_on_weight,
                        args=(kpi.id,),
                    )
                row = by_id.loc[kpi.id]
                note = t(
                    "weights.share_note",
                    share=fmt_pct(float(row["share"])),
                    default=fmt_num(float(row["default"]), 1),
                )
                if bool(row["changed"]):
                    note += " · " + t("weights.changed")
                # One caption, the explanation on a line of its own above the share: each
                # element costs the browser a few ms on every visit of the page.
                explained = kpi_explanation(kpi)
                st.caption(f"{plain(explained)}  \n{note}" if explained else note)
