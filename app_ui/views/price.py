"""The price of certainty on screen: extra completers for a 50 to 95% chance of the goal, with
the proven fewest at its own chance."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_ui import session
from app_ui.charts.cache import cached_chart
from app_ui.charts.chance import price_chart
from app_ui.l10n import fmt_num, t
from app_ui.presenter import show_chart
from app_ui.services import chance as services_chance
from app_ui.services import goal as goal_seek_service
from app_ui.views.chance import fmt_chance
from app_ui.views.goal import goal_label, plan_for
from app_ui.widgets.problems import show_problems
from scoring.errors import ScoringInputError


def price_view(prefix: str) -> None:
    """Shown at once when a chance was asked (the curve is what that plan came from); behind a
    switch for the fewest, since the curve costs seconds the first time."""
    target = session.goal_request()
    if target is None:
        return
    if session.goal_level() is None and not st.toggle(
        t("chance.price_show"),
        key=f"{prefix}_price_show",
        help=t("chance.price_help"),
        persist_state="session",
    ):
        return
    try:
        fewest = goal_seek_service(target)
        if fewest.already_met or not fewest.reachable:
            return
        with st.spinner(t("chance.price_running")):
            plans = services_chance.price(target)
        own, _ = services_chance.plan_chance(fewest)
    except ScoringInputError as exc:
        show_problems(exc.problems)
        return
    robust_label, fewest_label = t("chance.price_robust"), t("chance.price_fewest")
    frame = pd.DataFrame(
        {
            "chance": [p.chance for p in plans] + [own],
            "extra": [p.extra_completers for p in plans] + [fewest.extra_completers],
            "kind": [robust_label] * len(plans) + [fewest_label],
            "text": [fmt_num(p.extra_completers) for p in plans]
            + [fmt_num(fewest.extra_completers)],
        }
    )
    goal = goal_label(target)
    show_chart(
        cached_chart(
            price_chart,
            frame,
            title=t("chance.price_title", goal=goal),
            chance_title=t("chance.price_chance"),
            extra_title=t("chance.price_extra"),
            kind_title=t("chance.price_kind"),
        ),
        width="stretch",
        key=f"{prefix}_price_chart",
        export=f"{prefix}_price_chart",
    )
    st.caption(
        t(
            "chance.price_caption",
            fewest=fmt_num(fewest.extra_completers),
            fewest_chance=fmt_chance(own),
            coin=fmt_num(plan_for(plans, 50).extra_completers),
            ninety=fmt_num(plan_for(plans, 90).extra_completers),
        )
    )
