"""Scenarios: save, reopen, rename, delete and compare scenarios; share links; briefings."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_ui.charts import FOCUS_COLOUR, OTHER_COLOUR, PUBLISHED_COLOUR
from app_ui.export.briefing import briefing_html, plan_csv, plan_xlsx
from app_ui.export.images import download_buttons
from app_ui.l10n import fmt_delta, fmt_num, local_date, t
from app_ui.links import apply_state, current_state, share_box
from app_ui.presenter import show_chart
from app_ui.services import config_from_text, current_model, current_scenario, dataset, plain_model
from app_ui.text import plain
from scoring.calibration import with_full_mode
from scoring.drift import with_peer_drift
from scoring.engine import Model, SimulationResult, simulate
from scoring.errors import ScoringInputError
from scoring.goal import GoalResult
from scoring.scenario import Lever, LeverKind, Scenario
from scoring.share import ScenarioState
from scoring.store import SavedScenario, ScenarioStore, default_path

MESSAGE = "scn_message"  # owned by this page: (kind, text) shown once after a callback
CONFIRM = "scn_confirm_delete"  # owned by this page: id of the scenario awaiting confirmation


@st.cache_resource(max_entries=4, show_spinner=False)
def _store(path: str) -> ScenarioStore:
    return ScenarioStore(Path(path))


def store() -> ScenarioStore:
    return _store(str(default_path()))


@dataclass(frozen=True)
class Evaluated:
    saved: SavedScenario
    result: SimulationResult | None
    problem: str


def _model_for(state: ScenarioState) -> Model:
    """The model a saved scenario runs under: its weights and assumptions on the session's data,
    with the session's full mode and peer drift, exactly as the simulator would show it."""
    config = config_from_text(st.session_state.get("config_yaml"))
    if state.weights:
        config = config.with_weights(state.weights)
    if state.assumptions:
        config = config.with_assumptions(**state.assumptions)
    data = dataset()
    model = plain_model(config, data)
    state_kpis = st.session_state.get("state_kpis")
    if st.session_state.get("full_mode") and state_kpis is not None:
        model = with_full_mode(model, state_kpis)
    drift = st.session_state.get("peer_drift")
    if drift:
        model = with_peer_drift(model, drift)
    return model


def _evaluate(saved: SavedScenario) -> Evaluated:
    try:
        levers = tuple(Lever(lv.target, LeverKind(lv.kind), lv.value) for lv in saved.state.levers)
        result = simulate(_model_for(saved.state), Scenario(levers))
    except ScoringInputError as exc:
        return Evaluated(saved, None, "; ".join(exc.problems))
    return Evaluated(saved, result, "")


def _levers_summary(state: ScenarioState) -> str:
    if not state.levers:
        return t("scenarios.no_levers")
    first = state.levers[0]
    text = (
        t("scenarios.lever_add", target=first.target, value=fmt_num(first.value))
        if first.kind == LeverKind.ADD.value
        else t(
            "scenarios.lever_reach",
            target=first.target,
            value=fmt_num(first.value, 0 if first.value.is_integer() else 1),
        )
    )
    if len(state.levers) > 1:
        text += t("scenarios.more_levers", count=len(state.levers) - 1)
    extras = []
    if state.assumptions:
        extras.append(t("scenarios.own_assumptions"))
    if state.weights:
        extras.append(t("scenarios.own_weights"))
    return text + (f" ({', '.join(extras)})" if extras else "")


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (kind, text)


# --- callbacks ------------------------------------------------------------------------------


def _on_save() -> None:
    name = st.session_state.get("scn_name", "")
    try:
        state = current_state()
        existed = store().get_by_name(str(name).strip()) is not None
        saved = store().save(name, state)
    except ScoringInputError as exc:
        _say("error", t("scenarios.save_failed", problem="; ".join(exc.problems)))
        return
    key = "scenarios.replaced" if existed else "scenarios.saved"
    _say("success", t(key, name=saved.name))
    st.session_state["scn_name"] = ""
    st.session_state["scn_pick"] = saved.id


def _on_open(scenario_id: int) -> None:
    saved = store().get(scenario_id)
    if saved is None:
        _say("error", t("scenarios.gone"))
        return
    try:
        apply_state(saved.state)
    except ScoringInputError as exc:
        _say("error", t("scenarios.open_failed", problem="; ".join(exc.problems)))
        return
    _say("success", t("scenarios.opened", name=saved.name))
    st.session_state["scn_opened"] = True


def _on_rename(scenario_id: int) -> None:
    new_name = st.session_state.get("scn_new_name", "")
    try:
        store().rename(scenario_id, new_name)
    except ScoringInputError as exc:
        _say("error", t("scenarios.rename_failed", problem="; ".join(exc.problems)))
        return
    _say("success", t("scenarios.renamed"))
    st.session_state["scn_new_name"] = ""


def _on_delete(scenario_id: int) -> None:
    st.session_state[CONFIRM] = scenario_id


def _on_delete_confirm(scenario_id: int) -> None:
    store().delete(scenario_id)
    st.session_state[CONFIRM] = None
    compare = st.session_state.get("scn_compare") or []
    st.session_state["scn_compare"] = [i for i in compare if i != scenario_id]
    _say("success", t("scenarios.deleted"))


def _on_delete_cancel() -> None:
    st.session_state[CONFIRM] = None


# --- sections -------------------------------------------------------------------------------


def _message() -> None:
    shown = st.session_state.pop(MESSAGE, None)
    if not shown:
        return
    kind, text = shown
    # Messages can quote a scenario name: Markdown is escaped so a name stays plain text.
    getattr(st, kind)(plain(text))


def _save_section() -> None:
    st.subheader(t("scenarios.save_heading"))
    st.caption(t("scenarios.save_intro"))
    name_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
    name_col.text_input(
        t("scenarios.name"),
        key="scn_name",
        max_chars=120,
        placeholder=t("scenarios.name_placeholder"),
    )
    button_col.button(
        t("scenarios.save"), key="scn_save", on_click=_on_save, type="primary", width="stretch"
    )


def _list_section(evaluated: list[Evaluated], count: int) -> None:
    st.subheader(t("scenarios.list_heading"))
    if not evaluated:
        st.info(t("scenarios.none_saved"))
        return
    name, levers, score, rank, extra, updated = (
        t("scenarios.col_name"),
        t("scenarios.col_levers"),
        t("scenarios.col_score"),
        t("scenarios.col_rank"),
        t("scenarios.col_extra"),
        t("scenarios.col_updated"),
    )
    frame = pd.DataFrame(
        {
            name: [e.saved.name for e in evaluated],
            levers: [_levers_summary(e.saved.state) for e in evaluated],
            score: [fmt_num(e.result.score, 2) if e.result else "-" for e in evaluated],
            rank: [
                t("scenarios.rank_value", rank=e.result.rank, count=count) if e.result else "-"
                for e in evaluated
            ],
            extra: [fmt_num(e.result.extra_completers) if e.result else "-" for e in evaluated],
            updated: [e.saved.updated_at.replace("T", " ")[:16] for e in evaluated],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key="scn_table",
        column_config={
            name: st.column_config.TextColumn(width="medium"),
            levers: st.column_config.TextColumn(width="large"),
        },
    )
    for e in evaluated:
        if e.problem:
            st.warning(plain(t("scenarios.cannot_run", name=e.saved.name, problem=e.problem)))


def _manage_section(evaluated: list[Evaluated]) -> None:
    if not evaluated:
        return
    names = {e.saved.id: e.saved.name for e in evaluated}
    ids = list(names)
    if st.session_state.get("scn_pick") not in ids:
        st.session_state["scn_pick"] = ids[0]
    pick_col, rename_box = st.columns([1, 1], gap="large", vertical_alignment="top")
    pick_col.selectbox(
        t("scenarios.pick"), ids, format_func=lambda i: names.get(i, str(i)), key="scn_pick"
    )
    chosen = int(st.session_state["scn_pick"])
    open_col, delete_col = pick_col.columns(2)
    open_col.button(
        t("scenarios.open"),
        key="scn_open",
        on_click=_on_open,
        args=(chosen,),
        type="primary",
        icon=":material/open_in_new:",
        width="stretch",
    )
    delete_col.button(
        t("scenarios.delete"),
        key="scn_delete",
        on_click=_on_delete,
        args=(chosen,),
        icon=":material/delete:",
        width="stretch",
    )
    name_col, rename_col = rename_box.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(t("scenarios.new_name"), key="scn_new_name", max_chars=120)
    rename_col.button(
        t("scenarios.rename"),
        key="scn_rename",
        on_click=_on_rename,
        args=(chosen,),
        icon=":material/edit:",
        width="stretch",
    )
    if st.session_state.get(CONFIRM) is not None:
        pending = st.session_state[CONFIRM]
        if pending not in names:
            st.session_state[CONFIRM] = None
        else:
            with pick_col.container(border=True):
                st.warning(t("scenarios.confirm_delete"), icon=":material/warning:")
                st.text(names[pending])
                yes, no = st.columns(2)
                yes.button(
                    t("scenarios.delete_yes"),
                    key="scn_delete_confirm",
                    on_click=_on_delete_confirm,
                    args=(pending,),
                    type="primary",
                    width="stretch",
                )
                no.button(
                    t("scenarios.delete_no"),
                    key="scn_delete_cancel",
                    on_click=_on_delete_cancel,
                    width="stretch",
                )
    if st.session_state.pop("scn_opened", False):
        simulator = st.Page(str(Path(__file__).with_name("simulator.py")))
        with contextlib.suppress(StreamlitAPIException):  # simulator not in this navigation
            st.page_link(simulator, label=t("scenarios.go_simulator"), icon=":material/tune:")


def compare_chart(frame: pd.DataFrame, model: Model) -> alt.LayerChart:
    """The category's ranking with each compared scenario inserted as its own bar, so a reader sees
    at once which states each scenario passes. `frame` holds `name`, `score` and `rank_text`."""
    states = model.others[["state", "score"]].rename(columns={"state": "label"})
    rows = pd.concat(
        [
            states.assign(
                kind=t("common.other_states"), text=[fmt_num(v, 2) for v in states["score"]]
            ),
            pd.DataFrame(
                {
                    "label": [t("scenarios.chart_published", state=model.focus_state)],
                    "score": [model.published_score],
                    "kind": [t("common.published_score")],
                    "text": [fmt_num(model.published_score, 2)],
                }
            ),
            pd.DataFrame(
                {
                    "label": [t("scenarios.chart_scenario", name=n) for n in frame["name"]],
                    "score": frame["score"].astype(float),
                    "kind": t("scenarios.chart_kind"),
                    "text": [
                        f"{fmt_num(v, 2)} · {r}"
                        for v, r in zip(frame["score"], frame["rank_text"], strict=True)
                    ],
                }
            ),
        ],
        ignore_index=True,
    ).sort_values("score", ascending=False, kind="stable")
    domain = [t("scenarios.chart_kind"), t("common.published_score"), t("common.other_states")]
    top = max(100.0, float(rows["score"].max()) * 1.1)
    y = alt.Y(
        "label:N",
        sort=rows["label"].tolist(),
        title=None,
        axis=alt.Axis(labelLimit=320, labelFontSize=12),
    )
    x = alt.X("score:Q", title=t("common.score"), scale=alt.Scale(domain=[0, top], nice=False))
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=domain, range=[FOCUS_COLOUR, PUBLISHED_COLOUR, OTHER_COLOUR]),
        legend=alt.Legend(title=None, orient="bottom"),
    )
    base = alt.Chart(rows)
    bars = base.mark_bar(cornerRadiusEnd=2).encode(
        y=y,
        x=x,
        color=colour,
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("text:N", title=t("common.score")),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#333333").encode(
        y=y, x=x, text="text:N"
    )
    return (bars + labels).properties(
        title=t("scenarios.compare_title", category=model.focus_category),
        height=alt.Step(26),
    )


def _compare_section(evaluated: list[Evaluated], count: int) -> None:
    st.subheader(t("scenarios.compare_heading"))
    runnable = {e.saved.id: e for e in evaluated if e.result is not None}
    if len(runnable) < 2:
        st.caption(t("scenarios.compare_need_two"))
        return
    kept = [i for i in st.session_state.get("scn_compare") or [] if i in runnable]
    st.session_state["scn_compare"] = kept
    st.multiselect(
        t("scenarios.compare_pick"),
        list(runnable),
        format_func=lambda i: runnable[i].saved.name if i in runnable else str(i),
        key="scn_compare",
        max_selections=3,
        placeholder=t("scenarios.compare_placeholder"),
    )
    chosen = [runnable[i] for i in st.session_state["scn_compare"]]
    if len(chosen) < 2:
        st.caption(t("scenarios.compare_need_two"))
        return
    cols = st.columns(len(chosen))
    for col, e in zip(cols, chosen, strict=True):
        assert e.result is not None
        with col.container(border=True):
            st.text(e.saved.name)
            st.metric(
                t("scenarios.col_score"),
                fmt_num(e.result.score, 2),
                delta=fmt_delta(e.result.score - e.result.baseline_score),
            )
            st.metric(
                t("scenarios.col_rank"), t("scenarios.rank_value", rank=e.result.rank, count=count)
            )
            st.metric(t("scenarios.col_extra"), fmt_num(e.result.extra_completers))
    frame = pd.DataFrame(
        {
            "name": [e.saved.name for e in chosen],
            "score": [e.result.score for e in chosen if e.result is not None],
            "rank_text": [
                t("scenarios.rank_value", rank=e.result.rank, count=count)
                for e in chosen
                if e.result is not None
            ],
        }
    )
    model = current_model()
    data_date = t("export.data_date", date=local_date(model.data.as_of))
    chart = compare_chart(frame, model)
    show_chart(chart, width="stretch", key="scn_compare_chart")
    st.caption(t("scenarios.compare_caption"))
    download_buttons(
        chart,
        t("scenarios.compare_title", category=model.focus_category),
        "scn_compare_export",
        data_date,
    )


def _goal(stored: object) -> GoalResult | None:
    """The simulator keeps {"rank"|"beat", "model", "result"}; a bare GoalResult is accepted too."""
    if isinstance(stored, GoalResult):
        return stored
    if isinstance(stored, dict) and isinstance(stored.get("result"), GoalResult):
        return stored["result"]
    return None


def _briefing_section() -> None:
    st.subheader(t("scenarios.briefing_heading"))
    st.caption(t("scenarios.briefing_intro"))
    lang = st.session_state.get("lang", "en")
    try:
        model = current_model()
        result = simulate(model, current_scenario())
    except ScoringInputError as exc:
        st.warning(plain(t("scenarios.briefing_failed", problem="; ".join(exc.problems))))
        return
    goal = _goal(st.session_state.get("goal_result"))
    assumptions = model.config.scenario.model_dump(mode="json")
    stamp = model.data.as_of.isoformat()
    cols = st.columns(3)
    cols[0].download_button(
        t("scenarios.briefing_download"),
        data=lambda: briefing_html(lang, model, result, goal, assumptions).encode("utf-8"),
        file_name=f"briefing-{model.focus_state.lower()}-{stamp}-{lang}.html",
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
        file_name=f"plan-{model.focus_state.lower()}-{stamp}.csv",
        mime="text/csv",
        key="scn_plan_csv",
        on_click="ignore",
        icon=":material/table:",
    )
    cols[2].download_button(
        t("scenarios.plan_xlsx"),
        data=lambda: plan_xlsx(goal, lang),
        file_name=f"plan-{model.focus_state.lower()}-{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="scn_plan_xlsx",
        on_click="ignore",
        icon=":material/grid_on:",
    )
    st.caption(
        t(
            "scenarios.briefing_plan",
            extra=fmt_num(goal.extra_completers),
            units=fmt_num(len(goal.plan)),
        )
    )


def main() -> None:
    st.title(t("scenarios.title"))
    st.caption(t("scenarios.intro"))
    st.session_state.setdefault(CONFIRM, None)
    the_store = store()
    if the_store.recovered_from is not None:
        st.warning(plain(t("scenarios.recovered", file=the_store.recovered_from.name)))
    _message()
    _save_section()
    try:
        saved = the_store.list()
    except ScoringInputError:
        saved = []
        st.error(t("scenarios.list_failed"))
    evaluated = [_evaluate(s) for s in saved]
    count = len(current_model().others) + 1
    _list_section(evaluated, count)
    _manage_section(evaluated)
    _compare_section(evaluated, count)
    st.subheader(t("scenarios.share_heading"))
    share_box()
    _briefing_section()


main()
