"""The simulator's levers: the unit picker, one card per lever, and the ready-made scenarios."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from app_ui import session
from app_ui.l10n import fmt_num, fmt_pct, t
from app_ui.text import plain
from app_ui.widgets.counts import count_input
from scoring.data import DepartmentTable
from scoring.engine import Model, SimulationResult
from scoring.levers import new_lever, suggested_add, unit_figures, with_kind, with_value
from scoring.presets import PRESET_IDS, preset
from scoring.scenario import MAX_LEVER_VALUE, LeverKind
from scoring.share import LeverState

TARGETS = "sim_targets"


def _kind_key(target: str) -> str:
    return f"sim_kind::{target}"


def _value_key(target: str, kind: str) -> str:
    return f"sim_{kind}::{target}"


# --- callbacks: each turns one widget's new value into the session's scenario ----------------


def _on_targets(table: DepartmentTable) -> None:
    old = {lever.target: lever for lever in session.levers()}
    chosen = st.session_state[TARGETS]
    session.set_levers(
        tuple(old.get(tg) or new_lever(tg, unit_figures(table, tg)) for tg in chosen)
    )


def _replace(target: str, make: Any) -> None:
    """Change one lever; the levers are then made by hand, no longer a preset's or a plan's."""
    session.set_levers(tuple(make(lv) if lv.target == target else lv for lv in session.levers()))


def _on_kind(target: str, table: DepartmentTable) -> None:
    kind = st.session_state[_kind_key(target)]
    _replace(target, lambda lv: with_kind(lv, kind, unit_figures(table, target)))


def _on_value(target: str, kind: str) -> None:
    value = float(st.session_state[_value_key(target, kind)])
    _replace(target, lambda lv: with_value(lv, value))


def _on_count(target: str, value: int) -> None:
    _replace(target, lambda lv: with_value(lv, float(value)))


def _on_preset(preset_id: str, model: Model) -> None:
    chosen = preset(preset_id, model.departments)
    state = session.scenario()
    levers = tuple(
        LeverState(target=lv.target, kind=lv.kind.value, value=lv.value) for lv in chosen.levers
    )
    assumptions = {**(state.assumptions or {}), **chosen.assumptions} or None
    session.set_scenario(
        state.model_copy(update={"levers": levers, "assumptions": assumptions}), preset_id
    )


def _on_clear() -> None:
    had_levers = bool(session.levers())
    session.set_levers(())
    if had_levers:
        session.notify("simulator", "info", t("history.cleared"))


# --- drawing ---------------------------------------------------------------------------------


def preset_buttons(model: Model) -> None:
    """The ready-made scenario buttons and "Clear levers" (not printed: only buttons)."""
    box = st.container(key="sim_presets_no_print")
    box.markdown(f"**{t('simulator.presets_heading')}**")
    row = box.container(horizontal=True)
    for preset_id in PRESET_IDS:
        row.button(
            t(f"simulator.preset.{preset_id}"),
            key=f"sim_preset_{preset_id}",
            help=t(f"simulator.preset.{preset_id}_help"),
            on_click=_on_preset,
            args=(preset_id, model),
        )
    row.button(t("simulator.clear"), key="sim_clear", on_click=_on_clear, type="tertiary")


def preset_note() -> None:
    """Which preset or plan the levers came from, while they are unchanged."""
    source = session.scenario_source()
    if source and session.levers():
        st.caption(t(f"simulator.preset.{source}_loaded"))


def target_names(model: Model) -> dict[str, str]:
    """Shown name of every possible lever target: departments by headroom, then MDO ids of the
    current levers as their MDO's name."""
    names = {name: name for name in model.data.departments.headroom["department"]}
    frame = model.departments
    mdo_names = dict(zip(frame["id"], frame["mdo"], strict=True))
    for lever in session.levers():
        if lever.target not in names:
            names[lever.target] = t(
                "simulator.mdo_target", mdo=mdo_names.get(lever.target, lever.target)
            )
    return names


def lever_picker(model: Model, result: SimulationResult | None) -> None:
    """Choose the units to push, then one card per lever."""
    names = target_names(model)
    st.session_state[TARGETS] = [lv.target for lv in session.levers()]
    st.multiselect(
        t("simulator.targets"),
        list(names),
        format_func=lambda target: names.get(target, target),
        key=TARGETS,
        on_change=_on_targets,
        args=(model.data.departments,),
        placeholder=t("simulator.targets_placeholder"),
        help=t("simulator.targets_help"),
    )
    if not session.levers():
        st.info(t("simulator.no_levers"))
        return
    outcomes = {o.lever.target: o for o in result.additions.outcomes} if result else {}
    # The cards are for editing; on paper the levers are one line each (app_ui/export/page.css
    # hides keys ending in _no_print and shows those ending in _print_only only in print).
    cards = st.container(key="sim_lever_cards_no_print")
    box = cards.container(height=460) if len(session.levers()) > 4 else cards
    for lever in session.levers():
        with box:
            _card(model, lever, names.get(lever.target, lever.target), outcomes.get(lever.target))
    with st.container(key="sim_levers_print_only"):
        for lever in session.levers():
            line = f"**{plain(names.get(lever.target, lever.target))}**: {_setting(lever)}"
            outcome = outcomes.get(lever.target)
            # What it adds, where that is not the setting itself (a share, or a capped amount).
            if outcome is not None and (outcome.capped or lever.kind != LeverKind.ADD.value):
                line += " · " + t("simulator.applied", applied=fmt_num(outcome.applied))
            st.markdown(line)


def _setting(lever: LeverState) -> str:
    """A lever's setting as a sentence ("Extra completers: 50,000")."""
    add = lever.kind == LeverKind.ADD.value
    shown = fmt_num(lever.value) if add else fmt_pct(lever.value / 100)
    return t(f"simulator.lever_setting.{lever.kind}", value=shown)


def _card(model: Model, lever: LeverState, name: str, outcome: Any) -> None:
    unit = unit_figures(model.data.departments, lever.target)
    card = st.container(border=True)
    card.markdown(f"**{plain(name)}**")
    card.caption(
        t(
            "simulator.unit_caption",
            onboarded=fmt_num(unit.onboarded),
            share=fmt_pct(unit.share),
            headroom=fmt_num(unit.headroom),
        )
    )
    if session.presenter():
        # Editing controls are not drawn for a projector: the setting is stated instead (hidden
        # inputs would leave an empty band, and the audience would not see it).
        card.markdown(_setting(lever))
    else:
        _inputs(card, model, lever)
        if lever.kind == LeverKind.ADD.value and lever.value == 0 and unit.headroom > 0:
            card.caption(t("simulator.suggested_add", value=fmt_num(suggested_add(unit.headroom))))
    if outcome is None:
        return
    if outcome.capped:
        card.warning(
            t(
                "simulator.capped",
                applied=fmt_num(outcome.applied),
                requested=fmt_num(outcome.requested),
                headroom=fmt_num(unit.headroom),
            ),
            icon="⚠️",
        )
    elif lever.kind == LeverKind.REACH.value and outcome.applied == 0:
        card.info(t("simulator.already_there", share=fmt_pct(unit.share)), icon="ℹ️")
    else:
        card.caption(t("simulator.applied", applied=fmt_num(outcome.applied)))


def _inputs(card: Any, model: Model, lever: LeverState) -> None:
    """The kind of a lever and its value, side by side in its card."""
    target, kind = lever.target, lever.kind
    kind_col, value_col = card.columns(2, vertical_alignment="bottom")
    st.session_state[_kind_key(target)] = kind
    kind_col.selectbox(
        t("simulator.lever_kind"),
        [LeverKind.ADD.value, LeverKind.REACH.value],
        format_func=lambda k: t(f"simulator.kind.{k}"),
        key=_kind_key(target),
        on_change=_on_kind,
        args=(target, model.data.departments),
    )
    key = _value_key(target, kind)
    if kind == LeverKind.ADD.value:
        count_input(
            t("simulator.add_value"),
            key,
            int(min(max(lever.value, 0), MAX_LEVER_VALUE)),
            min_value=0,
            max_value=MAX_LEVER_VALUE,
            on_change=partial(_on_count, target),
            where=value_col,
            message_box=card,
        )
    else:
        st.session_state[key] = float(min(max(lever.value, 0.0), 100.0))
        value_col.number_input(
            t("simulator.reach_value"),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            format="%.1f",
            key=key,
            on_change=_on_value,
            args=(target, kind),
        )
