"""The chance beside a rank: its figure and interval, the margin in points, ties in words, and the
model's caveat."""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_ui.l10n import fmt_delta, fmt_num, fmt_pct, state_name, t
from app_ui.text import plain
from scoring.chance import Chance


def fmt_chance(p: float) -> str:
    """A chance as a whole percentage, never rounded into certainty or impossibility."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return fmt_pct(p, 0)


def interval_values(interval: tuple[float, float]) -> dict[str, str]:
    return {"low": fmt_pct(interval[0], 1), "high": fmt_pct(interval[1], 1)}


def margin_words(
    chance: Chance,
    tr: Callable[..., str] = t,
    name: Callable[[str], str] = state_name,
) -> str:
    """The margin in points, in words; a tie or a margin under 0.05 points as a warning.
    `tr` and `name` translate (the session's language by default; a file's own otherwise)."""
    if not math.isfinite(chance.margin):
        return ""
    rival = name(chance.rival) if chance.rival else ""
    values = {
        "margin": fmt_num(chance.margin, 2),
        "needed": fmt_num(chance.needed, 2),
        "score": fmt_num(chance.score, 2),
        "rival": rival,
    }
    if chance.tie:
        return tr("chance.tie", **values)
    if chance.fragile:
        return tr("chance.thin", **values)
    return tr("chance.margin" if rival else "chance.margin_first", **values)


def rank_chance(container: DeltaGenerator, chance: Chance) -> None:
    """The chance of at least this rank as a metric, with its margin under it."""
    container.metric(
        t("chance.label"),
        fmt_chance(chance.chance),
        help=t(
            "chance.help",
            draws=fmt_num(chance.draws),
            rank=chance.rank,
            **interval_values(chance.interval),
        ),
    )
    words = margin_words(chance, name=lambda state: plain(state_name(state)))  # on screen: text
    if not words:
        return
    if chance.fragile:
        container.warning(plain(words))
    else:
        container.caption(plain(words))


def caveat() -> None:
    st.caption(t("chance.caveat"))


def plan_chance_text(
    chance: float, interval: tuple[float, float], margin: float, needed: float
) -> str:
    return t(
        "chance.plan_chance",
        chance=fmt_chance(chance),
        margin=fmt_delta(margin),
        needed=fmt_num(needed, 2),
        **interval_values(interval),
    )
