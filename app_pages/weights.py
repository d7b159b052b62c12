"""Weights: the KPI weights by pillar, their effect on the scenario and the goal, the model file."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from app_ui.charts import weight_share_chart
from app_ui.l10n import fmt_delta, fmt_num, fmt_pct, t
from app_ui.presenter import presenter_on, show_chart
from app_ui.services import config_from_text, current_config, current_model, dataset
from app_ui.text import plain
from app_ui.widgets.problems import show_problems
from scoring.aggregate import normalised
from scoring.config import ModelConfig, Pillar, dump_config, parse_config_text
from scoring.engine import Model, build_model, simulate
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult, GoalTarget, goal_seek
from scoring.scenario import Lever, LeverKind, Scenario

OVERRIDE = "weights_override"  # owned by this page: KPI id -> weight
CONFIG_YAML = "config_yaml"  # owned by this page: the uploaded model text
WIDGETS = "w_widgets"  # page-owned memory: the last upload handled, messages to show once
MAX_WEIGHT = 1000.0


def _label(en: str, hi: str) -> str:
    return hi if st.session_state.get("lang") == "hi" and hi else en


def _file_config() -> ModelConfig:
    """The model file in use (bundled or uploaded), before any weight or assumption change."""
    return config_from_text(st.session_state.get(CONFIG_YAML))


def _on_weight(kpi_id: str) -> None:
    weights = dict(st.session_state.get(OVERRIDE) or {})
    weights[kpi_id] = float(st.session_state[f"w_kpi_{kpi_id}"])
    try:
        _file_config().with_weights(weights)
    except ScoringInputError as exc:
        st.session_state[WIDGETS]["errors"] = exc.problems
        return
    st.session_state[OVERRIDE] = weights


def _on_reset_weights() -> None:
    st.session_state[OVERRIDE] = None


def _on_reset_model() -> None:
    st.session_state[OVERRIDE] = None
    st.session_state[CONFIG_YAML] = None


def _handle_upload() -> None:
    """Validate an uploaded model; only a model that loads and scores replaces the current one."""
    upload = st.session_state.get("w_upload")
    if upload is None:
        return
    memory = st.session_state[WIDGETS]
    if memory.get("upload_id") == upload.file_id:
        return
    memory["upload_id"] = upload.file_id
    raw = upload.getvalue()
    try:
        config = parse_config_text(raw, upload.name)
        build_model(config, dataset())
        text = raw.decode("utf-8-sig")
    except ScoringInputError as exc:
        memory["errors"] = exc.problems
        memory["upload_errors"] = True
        return
    st.session_state[CONFIG_YAML] = text
    st.session_state[OVERRIDE] = None
    memory["accepted"] = upload.name


def _problems(problems: list[str]) -> None:
    show_problems(problems, t("common.input_error"))


def _weight_inputs(config: ModelConfig, defaults: dict[str, float]) -> None:
    shares = normalised(np.asarray(config.weights, dtype=float))
    share_by_id = dict(zip([k.id for k in config.kpis], shares, strict=True))
    columns = st.columns(len(Pillar))
    for col, pillar in zip(columns, Pillar, strict=True):
        kpis = [k for k in config.kpis if k.pillar is pillar]
        pillar_share = sum(share_by_id[k.id] for k in kpis)
        with col:
            st.markdown(f"#### {t(f'common.pillar.{pillar.value}')}")
            st.caption(t("weights.pillar_share", share=fmt_pct(pillar_share)))
            if not kpis:
                st.caption(t("weights.pillar_empty"))
            for kpi in kpis:
                label = _label(kpi.label.en, kpi.label.hi)
                if presenter_on():
                    # No inputs for a projector: the KPI and its weight as text (a hidden input
                    # would take the KPI's name with it and leave the note below nameless).
                    weight = fmt_num(kpi.weight, 1)
                    st.markdown(t("weights.weight_text", kpi=plain(label), weight=weight))
                else:
                    key = f"w_kpi_{kpi.id}"
                    st.session_state[key] = float(kpi.weight)
                    st.number_input(
                        label,
                        min_value=0.0,
                        max_value=MAX_WEIGHT,
                        step=1.0,
                        format="%.1f",
                        key=key,
                        on_change=_on_weight,
                        args=(kpi.id,),
                    )
                default = defaults.get(kpi.id, kpi.weight)
                note = t(
                    "weights.share_note",
                    share=fmt_pct(share_by_id[kpi.id]),
                    default=fmt_num(default, 1),
                )
                if abs(default - kpi.weight) > 1e-9:
                    note += " · " + t("weights.changed")
                st.caption(note)


def _shares_chart(config: ModelConfig) -> None:
    shares = normalised(np.asarray(config.weights, dtype=float))
    frame = pd.DataFrame(
        {
            "kpi": [_label(k.label.en, k.label.hi) for k in config.kpis],
            "pillar": [t(f"common.pillar.{k.pillar.value}") for k in config.kpis],
            "share": shares,
        }
    )
    show_chart(
        weight_share_chart(
            frame,
            title=t("weights.chart_title"),
            value_title=t("weights.chart_axis"),
            kpi_title=t("weights.kpi"),
            pillar_title=t("weights.pillar"),
        ),
        width="stretch",
        key="w_share_chart",
    )


def _goal_target(model: Model) -> tuple[GoalTarget, str]:
    stored = st.session_state.get("goal_result")
    if isinstance(stored, dict) and (stored.get("rank") or stored.get("beat")):
        target = GoalTarget(rank=stored.get("rank"), beat=stored.get("beat"))
    else:
        # No goal set on the simulator yet: the nearest state above.
        above = model.others[model.others["score"] > model.published_score]
        if above.empty:
            target = GoalTarget(rank=1)
        else:
            target = GoalTarget(beat=str(above.sort_values("score")["state"].iloc[0]))
    label = (
        t("weights.goal_rank", rank=target.rank)
        if target.rank is not None
        else t("weights.goal_beat", state=(target.beat or "").upper())
    )
    return target, label


def _completers(result: GoalResult) -> str:
    if result.already_met:
        return "0"
    return fmt_num(result.extra_completers) if result.reachable else t("weights.unreachable")


def _effect(model: Model, default_model: Model) -> None:
    st.subheader(t("weights.effect_heading"))
    levers: list[dict[str, Any]] = st.session_state.get("sim_levers") or []
    try:
        scenario = Scenario(
            tuple(Lever(lv["target"], LeverKind(lv["kind"]), float(lv["value"])) for lv in levers)
        )
        edited = simulate(model, scenario)
        default = simulate(default_model, scenario)
        target, goal_label = _goal_target(model)
        goal_edited = goal_seek(model, target)
        goal_default = goal_seek(default_model, target)
    except ScoringInputError as exc:
        _problems(exc.problems)
        return
    if levers:
        st.caption(
            t(
                "weights.effect_intro",
                levers=fmt_num(len(levers)),
                extra=fmt_num(edited.extra_completers),
            )
        )
    else:
        st.caption(t("weights.effect_no_levers"))
    cols = st.columns([1, 1, 1.4])  # the goal's label names a state: the widest
    score_delta = edited.score - default.score
    cols[0].metric(
        t("weights.scenario_score"),
        fmt_num(edited.score, 2),
        delta=fmt_delta(score_delta) if round(score_delta, 2) else None,
        help=t("weights.scenario_score_help", score=fmt_num(default.score, 2)),
    )
    places = default.rank - edited.rank
    cols[1].metric(
        t("weights.scenario_rank", category=edited.category),
        t("weights.rank_value", rank=edited.rank, count=len(edited.category_table)),
        delta=fmt_delta(places, 0) if places else None,
        help=t("weights.scenario_rank_help", rank=default.rank),
    )
    both_reachable = goal_edited.reachable and goal_default.reachable
    change = goal_edited.extra_completers - goal_default.extra_completers
    cols[2].metric(
        t("weights.goal_completers", goal=goal_label),
        _completers(goal_edited),
        delta=fmt_delta(change, 0) if both_reachable and change else None,
        delta_color="inverse",
        help=t("weights.goal_help", completers=_completers(goal_default)),
    )


def _model_file(config: ModelConfig) -> None:
    st.subheader(t("weights.file_heading"))
    memory = st.session_state[WIDGETS]
    accepted = memory.pop("accepted", None)
    if accepted:
        st.success(t("weights.upload_ok", name=accepted))
    if memory.pop("upload_errors", False):
        st.warning(t("weights.upload_kept"))
    source = (
        t("weights.source_uploaded")
        if st.session_state.get(CONFIG_YAML)
        else t("weights.source_bundled")
    )
    st.caption(source)
    down_col, up_col = st.columns(2)
    down_col.download_button(
        t("weights.download"),
        data=dump_config(config),
        file_name="kpis.yaml",
        mime="application/x-yaml",
        key="w_download",
        help=t("weights.download_help"),
    )
    up_col.file_uploader(
        t("weights.upload"),
        type=["yaml", "yml"],
        key="w_upload",
        on_change=_handle_upload,
        help=t("weights.upload_help"),
    )
    reset_col, model_col = st.columns(2)
    reset_col.button(t("weights.reset"), key="w_reset", on_click=_on_reset_weights)
    if st.session_state.get(CONFIG_YAML):
        model_col.button(t("weights.reset_model"), key="w_reset_model", on_click=_on_reset_model)


# --- page --------------------------------------------------------------------------------

st.session_state.setdefault(WIDGETS, {})
st.title(t("weights.title"))
st.caption(t("weights.intro"))

errors = st.session_state[WIDGETS].pop("errors", None)
if errors:
    _problems(errors)

try:
    file_config = _file_config()
    w_model = current_model()
    assumptions = st.session_state.get("sim_assumptions") or {}
    default_config = file_config.with_assumptions(**assumptions) if assumptions else file_config
    w_default_model = build_model(default_config, dataset())
except ScoringInputError as exc:
    _problems(exc.problems)
    st.button(t("weights.reset_model"), key="w_reset_model", on_click=_on_reset_model)
    st.stop()

w_config = current_config()
_effect(w_model, w_default_model)
st.subheader(t("weights.inputs_heading"))
_weight_inputs(w_config, {k.id: k.weight for k in file_config.kpis})
_shares_chart(w_config)
st.caption(t("weights.normalised_note"))
st.divider()
_model_file(w_config)
