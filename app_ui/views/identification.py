"""Whether the data determine the KPI weights, in words, and the fitted weights beside the
current ones with the least and greatest value each can take: shared by the fit across states
and the fit from the focus state's own months."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import streamlit as st

from app_ui.l10n import fmt_num, kpi_label, t
from app_ui.text import plain
from scoring.calibration import Identification
from scoring.config import ModelConfig

# What the fit's rows are: published scores of several states, or the focus state's score
# changes between editions. The catalogue words each under sensitivity.ident.<kind>.
Kind = Literal["states", "changes"]


def _labels(config: ModelConfig, ids: tuple[str, ...]) -> str:
    by_id = {k.id: kpi_label(k) for k in config.kpis}
    return ", ".join(by_id.get(i, i) for i in ids)


def notice(found: Identification, config: ModelConfig, kind: Kind, rows: int) -> None:
    """Say whether `rows` states (or score changes) determine the weights, and if not, why."""
    k = len(config.kpis)
    if found.identified:
        st.success(t(f"sensitivity.ident.{kind}.identified"))
    elif found.reason_code in ("fewer_states", "fewer_changes"):
        # With the total fixed, K weights need K - 1 rows: K - 1 states, or K editions.
        needed = k - 1 if kind == "states" else k
        st.warning(
            t(
                f"sensitivity.ident.{kind}.fewer",
                rows=fmt_num(rows),
                kpis=fmt_num(k),
                needed=fmt_num(needed),
            )
        )
    elif found.reason_code == "identical_columns":
        pairs = "; ".join(_labels(config, pair) for pair in found.identical)
        st.warning(t(f"sensitivity.ident.{kind}.identical_columns", pairs=plain(pairs)))
    else:
        st.warning(t(f"sensitivity.ident.{kind}.combination"))
    if found.zero:
        st.caption(t(f"sensitivity.ident.{kind}.zero", kpis=plain(_labels(config, found.zero))))


def weights_table(
    config: ModelConfig,
    current: np.ndarray,
    fitted: np.ndarray,
    found: Identification,
    kind: Kind,
    total: float,
) -> None:
    """Current and fitted weights per KPI, with each weight's least and greatest value among
    the weightings that fit as well as the best (give or take the rounding)."""
    st.dataframe(
        pd.DataFrame(
            {
                t("sensitivity.fit_kpi"): [kpi_label(k) for k in config.kpis],
                t("sensitivity.fit_current"): [fmt_num(w, 1) for w in current],
                t("sensitivity.fit_fitted"): [fmt_num(w, 1) for w in fitted],
                t("sensitivity.ident.least"): [fmt_num(v, 1) for v in found.ranges[:, 0]],
                t("sensitivity.ident.greatest"): [fmt_num(v, 1) for v in found.ranges[:, 1]],
            }
        ),
        hide_index=True,
    )
    st.caption(
        t(
            f"sensitivity.ident.{kind}.ranges_note",
            tolerance=fmt_num(found.tolerance, 3),
            total=fmt_num(total, 0 if float(total).is_integer() else 1),
        )
    )
