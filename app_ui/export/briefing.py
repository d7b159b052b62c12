"""A one-file HTML briefing of a scenario (offline, printable, from a Jinja2 template with
autoescape), and goal-seek plans as CSV/Excel."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from app_ui.charts import ranking_chart
from app_ui.export.images import chart_svg
from app_ui.l10n import (
    date_text,
    fmt_delta,
    fmt_num,
    fmt_pct,
    goal_proof,
    goal_reason,
    translate,
)
from app_ui.views.chance import fmt_chance, margin_words
from scoring.chance import Chance
from scoring.config import KpiSpec
from scoring.engine import Model, SimulationResult
from scoring.goal import GoalResult
from scoring.safe_csv import defuse

MAX_PLAN_ROWS = 300  # the full plan is in the CSV/Excel files; the briefing stays readable
# Spreadsheet programs run a cell starting with one of these as a formula.
TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSUMPTIONS = (
    "courses_per_completer",
    "hours_per_course",
    "from_inactive",
    "enrolments_per_course",
    "activation_ceiling",
)
_SVG_NAMESPACES = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')


def _escaped(value: object) -> object:
    """Jinja2's finalize: every value not already markup is escaped with html.escape, whose
    &quot; for quotes reads better in the saved file than MarkupSafe's &#34; (autoescape then
    leaves the result alone, and still escapes anything a template builds otherwise)."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def _translator(lang: str) -> Callable[..., str]:
    return functools.partial(translate, lang)


def _inline_svg(svg: bytes) -> Markup:
    """An SVG for inlining in HTML (namespace declarations are not needed there). It is markup
    from vl-convert, which writes every text of the chart XML-escaped (tests/app/test_export)."""
    text = svg.decode("utf-8")
    head, sep, rest = text.partition(">")
    return Markup(_SVG_NAMESPACES.sub("", head) + sep + rest)


def _kpi_value(value: float, kind: str) -> str:
    return fmt_pct(value, 2) if kind == "ratio" else fmt_num(value, 2)


def _assumption_rows(lang: str, assumptions: Mapping[str, Any]) -> list[list[str]]:
    t = _translator(lang)
    rows = []
    for key in ASSUMPTIONS:
        if key not in assumptions:
            continue
        value = assumptions[key]
        if key == "hours_per_course" and value == "unit":
            shown = t("export.assumption_unit_hours")
        elif key == "from_inactive" and value == "proportional":
            shown = t("export.assumption_proportional")
        elif key in ("from_inactive", "activation_ceiling") and isinstance(value, int | float):
            shown = fmt_pct(float(value), 0)
        elif isinstance(value, int | float):
            shown = fmt_num(float(value), 2).rstrip("0").rstrip(".")
        else:
            shown = str(value)
        rows.append([t(f"export.assumption.{key}"), shown])
    return rows


@dataclass(frozen=True)
class _Card:
    label: str
    value: str
    note: str


@dataclass(frozen=True)
class _Goal:
    sentences: list[str]
    plan: list[list[str]]
    more: str


def _goal_phrase(lang: str, goal: GoalResult) -> str:
    """The goal as a noun phrase for "The goal (...)": "rank 5", "passing TAMIL NADU"."""
    if goal.target.rank is not None:
        return translate(lang, "export.goal_rank", rank=goal.target.rank)
    return translate(lang, "export.goal_beat", state=_state(lang, goal.target.beat or ""))


def _state(lang: str, state: str) -> str:
    return state.upper()  # as the ranking writes it


PlanChance = tuple[float, tuple[float, float]]  # share of plausible weightings, 95% interval


def _chance_card(lang: str, chance: Chance) -> _Card:
    """The chance of the scenario's rank, its interval and the margin (a tie said in words)."""
    t = _translator(lang)
    note = t(
        "chance.export_card_note",
        draws=fmt_num(chance.draws),
        rank=chance.rank,
        low=fmt_pct(chance.interval[0], 1),
        high=fmt_pct(chance.interval[1], 1),
    )
    words = margin_words(chance, t, lambda s: _state(lang, s))
    return _Card(t("chance.label"), fmt_chance(chance.chance), f"{note} {words}".strip())


def _plan_chance_sentence(lang: str, goal: GoalResult, chance: PlanChance) -> str:
    share, (low, high) = chance
    return translate(
        lang,
        "chance.plan_chance",
        chance=fmt_chance(share),
        low=fmt_pct(low, 1),
        high=fmt_pct(high, 1),
        margin=fmt_delta(goal.margin),
        needed=fmt_num(goal.needed_score, 2),
    )


def _goal(
    lang: str, goal: GoalResult, scenario: str | None, chance: PlanChance | None = None
) -> _Goal:
    t = _translator(lang)
    target = _goal_phrase(lang, goal)
    for_scenario = [t("export.goal_for", name=scenario)] if scenario else []
    if goal.already_met:
        return _Goal([t("export.goal_met", goal=target), *for_scenario], [], "")
    if not goal.reachable:
        reason = goal_reason(goal, lang)
        return _Goal(
            [t("export.goal_unreachable", goal=target, reason=reason), *for_scenario], [], ""
        )
    figures = {
        "extra": fmt_num(goal.extra_completers),
        "units": fmt_num(len(goal.plan)),
        "score": fmt_num(goal.score, 2),
        "rank": goal.rank,
        "needed": fmt_num(goal.needed_score, 2),
    }
    # One sentence per kind of goal: "To reach rank 5: ..." / "To pass TAMIL NADU: ..." (a
    # shared "To reach {goal}" read "To reach passing TAMIL NADU").
    summary = (
        t("export.goal_summary_rank", target=goal.target.rank, **figures)
        if goal.target.rank is not None
        else t("export.goal_summary_beat", state=_state(lang, goal.target.beat or ""), **figures)
    )
    sentences = [
        summary,
        t(
            "export.goal_pace",
            per_day=fmt_num(goal.per_day),
            until=date_text(lang, goal.until),
            days=fmt_num(goal.days),
        ),
        *([_plan_chance_sentence(lang, goal, chance)] if chance is not None else []),
        *([goal_proof(goal, lang)] if goal.method != "robust" else []),
        *for_scenario,
    ]
    plan = [
        [str(r.mdo), str(r.department), fmt_num(int(r.extra_completers))]
        for r in goal.plan.head(MAX_PLAN_ROWS).itertuples()
    ]
    more = len(goal.plan) - MAX_PLAN_ROWS
    return _Goal(sentences, plan, t("export.plan_more", count=fmt_num(more)) if more > 0 else "")


def _weight_rows(lang: str, model: Model) -> list[list[str]]:
    """The KPI weights in use: KPI, pillar, weight and its share of the score."""
    total = sum(spec.weight for spec in model.config.kpis) or 1.0
    return [
        [
            _kpi_name(lang, spec),
            translate(lang, f"common.pillar.{spec.pillar.value}"),
            fmt_num(spec.weight, 2).rstrip("0").rstrip("."),
            fmt_pct(spec.weight / total, 1),
        ]
        for spec in model.config.kpis
    ]


def _kpi_name(lang: str, spec: KpiSpec) -> str:
    return spec.label.hi if lang == "hi" and spec.label.hi else spec.label.en


def _lever_text(lang: str, kind: str, value: float) -> str:
    if kind == "add":
        return translate(lang, "export.lever_add", value=fmt_num(value))
    decimals = 0 if float(value).is_integer() else 1
    return translate(lang, "export.lever_reach", value=fmt_num(value, decimals))


@dataclass(frozen=True)
class Provenance:
    """Where a briefing's scenario comes from: its saved name and when it was saved (ISO
    timestamp, UTC), if it is a saved scenario; whether the session's goal plan belongs to it
    (scoring.plan_scope) or was made for another scenario and is left out."""

    name: str | None = None
    saved_at: str | None = None
    plan_elsewhere: bool = False


def briefing_html(
    lang: str,
    model: Model,
    result: SimulationResult,
    goal_result: GoalResult | None,
    assumptions: Mapping[str, Any] | None,
    *,
    scenario_name: str | None = None,
    provenance: Provenance | None = None,
    made_on: dt.date | None = None,
    chance: Chance | None = None,
    goal_chance: PlanChance | None = None,
) -> str:
    """One self-contained HTML page: inline CSS and SVG, no script, no external resource.

    `goal_result` must belong to the scenario (the caller checks with scoring.plan_scope).
    `chance`: the chance of the scenario's rank over plausible weightings (a card beside the
    rank); `goal_chance`: the plan's chance of its goal (a sentence under the goal).
    """
    t = _translator(lang)
    provenance = provenance or Provenance(name=scenario_name)
    as_of = date_text(lang, model.data.as_of)
    data_date = t("export.data_date", date=as_of)
    count = len(result.category_table)
    if assumptions is None:
        assumptions = model.config.scenario.model_dump(mode="json")
    specs = {spec.id: spec for spec in model.config.kpis}
    meta = [data_date, t("export.category", category=result.category)]
    if provenance.name:
        saved = (
            t(
                "export.scenario_saved",
                name=provenance.name,
                date=date_text(lang, dt.date.fromisoformat(provenance.saved_at[:10])),
            )
            if provenance.saved_at
            else t("export.scenario_name", name=provenance.name)
        )
        meta.insert(0, saved)
    else:
        meta.insert(0, t("export.scenario_unsaved"))
    meta.append(t("export.made_on", date=date_text(lang, made_on or dt.date.today())))
    delta = result.score - result.baseline_score
    cards = [
        _Card(
            t("export.score"),
            fmt_num(result.score, 2),
            t(
                "export.score_before",
                score=fmt_num(result.baseline_score, 2),
                delta=fmt_delta(delta),
            ),
        ),
        _Card(
            t("export.rank"),
            t("export.rank_value", rank=result.rank, count=count),
            t("export.rank_before", rank=result.baseline_rank, count=count),
        ),
        *([_chance_card(lang, chance)] if chance is not None else []),
        _Card(t("export.extra"), fmt_num(result.extra_completers), t("export.extra_note")),
    ]
    levers = [
        [o.target.label, _lever_text(lang, o.lever.kind.value, o.lever.value), fmt_num(o.applied)]
        for o in result.additions.outcomes
    ]
    chart_title = t("export.ranking_title", category=result.category)
    chart = ranking_chart(
        result.category_table,
        result.state,
        title=chart_title,
        score_title=t("common.score"),
        focus_label=t("common.focus_state", state=result.state),
        other_label=t("common.other_states"),
        published_label=t("common.published_score"),
        simulated_label=t("common.simulated_score"),
    )
    ranking = [
        [
            str(int(r.rank)),
            str(r.state),
            fmt_num(float(r.published_score), 2),
            fmt_num(float(r.score), 2),
        ]
        for r in result.category_table.itertuples()
    ]
    kpis = []
    for k in sorted(result.kpis, key=lambda k: -k.contribution):
        spec = specs.get(k.id)
        kind = spec.subscore.kind.value if spec else ""
        name = _kpi_name(lang, spec) if spec else k.id
        kpis.append(
            [
                name,
                t(f"common.pillar.{k.pillar}"),
                _kpi_value(k.baseline, kind),
                _kpi_value(k.scenario, kind),
                fmt_delta(k.contribution, 2),
            ]
        )
    return (
        _environment()
        .get_template("briefing.html.j2")
        .render(
            t=t,
            lang=lang,
            title=t("export.briefing_title", state=result.state),
            meta=meta,
            cards=cards,
            levers=levers,
            chart_title=chart_title,
            chart_svg=_inline_svg(chart_svg(chart, chart_title, data_date)),
            ranking=ranking,
            kpis=kpis,
            kpi_total=fmt_delta(sum(k.contribution for k in result.kpis), 2),
            goal=(
                _goal(lang, goal_result, provenance.name, goal_chance)
                if goal_result is not None
                else None
            ),
            plan_elsewhere=provenance.plan_elsewhere and goal_result is None,
            weights=_weight_rows(lang, model),
            assumptions=_assumption_rows(lang, assumptions),
            footer=t("export.footer", date=as_of),
        )
    )


# --- goal-seek plan as files --------------------------------------------------------------
#
# The note that goes with a plan (the goal, the dates, the weights) is not put above the table:
# rows before the header make spreadsheets guess the header wrong and break sorting and
# filtering. The Excel file has it on a second sheet, "About"; the CSV, which has one table
# only, after the plan and one blank line, as Item,Value rows (a reader that stops at the first
# blank line gets the plan alone).


def _plan_frame(goal: GoalResult, lang: str) -> pd.DataFrame:
    t = _translator(lang)
    plan = goal.plan
    return pd.DataFrame(
        {
            t("export.plan_id"): plan["id"].astype(str),
            t("export.plan_department"): plan["department"].astype(str),
            t("export.plan_mdo"): plan["mdo"].astype(str),
            t("export.plan_extra"): plan["extra_completers"].astype(int),
        }
    )


@dataclass(frozen=True)
class PlanNote:
    """What a plan file says about itself: the model it was made under, the scenario it was
    made for (a saved name, if any) and the day the file was made."""

    model: Model
    scenario_name: str | None = None
    made_on: dt.date | None = None
    chance: PlanChance | None = None  # the plan's chance of its goal over plausible weightings


def _about_rows(goal: GoalResult, lang: str, note: PlanNote) -> list[tuple[str, str]]:
    t = _translator(lang)
    goal_text = _goal_phrase(lang, goal)
    rows = [(t("export.about_goal"), goal_text[:1].upper() + goal_text[1:])]
    if note.scenario_name:
        rows.append((t("export.about_goal_scenario"), note.scenario_name))
    rows += [
        (t("export.about_extra"), fmt_num(goal.extra_completers)),
        (t("chance.about_margin"), fmt_num(goal.margin, 2)),
        (t("chance.about_minimal"), t("chance.yes" if goal.optimal else "chance.no")),
        *(
            [
                (t("chance.about_chance"), fmt_pct(note.chance[0], 1)),
                (
                    t("chance.about_interval"),
                    f"{fmt_pct(note.chance[1][0], 1)} - {fmt_pct(note.chance[1][1], 1)}",
                ),
            ]
            if note.chance is not None
            else []
        ),
        (t("export.about_made"), (note.made_on or dt.date.today()).isoformat()),
        (t("export.about_data"), note.model.data.as_of.isoformat()),
    ]
    rows += [
        (t("export.about_weight", kpi=name), f"{weight} ({share})")
        for name, _pillar, weight, share in _weight_rows(lang, note.model)
    ]
    rows.append((t("export.about_defused"), ""))
    return rows


def plan_csv(goal: GoalResult, lang: str = "en", note: PlanNote | None = None) -> bytes:
    """The plan as CSV (UTF-8 with a byte-order mark, so Excel reads Hindi correctly), then,
    after one blank line, the note about it (`note`)."""
    t = _translator(lang)
    frame = _plan_frame(goal, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([defuse(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([defuse(v) for v in row])
    if note is not None:
        writer.writerow([])
        writer.writerow([t("export.about_item"), t("export.about_value")])
        for item, value in _about_rows(goal, lang, note):
            writer.writerow([defuse(item), defuse(value)])
    return out.getvalue().encode("utf-8-sig")


def plan_xlsx(goal: GoalResult, lang: str = "en", note: PlanNote | None = None) -> bytes:
    """The plan as an Excel workbook (every name stored as text, never as a formula), with the
    note about it (`note`) on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = _translator(lang)
    frame = _plan_frame(goal, lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("export.plan_sheet")[:31]
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([str(v) if isinstance(v, str) else int(v) for v in row])
    for column, width in zip("ABCD", (14, 48, 48, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    if note is not None:
        about = book.create_sheet(t("export.about_sheet")[:31])
        about.append([t("export.about_item"), t("export.about_value")])
        for cell in about[1]:
            cell.font = Font(bold=True)
        for item, value in _about_rows(goal, lang, note)[:-1]:  # no apostrophes are added here
            about.append([item, value])
        about.column_dimensions["A"].width = 48
        about.column_dimensions["B"].width = 40
    for each in book.worksheets:
        for row in each.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would otherwise treat "=..." as a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
