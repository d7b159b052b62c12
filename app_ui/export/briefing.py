"""A one-file HTML briefing of a scenario (offline, printable), and goal-seek plans as CSV/Excel."""

from __future__ import annotations

import csv
import functools
import html
import io
import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from app_ui.charts import ranking_chart
from app_ui.export.images import chart_svg
from app_ui.i18n import date_text, goal_reason_text, translate
from app_ui.l10n import fmt_delta, fmt_num, fmt_pct
from scoring.engine import Model, SimulationResult
from scoring.goal import GoalResult

MAX_PLAN_ROWS = 300  # the full plan is in the CSV/Excel files; the briefing stays readable
# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SVG_NAMESPACES = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')

CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans","Noto Sans Devanagari",system-ui,sans-serif;color:#222;
 margin:0;background:#f4f5f7;line-height:1.45}
main{max-width:980px;margin:0 auto;padding:28px 32px 40px;background:#fff}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid #e4572e}
p.meta{color:#555;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{flex:1 1 200px;border:1px solid #ddd;border-radius:8px;padding:12px 16px;background:#fafafa}
.card .label{font-size:.85rem;color:#555}
.card .value{font-size:1.6rem;font-weight:700}
.card .delta{font-size:.9rem;color:#2e7d32}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e3e3e3;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f1f3}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.chart{margin:8px 0;overflow-x:auto}
.chart svg{width:100%;max-width:760px;height:auto}
.caveat{background:#fff8e1;border-left:4px solid #f0b400;padding:10px 14px;font-size:.9rem}
.note{color:#555;font-size:.85rem}
@media print{body{background:#fff}main{padding:0}}
"""


def _e(value: object) -> str:
    """Every name or value from data or users goes through here before it reaches the page."""
    return html.escape(str(value), quote=True)


def _translator(lang: str) -> Callable[..., str]:
    return functools.partial(translate, lang)


def _inline_svg(svg: bytes) -> str:
    """An SVG for inlining in HTML: namespace declarations are not needed there."""
    text = svg.decode("utf-8")
    head, sep, rest = text.partition(">")
    return _SVG_NAMESPACES.sub("", head) + sep + rest


def _table(headers: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """A table from already-escaped cells; headers as (text, is_numeric)."""
    head = "".join(f'<th class="num">{h}</th>' if num else f"<th>{h}</th>" for h, num in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if headers[i][1] else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _kpi_value(value: float, kind: str) -> str:
    return fmt_pct(value, 2) if kind == "ratio" else fmt_num(value, 2)


def _assumption_rows(lang: str, assumptions: Mapping[str, Any]) -> list[list[str]]:
    t = _translator(lang)
    rows = []
    for key in (
        "courses_per_completer",
        "hours_per_course",
        "from_inactive",
        "enrolments_per_course",
        "activation_ceiling",
    ):
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
        rows.append([_e(t(f"export.assumption.{key}")), _e(shown)])
    return rows


def _goal_section(lang: str, goal: GoalResult) -> str:
    t = _translator(lang)
    target = (
        t("export.goal_rank", rank=goal.target.rank)
        if goal.target.rank is not None
        else t("export.goal_beat", state=(goal.target.beat or "").upper())
    )
    parts = [f"<h2>{_e(t('export.goal_heading'))}</h2>"]
    if goal.already_met:
        parts.append(f"<p>{_e(t('export.goal_met', goal=target))}</p>")
        return "".join(parts)
    if not goal.reachable:
        reason = goal_reason_text(lang, goal)
        parts.append(f"<p>{_e(t('export.goal_unreachable', goal=target, reason=reason))}</p>")
        return "".join(parts)
    parts.append(
        "<p>"
        + _e(
            t(
                "export.goal_summary",
                goal=target,
                extra=fmt_num(goal.extra_completers),
                units=fmt_num(len(goal.plan)),
                score=fmt_num(goal.score, 2),
                rank=goal.rank,
                needed=fmt_num(goal.needed_score, 2),
            )
        )
        + "</p><p>"
        + _e(
            t(
                "export.goal_pace",
                per_day=fmt_num(goal.per_day),
                until=date_text(lang, goal.until),
                days=fmt_num(goal.days),
            )
        )
        + "</p>"
    )
    plan = goal.plan.head(MAX_PLAN_ROWS)
    rows = [
        [_e(r.mdo), _e(r.department), _e(fmt_num(int(r.extra_completers)))]
        for r in plan.itertuples()
    ]
    parts.append(
        _table(
            [
                (_e(t("export.plan_mdo")), False),
                (_e(t("export.plan_department")), False),
                (_e(t("export.plan_extra")), True),
            ],
            rows,
        )
    )
    if len(goal.plan) > MAX_PLAN_ROWS:
        more = len(goal.plan) - MAX_PLAN_ROWS
        parts.append(f'<p class="note">{_e(t("export.plan_more", count=fmt_num(more)))}</p>')
    return "".join(parts)


def briefing_html(
    lang: str,
    model: Model,
    result: SimulationResult,
    goal_result: GoalResult | None,
    assumptions: Mapping[str, Any] | None,
    *,
    scenario_name: str | None = None,
) -> str:
    """One self-contained HTML page: inline CSS and SVG, no script, no external resource."""
    t = _translator(lang)
    as_of = date_text(lang, model.data.as_of)
    data_date = t("export.data_date", date=as_of)
    count = len(result.category_table)
    if assumptions is None:
        assumptions = model.config.scenario.model_dump(mode="json")
    kinds = {spec.id: spec.subscore.kind.value for spec in model.config.kpis}

    title = t("export.briefing_title", state=result.state)
    parts = [
        "<!doctype html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        # No resource may be fetched: only inline styles and images are allowed.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{_e(title)}</h1>",
    ]
    meta = [data_date, t("export.category", category=result.category)]
    if scenario_name:
        meta.insert(0, t("export.scenario_name", name=scenario_name))
    parts.append(f'<p class="meta">{" · ".join(_e(m) for m in meta)}</p>')

    # Key numbers.
    delta = result.score - result.baseline_score
    cards = [
        (
            t("export.score"),
            fmt_num(result.score, 2),
            t(
                "export.score_before",
                score=fmt_num(result.baseline_score, 2),
                delta=fmt_delta(delta),
            ),
        ),
        (
            t("export.rank"),
            t("export.rank_value", rank=result.rank, count=count),
            t("export.rank_before", rank=result.baseline_rank, count=count),
        ),
        (t("export.extra"), fmt_num(result.extra_completers), t("export.extra_note")),
    ]
    parts.append(f'<h2>{_e(t("export.key_numbers"))}</h2><div class="cards">')
    for label, value, note in cards:
        parts.append(
            f'<div class="card"><div class="label">{_e(label)}</div>'
            f'<div class="value">{_e(value)}</div><div class="delta">{_e(note)}</div></div>'
        )
    parts.append("</div>")

    # Levers.
    parts.append(f"<h2>{_e(t('export.levers_heading'))}</h2>")
    outcomes = result.additions.outcomes
    if outcomes:
        rows = [
            [
                _e(o.target.label),
                _e(
                    t("export.lever_add", value=fmt_num(o.lever.value))
                    if o.lever.kind.value == "add"
                    else t(
                        "export.lever_reach",
                        value=fmt_num(o.lever.value, 0 if float(o.lever.value).is_integer() else 1),
                    )
                ),
                _e(fmt_num(o.applied)),
            ]
            for o in outcomes
        ]
        parts.append(
            _table(
                [
                    (_e(t("export.lever_target")), False),
                    (_e(t("export.lever_kind")), False),
                    (_e(t("export.lever_applied")), True),
                ],
                rows,
            )
        )
    else:
        parts.append(f"<p>{_e(t('export.no_levers'))}</p>")

    # Ranking before and after.
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
    parts.append(f"<h2>{_e(t('export.ranking_heading'))}</h2>")
    parts.append(
        f'<div class="chart" role="img" aria-label="{_e(chart_title)}">'
        f"{_inline_svg(chart_svg(chart, chart_title, data_date))}</div>"
    )
    ranking_rows = [
        [
            _e(int(r.rank)),
            _e(r.state),
            _e(fmt_num(float(r.published_score), 2)),
            _e(fmt_num(float(r.score), 2)),
        ]
        for r in result.category_table.itertuples()
    ]
    parts.append(
        _table(
            [
                (_e(t("common.rank")), True),
                (_e(t("common.state")), False),
                (_e(t("common.published_score")), True),
                (_e(t("common.simulated_score")), True),
            ],
            ranking_rows,
        )
    )

    # KPI by KPI.
    parts.append(f"<h2>{_e(t('export.kpi_heading'))}</h2>")
    parts.append(f'<p class="note">{_e(t("export.kpi_intro"))}</p>')
    kpi_rows = [
        [
            _e(k.label_hi if lang == "hi" and k.label_hi else k.label_en),
            _e(t(f"common.pillar.{k.pillar}")),
            _e(_kpi_value(k.baseline, kinds.get(k.id, ""))),
            _e(_kpi_value(k.scenario, kinds.get(k.id, ""))),
            _e(fmt_delta(k.contribution, 2)),
        ]
        for k in sorted(result.kpis, key=lambda k: -k.contribution)
    ]
    total = sum(k.contribution for k in result.kpis)
    kpi_rows.append(
        [f"<strong>{_e(t('export.kpi_total'))}</strong>", "", "", "", _e(fmt_delta(total, 2))]
    )
    parts.append(
        _table(
            [
                (_e(t("export.kpi")), False),
                (_e(t("export.pillar")), False),
                (_e(t("export.kpi_baseline")), True),
                (_e(t("export.kpi_scenario")), True),
                (_e(t("export.kpi_points")), True),
            ],
            kpi_rows,
        )
    )

    if goal_result is not None:
        parts.append(_goal_section(lang, goal_result))

    parts.append(f"<h2>{_e(t('export.assumptions_heading'))}</h2>")
    parts.append(
        _table(
            [(_e(t("export.assumption_name")), False), (_e(t("export.assumption_value")), False)],
            _assumption_rows(lang, assumptions),
        )
    )
    parts.append(f"<h2>{_e(t('export.caveat_heading'))}</h2>")
    parts.append(f'<p class="caveat">{_e(t("common.caveat"))}</p>')
    parts.append(f'<p class="note">{_e(t("export.footer", date=as_of))}</p>')
    parts.append("</main></body></html>")
    return "\n".join(parts)


# --- goal-seek plan as files --------------------------------------------------------------


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


def _defuse(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def plan_csv(goal: GoalResult, lang: str = "en") -> bytes:
    """The plan as CSV (UTF-8 with a byte-order mark, so Excel reads Hindi correctly)."""
    frame = _plan_frame(goal, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_defuse(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def plan_xlsx(goal: GoalResult, lang: str = "en") -> bytes:
    """The plan as an Excel workbook; every name is stored as text, never as a formula."""
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
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise treat "=..." as a formula
    for column, width in zip("ABCD", (14, 48, 48, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
