"""Sensitivity: how sure the simulator can be (weights, peers), what matters most, history."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import streamlit as st

from app_ui.charts.uncertainty import (
    marginal_chart,
    pace_chart,
    rank_history_chart,
    rank_probability_chart,
    tornado_chart,
)
from app_ui.l10n import fmt_num, fmt_pct, fmt_probability, goal_reason, local_date, t
from app_ui.presenter import show_chart
from app_ui.services import current_model, current_scenario
from app_ui.widgets.choice import translated_choice
from app_ui.widgets.problems import show_problems
from scoring.calibration import (
    category_fully_covered,
    fit_weights,
    kpi_template,
    parse_state_kpis,
)
from scoring.config import dump_config
from scoring.data import parse_ranking, read_table
from scoring.drift import months_between, trend_per_month
from scoring.engine import Model, simulate
from scoring.errors import ScoringInputError
from scoring.goal import GoalTarget, goal_seek
from scoring.history import (
    combine_months,
    load_bihar_history,
    needed_completions_per_month,
    pace,
)
from scoring.scenario import lever_additions
from scoring.sensitivity import (
    draw_weights,
    marginal_gain_by_department,
    rank_distribution,
    tornado,
)

LAKH = 100_000


def show_problems(exc: ScoringInputError, heading: str) -> None:
    show_problems(exc.problems, heading)


def kpi_label(model: Model, kpi_id: str) -> str:
    lang = st.session_state.get("lang", "en")
    spec = next(k for k in model.config.kpis if k.id == kpi_id)
    return spec.label.hi if lang == "hi" else spec.label.en


def weights_tab(model: Model, added: np.ndarray) -> None:
    st.caption(t("sensitivity.weights_explain"))
    c1, c2, c3, c4 = st.columns(4)
    mode = translated_choice(
        c1.radio,
        t("sensitivity.mode"),
        ["dirichlet", "uniform"],
        key="sens_mode",
        format_func=lambda m: t(f"sensitivity.mode_{m}"),
    )
    concentration = c2.slider(
        t("sensitivity.concentration"),
        5,
        200,
        30,
        key="sens_concentration",
        help=t("sensitivity.concentration_help"),
        disabled=mode == "uniform",
    )
    draws = c3.number_input(
        t("sensitivity.draws"), 1_000, 200_000, 100_000, step=10_000, key="sens_draws"
    )
    seed = c4.number_input(t("sensitivity.seed"), 0, 10_000, 0, key="sens_seed")
    weights = draw_weights(
        model.weights, int(draws), None if mode == "uniform" else float(concentration), int(seed)
    )
    dist = rank_distribution(model, added, weights)
    positions = dist.ranks.tolist()
    likely = int(dist.ranks[np.argmax(dist.scenario)])
    low, high = np.quantile(dist.scenario_scores, [0.05, 0.95])
    m0, m1, m2, m3 = st.columns(4)
    target = m0.selectbox(
        t("sensitivity.target_rank"),
        positions,
        index=max(model.published_rank - 2, 0),
        key="sens_target_rank",
    )
    chance = dist.at_or_better(int(target))
    # Never rounded into certainty or impossibility: ">99%", "<0.1%".
    chance_text = fmt_probability(chance) or fmt_pct(0, 0)
    m1.metric(t("sensitivity.chance_label", rank=target), chance_text)
    m2.metric(
        t("sensitivity.most_likely"),
        str(likely),
        help=t(
            "sensitivity.most_likely_value",
            rank=likely,
            share=fmt_probability(float(dist.scenario.max())),
        ),
    )
    m3.metric(t("sensitivity.score_range"), f"{fmt_num(low, 2)} – {fmt_num(high, 2)}")
    st.markdown("**" + t("sensitivity.at_or_better", rank=target, share=chance_text) + "**")
    chart = rank_probability_chart(
        dist.to_frame(),
        title=t("sensitivity.chart_rank_title", state=model.focus_state),
        rank_title=t("sensitivity.rank_axis"),
        probability_title=t("sensitivity.probability_axis"),
        baseline_label=t("sensitivity.baseline"),
        scenario_label=t("sensitivity.scenario"),
    )
    show_chart(chart, width="stretch")


def matters_tab(model: Model, added: np.ndarray) -> None:
    st.caption(t("sensitivity.matters_explain"))
    if added.any():
        tornado_section(model, added)
    else:
        st.info(t("sensitivity.tornado_needs_scenario"))
    gains = marginal_gain_by_department(model, added)
    marginal_section(gains.sort_values("points", ascending=False).head(15))


def tornado_section(model: Model, added: np.ndarray) -> None:
    frame = tornado(model, added)
    frame["label"] = [kpi_label(model, k) for k in frame["kpi"]]
    show_chart(
        tornado_chart(
            frame,
            title=t("sensitivity.tornado_title"),
            score_title=t("sensitivity.score_axis"),
            half_label=t("sensitivity.half"),
            double_label=t("sensitivity.double"),
            central=float(frame["central_score"].iloc[0]),
        ),
        width="stretch",
    )


def marginal_section(gains: pd.DataFrame) -> None:
    show_chart(
        marginal_chart(
            gains, title=t("sensitivity.marginal_title"), value_title=t("sensitivity.marginal_axis")
        ),
        width="stretch",
    )
    table = pd.DataFrame(
        {
            t("sensitivity.marginal_table_department"): gains["department"],
            t("sensitivity.marginal_table_completers"): [fmt_num(v) for v in gains["completers"]],
            t("sensitivity.marginal_table_points"): [fmt_num(v, 3) for v in gains["points"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def peers_tab(plain_model: Model) -> None:
    deadline = local_date(plain_model.config.deadline)
    months = months_between(plain_model.data.as_of, plain_model.config.deadline)
    st.caption(t("sensitivity.peers_explain", deadline=deadline, months=fmt_num(months, 1)))
    history = st.session_state.get("history_months") or {}
    trend_ok = len(history) >= 1  # plus the bundled month: two or more
    options = ["none", "all", "each", "trend"]
    mode = translated_choice(
        st.radio,
        t("sensitivity.drift_mode"),
        options,
        key="sens_drift_mode",
        horizontal=True,
        format_func=lambda m: t(f"sensitivity.drift_{m}"),
    )
    drift: float | dict[str, float] | None = None
    if mode == "all":
        drift = float(
            st.number_input(
                t("sensitivity.drift_all_value"), -5.0, 5.0, 0.3, step=0.1, key="sens_drift_all"
            )
        )
    elif mode == "each":
        base = pd.DataFrame({"state": plain_model.others["state"], "drift": 0.0})
        edited = st.data_editor(
            base,
            key="sens_drift_table",
            hide_index=True,
            disabled=["state"],
            column_config={
                "state": st.column_config.TextColumn(t("sensitivity.drift_table_state")),
                "drift": st.column_config.NumberColumn(
                    t("sensitivity.drift_table_value"), min_value=-5.0, max_value=5.0, step=0.1
                ),
            },
        )
        drift = {
            s: float(v) for s, v in zip(edited["state"], edited["drift"].fillna(0.0), strict=True)
        }
    elif mode == "trend":
        if not trend_ok:
            st.info(t("sensitivity.trend_unavailable"))
        else:
            trends = trend_per_month(history_frame(plain_model))
            drift = {s: trends.get(s, 0.0) for s in plain_model.others["state"]}
            st.dataframe(
                pd.DataFrame(
                    {
                        t("sensitivity.drift_table_state"): list(drift),
                        t("sensitivity.drift_table_value"): [fmt_num(v, 2) for v in drift.values()],
                    }
                ),
                hide_index=True,
            )
    c1, c2 = st.columns(2)
    if c1.button(
        t("sensitivity.drift_apply"),
        key="sens_drift_apply",
        type="primary",
        disabled=mode == "none" or drift is None,
    ):
        st.session_state["peer_drift"] = drift
        st.rerun()
    if c2.button(t("sensitivity.drift_clear"), key="sens_drift_clear"):
        st.session_state["peer_drift"] = None
        st.rerun()
    if not st.session_state.get("peer_drift"):
        return
    st.success(t("sensitivity.drift_active", deadline=deadline))
    moved = current_model()
    result = simulate(moved, current_scenario())
    table = result.category_table
    st.subheader(t("sensitivity.drift_projected", deadline=deadline))
    st.dataframe(
        pd.DataFrame(
            {
                "#": table["rank"],
                t("sensitivity.drift_table_state"): table["state"],
                t("sensitivity.baseline"): [fmt_num(v, 2) for v in table["published_score"]],
                deadline: [fmt_num(v, 2) for v in table["score"]],
            }
        ),
        hide_index=True,
    )
    rank = st.selectbox(
        t("sensitivity.target_rank"),
        list(range(1, len(moved.others) + 1)),
        index=4,
        key="sens_drift_goal_rank",
    )
    with st.spinner():
        goal = goal_seek(moved, GoalTarget(rank=int(rank)))
        plain = goal_seek(plain_model, GoalTarget(rank=int(rank)))
    if not goal.reachable:
        st.warning(
            t(
                "sensitivity.goal_out_of_reach",
                rank=rank,
                deadline=deadline,
                reason=goal_reason(goal),
            )
        )
        return
    plain_text = fmt_num(plain.extra_completers) if plain.reachable else "-"
    st.info(
        t(
            "sensitivity.goal_with_drift",
            rank=rank,
            deadline=deadline,
            state=moved.focus_state,
            completers=fmt_num(goal.extra_completers),
            per_day=fmt_num(goal.per_day),
            plain=plain_text,
        )
    )


def calibration_tab(model: Model) -> None:
    st.caption(t("sensitivity.calibration_explain"))
    st.download_button(
        t("sensitivity.template"),
        kpi_template(model.config),
        file_name="state_kpis_template.csv",
        mime="text/csv",
        key="sens_kpi_template",
    )
    upload = st.file_uploader(t("sensitivity.upload_kpis"), type=["csv"], key="sens_kpi_upload")
    if upload is not None and st.session_state.get("sens_kpi_file") != upload.file_id:
        try:
            st.session_state["state_kpis"] = parse_state_kpis(
                upload.getvalue(), model.config, upload.name
            )
            st.session_state["sens_kpi_file"] = upload.file_id
        except ScoringInputError as exc:
            show_problems(exc, t("sensitivity.upload_error"))
            st.caption(t("sensitivity.kept_previous"))
    kpis = st.session_state.get("state_kpis")
    if kpis is None:
        return
    st.success(t("sensitivity.kpis_loaded", count=len(kpis)))
    try:
        fit = fit_weights(kpis, model.data.ranking, model.config)
    except ScoringInputError as exc:
        show_problems(exc, t("sensitivity.error"))
        return
    st.subheader(t("sensitivity.fit_title"))
    st.dataframe(
        pd.DataFrame(
            {
                t("sensitivity.fit_kpi"): [kpi_label(model, k.id) for k in model.config.kpis],
                t("sensitivity.fit_current"): [fmt_num(w, 1) for w in model.weights],
                t("sensitivity.fit_fitted"): [fmt_num(w, 1) for w in fit.weights],
            }
        ),
        hide_index=True,
    )
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
    c1, c2 = st.columns(2)
    if c1.button(t("sensitivity.use_fitted"), key="sens_use_fitted"):
        st.session_state["weights_override"] = dict(
            zip([k.id for k in model.config.kpis], fit.weights.round(4).tolist(), strict=True)
        )
        st.success(t("sensitivity.fitted_in_use"))
    c2.download_button(
        t("sensitivity.download_fitted"),
        dump_config(fit.as_config(model.config)),
        file_name="kpis_fitted.yaml",
        mime="application/x-yaml",
        key="sens_download_fitted",
    )
    others = kpis[kpis["state"] != model.focus_state]
    covered = category_fully_covered(others, model.others, model.focus_category)
    if not covered:
        st.caption(t("sensitivity.full_mode_unavailable", category=model.focus_category))
    st.toggle(t("sensitivity.full_mode"), key="full_mode", disabled=not covered)


def _date_in(name: str) -> dt.date | None:
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", name)
    if not found:
        return None
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        return None


def history_frame(model: Model) -> pd.DataFrame:
    months = {model.data.as_of: model.data.ranking}
    for iso, frame in (st.session_state.get("history_months") or {}).items():
        months[dt.date.fromisoformat(iso)] = frame
    return combine_months(sorted(months.items(), key=lambda item: item[0]))


def history_tab(model: Model) -> None:
    st.caption(t("sensitivity.history_explain"))
    uploads = st.file_uploader(
        t("sensitivity.upload_history"),
        type=["csv"],
        accept_multiple_files=True,
        key="sens_history_upload",
    )
    stored: dict[str, pd.DataFrame] = dict(st.session_state.get("history_months") or {})
    for upload in uploads or []:
        try:
            frame = read_table(upload.getvalue(), upload.name)
            as_of = _date_in(upload.name)
            if "as_of" in frame.columns and frame["as_of"].nunique() == 1:
                as_of = _date_in(str(frame["as_of"].iloc[0])) or as_of
            if as_of is None:
                st.error(t("sensitivity.no_date", name=upload.name))
                continue
            ranking = parse_ranking(frame, upload.name, [c.id for c in model.config.categories])
            if as_of != model.data.as_of:
                stored[as_of.isoformat()] = ranking
        except ScoringInputError as exc:
            show_problems(exc, t("sensitivity.upload_error"))
    st.session_state["history_months"] = stored
    long = history_frame(model)
    dates = sorted({d.isoformat() for d in long["as_of"]})
    st.caption(t("sensitivity.months_loaded", months=", ".join(dates)))
    if stored and st.button(t("sensitivity.clear_history"), key="sens_history_clear"):
        st.session_state["history_months"] = {}
        st.rerun()
    if len(dates) < 2:
        st.info(t("sensitivity.one_month"))
    else:
        categories = sorted(long["category"].unique())
        category = st.selectbox(
            t("sensitivity.history_category"),
            categories,
            index=categories.index(model.focus_category),
            key="sens_history_category",
        )
        show_chart(
            rank_history_chart(
                long[long["category"] == category],
                model.focus_state,
                title=t("sensitivity.history_title", category=category),
                date_title=t("sensitivity.date_axis"),
                rank_title=t("sensitivity.rank_axis"),
            ),
            width="stretch",
        )
    pace_section(model)


def pace_section(model: Model) -> None:
    st.subheader(t("sensitivity.pace_title"))
    snapshots = load_bihar_history()
    so_far = pace(snapshots)
    courses = model.config.scenario.courses_per_completer
    st.caption(
        t(
            "sensitivity.pace_explain",
            start=fmt_num(so_far.start_values["completions"]),
            onboarded=fmt_num(so_far.start_values["onboarded"]),
            end=fmt_num(so_far.end_values["completions"]),
            pace=fmt_num(so_far.per_month["completions"]),
            courses=fmt_num(courses, 1),
        )
    )
    rank = st.selectbox(
        t("sensitivity.pace_rank"),
        list(range(1, len(model.others) + 1)),
        index=4,
        key="sens_pace_rank",
    )
    goal = goal_seek(model, GoalTarget(rank=int(rank)))
    deadline = model.config.deadline
    rows = [
        {"as_of": d, "completions": c, "series": t("sensitivity.pace_series_actual")}
        for d, c in zip(snapshots["as_of"], snapshots["completions"], strict=True)
    ]
    end = so_far.end_values["completions"]
    horizon = months_between(so_far.end, deadline)
    rows += [
        {"as_of": so_far.end, "completions": end, "series": t("sensitivity.pace_series_trend")},
        {
            "as_of": deadline,
            "completions": end + so_far.per_month["completions"] * horizon,
            "series": t("sensitivity.pace_series_trend"),
        },
    ]
    if not goal.reachable:
        st.warning(t("sensitivity.pace_unreachable", rank=rank))
    elif goal.already_met:
        st.info(t("sensitivity.pace_already", rank=rank))
    else:
        needed = needed_completions_per_month(goal.extra_completers, courses, goal.days)
        st.info(
            t(
                "sensitivity.pace_needed",
                rank=rank,
                needed=fmt_num(needed),
                deadline=local_date(deadline),
                ratio=fmt_num(needed / so_far.per_month["completions"], 1),
            )
        )
        rows += [
            {
                "as_of": so_far.end,
                "completions": end,
                "series": t("sensitivity.pace_series_needed"),
            },
            {
                "as_of": deadline,
                "completions": end + needed * horizon,
                "series": t("sensitivity.pace_series_needed"),
            },
        ]
    frame = pd.DataFrame(rows)
    frame["lakh"] = frame["completions"] / LAKH
    show_chart(
        pace_chart(
            frame,
            date_title=t("sensitivity.date_axis"),
            value_title=t("sensitivity.completions_axis"),
        ),
        width="stretch",
    )


st.title(t("sensitivity.title"))
try:
    model = current_model()
    plain_model = current_model(with_drift=False)
    scenario = current_scenario()
    added = lever_additions(model.data.departments, scenario.levers).added
except ScoringInputError as exc:
    show_problems(exc, t("sensitivity.error"))
    st.stop()
st.write(t("sensitivity.intro", deadline=local_date(model.config.deadline)))
if scenario.levers:
    st.caption(t("sensitivity.scenario_note", completers=fmt_num(added.sum())))
else:
    st.info(t("sensitivity.no_scenario"))
tabs = st.tabs(
    [
        t(f"sensitivity.tab_{name}")
        for name in ("weights", "matters", "peers", "calibration", "history")
    ]
)
with tabs[0]:
    weights_tab(model, added)
with tabs[1]:
    matters_tab(model, added)
with tabs[2]:
    peers_tab(plain_model)
with tabs[3]:
    calibration_tab(plain_model)
with tabs[4]:
    history_tab(plain_model)
