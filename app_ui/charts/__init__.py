"""Shared Altair chart builders; callers pass every shown text already translated."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Protocol

import altair as alt
import pandas as pd

from app_ui.l10n import fmt_num

# One palette for the whole app, so the focus state looks the same on every page and slide.
# Every colour keeps at least 3:1 against white (WCAG 2.1 1.4.11, graphics), and the focus
# colour 4.5:1, since it is also the theme's primary colour under white button text
# (.streamlit/config.toml); the earlier palette's grey (2.1:1), teal (2.3:1) and yellow (1.6:1)
# bars could hardly be told from the page.
FOCUS_COLOUR = "#b93d1c"  # 5.6:1
OTHER_COLOUR = "#4c78a8"  # 4.6:1
PUBLISHED_COLOUR = "#8c8480"  # 3.7:1
PILLAR_COLOURS = ["#4c78a8", "#2f8a84", "#9c4f8a", "#8a6447", "#a67c00"]  # 4.6, 4.1, 5.4, 5.3, 3.8
BAR_HEIGHT = 30
LAKH = 100_000
# Score axes tick to 100 at most: beyond it is room for bar labels, not a score.
SCORE_TICKS = list(range(0, 101, 10))

# --- Charts that redraw on every lever or weight change: cached Altair templates -------------
#
# Building the Altair objects and turning them into a Vega-Lite spec costs 30-60 ms a chart,
# most of a simulator rerun. Those charts are built with Altair once per set of shown texts, on
# a named data set; each rerun only attaches its rows, in well under a millisecond. Nothing in
# such a spec depends on the figures: the bar order comes from a `position` column and the
# value axis's extent from `x_low`/`x_high` columns drawn by an invisible rule. Between two
# lever changes the spec is therefore identical and the browser swaps the chart's data instead
# of building a new Vega view.

TABLE = "table"  # the name of the data set every template draws


class SpecSource(Protocol):
    """Anything that gives a Vega-Lite spec: an Altair chart or a filled template."""

    def to_dict(self, validate: bool = ...) -> dict[str, Any]: ...


def _copy(node: Any) -> Any:
    """A deep copy of a JSON-like spec (Streamlit edits the spec it is given)."""
    if isinstance(node, dict):
        return {key: _copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copy(value) for value in node]
    return node


class FilledChart:
    """A cached template plus one call's rows."""

    __slots__ = ("_records", "_template")

    def __init__(self, template: dict[str, Any], records: list[dict[str, Any]]) -> None:
        self._template = template
        self._records = records

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        """The full spec with the rows inline as the named data set. The template's shape is
        validated by the tests, not on every call."""
        spec: dict[str, Any] = _copy(self._template)
        spec["datasets"] = {TABLE: [dict(row) for row in self._records], **spec.get("datasets", {})}
        return spec


def _with_extent(rows: list[dict[str, Any]], low: float, high: float) -> list[dict[str, Any]]:
    for row in rows:
        row["x_low"], row["x_high"] = low, high
    return rows


def _extent_rule(value_title: str) -> alt.Chart:
    """An invisible rule from x_low to x_high: it stretches the shared value axis over that
    extent (room for the bar labels), whatever the figures, without changing the spec."""
    return (
        alt.Chart(alt.NamedData(name=TABLE))
        .mark_rule(opacity=0)
        .encode(x=alt.X("x_low:Q", title=value_title), x2="x_high:Q")
    )


def pillar_scale(pillars: Sequence[str]) -> alt.Scale:
    """Pillar colours by position in `pillars` (the config's order): a pillar keeps its colour
    whatever the sort of the bars or the language, and none is the focus-state colour."""
    colours = [PILLAR_COLOURS[i % len(PILLAR_COLOURS)] for i in range(len(pillars))]
    return alt.Scale(domain=list(pillars), range=colours)


def _pillar_order(frame: pd.DataFrame, pillars: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(pillars) if pillars is not None else tuple(dict.fromkeys(frame["pillar"]))


def _pillar_bars(
    data: alt.NamedData,
    y: alt.Y,
    x: alt.X,
    value_title: str,
    kpi_title: str,
    pillar_title: str,
    pillars: tuple[str, ...],
) -> tuple[alt.Chart, alt.Chart]:
    """KPI bars coloured by pillar with a `text` label at the end: shared by the KPI charts."""
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=y,
            x=x,
            color=alt.Color(
                "pillar:N",
                title=pillar_title,
                legend=alt.Legend(orient="bottom"),
                scale=pillar_scale(pillars),
                sort=list(pillars),
            ),
            tooltip=[
                alt.Tooltip("kpi:N", title=kpi_title),
                alt.Tooltip("pillar:N", title=pillar_title),
                alt.Tooltip("text:N", title=value_title),
            ],
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=12, color="#333333")
        .encode(y=y, x=x, text="text:N")
    )
    return bars, labels


def _rank_label(frame: pd.DataFrame, rank_column: str | None) -> pd.Series:
    if rank_column and rank_column in frame.columns:
        return frame[rank_column].astype(int).astype(str) + ". " + frame["state"].astype(str)
    return frame["state"].astype(str)


def ranking_chart(
    frame: pd.DataFrame,
    focus_state: str,
    *,
    title: str,
    score_title: str,
    state_title: str = "",
    focus_label: str = "",
    other_label: str = "",
    published_label: str | None = None,
    simulated_label: str | None = None,
    score_column: str = "score",
    rank_column: str | None = "rank",
    decimals: int = 2,
) -> FilledChart:
    """A category ranking as horizontal bars, best first, with the focus state highlighted.

    `frame` holds at least `state` and `score_column` (for example `category_table()` or a slice
    of the ranking), in the order to draw (best first). With both `published_label` and
    `simulated_label`, and a `published_score` column, each state gets two bars: the published
    score (grey) and the simulated score (coloured), so before and after can be read side by side.
    Labels on the axis read "8. BIHAR" when `rank_column` is present.
    """
    data = frame.reset_index(drop=True)
    labels = _rank_label(data, rank_column)
    states = data["state"].astype(str)
    is_focus = (states.str.upper() == focus_state.upper()).tolist()
    focus_label = focus_label or focus_state
    other_label = other_label or " "
    scores = data[score_column].astype(float).tolist()
    before_after = (
        published_label is not None
        and simulated_label is not None
        and "published_score" in data.columns
    )
    if before_after:
        assert published_label is not None and simulated_label is not None  # for mypy
        published = data["published_score"].astype(float).tolist()
        label_list, state_list = labels.tolist(), states.tolist()
        rows = [
            {"label": lab, "state": state, "value": v, "series": published_label, "order": 0}
            for lab, state, v in zip(label_list, state_list, published, strict=True)
        ] + [
            {
                "label": lab,
                "state": state,
                "value": v,
                "series": focus_label if f else simulated_label,
                "order": 1,
            }
            for lab, state, v, f in zip(label_list, state_list, scores, is_focus, strict=True)
        ]
        domain: tuple[str, ...] = (published_label, simulated_label, focus_label)
    else:
        rows = [
            {
                "label": lab,
                "state": state,
                "value": v,
                "series": focus_label if f else other_label,
                "order": 0,
            }
            for lab, state, v, f in zip(labels, states, scores, is_focus, strict=True)
        ]
        domain = (focus_label, other_label)
    positions = {label: i for i, label in enumerate(labels)}
    for row in rows:
        row["value_text"] = fmt_num(row["value"], decimals)
        row["position"] = positions[row["label"]]
    top = max(100.0, max((row["value"] for row in rows), default=0.0) * 1.08)
    template = _ranking_template(title, score_title, state_title, domain, before_after)
    return FilledChart(template, _with_extent(rows, 0.0, top))


@functools.lru_cache(maxsize=64)
def _ranking_template(
    title: str, score_title: str, state_title: str, domain: tuple[str, ...], before_after: bool
) -> dict[str, Any]:
    if before_after:
        colours = [PUBLISHED_COLOUR, OTHER_COLOUR, FOCUS_COLOUR]
        y_offset: alt.YOffset | None = alt.YOffset("order:O", sort="ascending")
        step = BAR_HEIGHT // 2  # with yOffset the step is per bar, two bars per state
    else:
        colours = [FOCUS_COLOUR, OTHER_COLOUR]
        y_offset = None
        step = BAR_HEIGHT
    y = alt.Y(
        "label:N",
        sort=alt.EncodingSortField("position", op="min"),
        title=state_title or None,
        axis=alt.Axis(labelLimit=260, labelFontSize=12),
    )
    x = alt.X(
        "value:Q", title=score_title, scale=alt.Scale(nice=False), axis=alt.Axis(values=SCORE_TICKS)
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=list(domain), range=colours),
        legend=alt.Legend(title=None, orient="bottom") if before_after else None,
    )
    tooltip = [
        alt.Tooltip("state:N", title=state_title or " "),
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("value_text:N", title=score_title),
    ]
    encodings = {"y": y, "x": x, "color": colour, "tooltip": tooltip}
    if y_offset is not None:
        encodings["yOffset"] = y_offset
    base = alt.Chart(alt.NamedData(name=TABLE))
    bars = base.mark_bar(cornerRadiusEnd=2).encode(**encodings)
    text_enc = {"y": y, "x": x, "text": alt.Text("value_text:N")}
    if y_offset is not None:
        text_enc["yOffset"] = y_offset
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#333333").encode(**text_enc)
    # A step (pixels per state), not a total height: Streamlit fits a fixed height around the
    # axes, title and legend too, which squeezes the bars to nothing.
    chart = (bars + labels + _extent_rule(score_title)).properties(
        title=title, height=alt.Step(step)
    )
    return chart.to_dict(validate=False)


def headroom_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    value_title: str,
    unit_title: str,
    series_labels: dict[str, str],
    name_column: str = "department",
) -> alt.Chart:
    """Grouped horizontal bars per unit (onboarded, active, with a completion), in lakh.

    `frame` holds `name_column` plus the columns named by `series_labels` (column -> shown
    label), already in the order to draw. Values are shown in lakh on the axis because Vega's
    number format knows no Indian grouping; the bar labels carry the exact Indian-grouped figure.
    """
    columns = list(series_labels)
    long = frame.melt(
        id_vars=[name_column], value_vars=columns, var_name="column", value_name="count"
    )
    long["series"] = long["column"].map(series_labels)
    long["order"] = long["column"].map({c: i for i, c in enumerate(columns)})
    long["lakh"] = long["count"].astype(float) / LAKH
    long["count_text"] = [fmt_num(v) for v in long["count"]]
    order = frame[name_column].tolist()
    y = alt.Y(
        f"{name_column}:N",
        sort=order,
        # No axis title: the chart's title names the units, and "Department" beside long names
        # was drawn over them. The tooltip still says what a bar is.
        title=None,
        axis=alt.Axis(labelLimit=300, labelFontSize=11),
    )
    x = alt.X("lakh:Q", title=value_title)
    y_offset = alt.YOffset("order:O")
    domain = [series_labels[c] for c in columns]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(
            domain=domain, range=[PUBLISHED_COLOUR, OTHER_COLOUR, FOCUS_COLOUR][: len(domain)]
        ),
        legend=alt.Legend(title=None, orient="bottom"),
        sort=domain,
    )
    tooltip = [
        alt.Tooltip(f"{name_column}:N", title=unit_title),
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("count_text:N", title=value_title),
    ]
    base = alt.Chart(long)
    bars = base.mark_bar().encode(y=y, x=x, yOffset=y_offset, color=colour, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(
        y=y, x=x, yOffset=y_offset, text="count_text:N"
    )
    # With yOffset the step is per bar: three bars per unit.
    return (bars + labels).properties(title=title, height=alt.Step(13))


def subscore_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    value_title: str,
    kpi_title: str,
    pillar_title: str,
) -> alt.Chart:
    """KPI sub-scores (0-100) as horizontal bars coloured by pillar.

    `frame` holds `kpi` (shown label), `pillar` (shown label) and `subscore`, in drawing order.
    """
    data = frame.copy()
    data["subscore_text"] = [fmt_num(v, 1) for v in data["subscore"]]
    pillars = list(_pillar_order(data, None))
    y = alt.Y("kpi:N", sort=data["kpi"].tolist(), title=None, axis=alt.Axis(labelLimit=320))
    x = alt.X("subscore:Q", title=value_title, scale=alt.Scale(domain=[0, 100]))
    colour = alt.Color(
        "pillar:N",
        title=pillar_title,
        legend=alt.Legend(orient="bottom"),
        scale=pillar_scale(pillars),
        sort=pillars,
    )
    tooltip = [
        alt.Tooltip("kpi:N", title=kpi_title),
        alt.Tooltip("pillar:N", title=pillar_title),
        alt.Tooltip("subscore_text:N", title=value_title),
    ]
    base = alt.Chart(data)
    bars = base.mark_bar().encode(y=y, x=x, color=colour, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(
        y=y, x=x, text="subscore_text:N"
    )
    return (bars + labels).properties(title=title, height=alt.Step(BAR_HEIGHT))


# --- Simulator and weights pages: what each KPI adds, where a goal-seek plan puts completers ---


def contribution_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    value_title: str,
    kpi_title: str,
    pillar_title: str,
    decimals: int = 2,
    pillars: Sequence[str] | None = None,
) -> FilledChart:
    """Points of the score each KPI adds (weight share x sub-score change), coloured by pillar.

    `frame` holds `kpi` (shown label), `pillar` (shown label) and `contribution`, in drawing
    order. Negative contributions draw to the left of zero. `pillars` (shown labels in the
    config's order) fixes the colours; by default the order of first appearance in `frame`.
    """
    values = frame["contribution"].astype(float).tolist()
    rows = [
        {
            "kpi": kpi,
            "pillar": pillar,
            "contribution": v,
            "text": ("+" if v > 0 else "") + fmt_num(v, decimals),
            "position": i,
        }
        for i, (kpi, pillar, v) in enumerate(
            zip(frame["kpi"], frame["pillar"], values, strict=True)
        )
    ]
    low = min([0.0, *values])
    high = max([0.0, *values])
    span = (high - low) or 1.0
    # Room right of the longest bar for its label, and a little left of a negative one.
    template = _kpi_bars_template(
        "contribution",
        title,
        value_title,
        kpi_title,
        pillar_title,
        _pillar_order(frame, pillars),
        zero_rule=True,
    )
    return FilledChart(
        template, _with_extent(rows, low - 0.05 * span * (low < 0), high + 0.25 * span)
    )


@functools.lru_cache(maxsize=64)
def _kpi_bars_template(
    value_field: str,
    title: str,
    value_title: str,
    kpi_title: str,
    pillar_title: str,
    pillars: tuple[str, ...],
    *,
    zero_rule: bool,
) -> dict[str, Any]:
    """KPI bars by pillar with value labels (and a rule at zero): contribution and weight share."""
    y = alt.Y(
        "kpi:N",
        sort=alt.EncodingSortField("position", op="min"),
        title=None,
        axis=alt.Axis(labelLimit=340),
    )
    x = alt.X(f"{value_field}:Q", title=value_title, scale=alt.Scale(nice=False))
    bars, labels = _pillar_bars(
        alt.NamedData(name=TABLE), y, x, value_title, kpi_title, pillar_title, pillars
    )
    chart = bars + labels + _extent_rule(value_title)
    if zero_rule:
        rule = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#666666")
        chart += rule.encode(x="zero:Q")
    return chart.properties(title=title, height=alt.Step(BAR_HEIGHT)).to_dict(validate=False)


def indian_axis_labels(lakh: str) -> str:
    """A Vega label expression for counts: "50,000" below a lakh, "1.5 lakh" from one lakh up
    (below a lakh Indian and Western grouping agree)."""
    word = lakh.replace("\\", "").replace("'", "")
    return (
        f"datum.value >= {LAKH} ? format(datum.value / {LAKH}, '.3~') + ' {word}'"
        " : format(datum.value, ',.0f')"
    )


def plan_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    value_title: str,
    others_label: str,
    lakh: str = "lakh",
    unit_title: str = "",
    top: int = 12,
) -> alt.LayerChart:
    """Extra completers per unit of a plan, largest first; units beyond `top` in one bar.

    `frame` holds `unit` (shown name) and `extra_completers`. The value axis counts in the
    Indian way (50,000; 1.5 lakh), never "50k". The unit axis has no title unless one is given:
    the names say what they are, and a title beside long names sat on top of them.
    """
    data = frame[["unit", "extra_completers"]].copy()
    data = data.sort_values("extra_completers", ascending=False).reset_index(drop=True)
    if len(data) > top:
        rest = data.iloc[top:]
        data = pd.concat(
            [
                data.iloc[:top],
                pd.DataFrame(
                    {
                        "unit": [others_label.format(count=len(rest))],
                        "extra_completers": [rest["extra_completers"].sum()],
                    }
                ),
            ],
            ignore_index=True,
        )
    data["text"] = [fmt_num(v) for v in data["extra_completers"]]
    high = float(data["extra_completers"].max()) or 1.0
    y = alt.Y(
        "unit:N",
        sort=data["unit"].tolist(),
        title=unit_title or None,
        axis=alt.Axis(labelLimit=300),
    )
    x = alt.X(
        "extra_completers:Q",
        title=value_title,
        # Room on the right for the largest bar's value label, in presenter type too.
        scale=alt.Scale(domain=[0, high * 1.35], nice=False),
        axis=alt.Axis(labelExpr=indian_axis_labels(lakh), tickCount=4, labelOverlap=True),
    )
    tooltip = [alt.Tooltip("unit:N", title=unit_title), alt.Tooltip("text:N", title=value_title)]
    bars = alt.Chart(data).mark_bar(color=FOCUS_COLOUR).encode(y=y, x=x, tooltip=tooltip)
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=12, color="#333333")
        .encode(y=y, x=x, text="text:N")
    )
    return (bars + labels).properties(title=title, height=alt.Step(BAR_HEIGHT))


def weight_share_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    value_title: str,
    kpi_title: str,
    pillar_title: str,
) -> FilledChart:
    """Normalised KPI weights in percent, coloured by pillar.

    `frame` holds `kpi`, `pillar` (shown labels) and `share` (0-1), in drawing order.
    """
    percents = (frame["share"].astype(float) * 100).tolist()
    rows = [
        {"kpi": kpi, "pillar": pillar, "percent": v, "text": fmt_num(v, 1) + "%", "position": i}
        for i, (kpi, pillar, v) in enumerate(
            zip(frame["kpi"], frame["pillar"], percents, strict=True)
        )
    ]
    high = max([*percents, 1.0])
    template = _kpi_bars_template(
        "percent",
        title,
        value_title,
        kpi_title,
        pillar_title,
        _pillar_order(frame, None),
        zero_rule=False,
    )
    return FilledChart(template, _with_extent(rows, 0.0, high * 1.2))
