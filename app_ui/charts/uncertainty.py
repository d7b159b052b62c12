"""Altair charts of the Sensitivity page; callers pass every shown text already translated."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from app_ui.charts import BAR_HEIGHT, FOCUS_COLOUR, OTHER_COLOUR, PUBLISHED_COLOUR
from app_ui.l10n import fmt_num, fmt_probability

PACE_SERIES = ("actual", "trend", "needed")  # what happened, the pace so far, the goal's


def rank_probability_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    rank_title: str,
    probability_title: str,
    baseline_label: str,
    scenario_label: str,
) -> alt.LayerChart:
    """Probability of each rank at baseline and under the scenario.

    Both columns of a rank stand on its tick: today's wide and grey behind, the scenario's
    narrow and coloured in front (side by side, a rank held only today or only in the scenario
    drew its one column between two ticks). The scenario's share is written inside its column,
    today's above its own.
    """
    long = frame.melt(
        id_vars=["rank"],
        value_vars=["baseline", "scenario"],
        var_name="series",
        value_name="probability",
    )
    long["series"] = long["series"].map({"baseline": baseline_label, "scenario": scenario_label})
    long["text"] = [fmt_probability(p) for p in long["probability"]]
    x = alt.X("rank:O", title=rank_title, axis=alt.Axis(labelAngle=0))
    y = alt.Y(
        "probability:Q",
        title=probability_title,
        axis=alt.Axis(format="%", tickCount=5),
        scale=alt.Scale(domain=[0, 1.12], nice=False),
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(
            domain=[baseline_label, scenario_label], range=[PUBLISHED_COLOUR, FOCUS_COLOUR]
        ),
        legend=alt.Legend(title=None, orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("rank:O", title=rank_title),
        alt.Tooltip("text:N", title=probability_title),
    ]
    base = alt.Chart(long)
    today = alt.datum.series == baseline_label
    scenario = alt.datum.series == scenario_label
    shown = alt.datum.probability > 0.0005
    encoding = {"x": x, "y": y, "color": colour, "tooltip": tooltip}
    layers = [
        base.transform_filter(today).mark_bar(width={"band": 0.8}).encode(**encoding),
        base.transform_filter(scenario).mark_bar(width={"band": 0.4}).encode(**encoding),
        base.transform_filter(today & shown)
        .mark_text(dy=-6, baseline="bottom", fontSize=12, color="#333333")
        .encode(x=x, y=y, text="text:N"),
        base.transform_filter(scenario & shown)
        .mark_text(dy=4, baseline="top", fontSize=12, color="#ffffff", fontWeight="bold")
        .encode(x=x, y=y, text="text:N"),
    ]
    return alt.LayerChart(layer=layers).properties(title=title, height=320)


def tornado_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    score_title: str,
    half_label: str,
    double_label: str,
    central: float,
) -> alt.LayerChart:
    """For each KPI, the score when its weight is halved and doubled, around the central score."""
    order = frame["label"].tolist()
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "label": frame["label"],
                    "score": frame["half_score"],
                    "series": half_label,
                    "rank": frame["half_rank"],
                }
            ),
            pd.DataFrame(
                {
                    "label": frame["label"],
                    "score": frame["double_score"],
                    "series": double_label,
                    "rank": frame["double_rank"],
                }
            ),
        ],
        ignore_index=True,
    )
    long["central"] = central
    long["text"] = [fmt_num(v, 2) for v in long["score"]]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=340))
    low = min(long["score"].min(), central)
    high = max(long["score"].max(), central)
    pad = max((high - low) * 0.15, 0.05)
    x = alt.X(
        "score:Q", title=score_title, scale=alt.Scale(domain=[low - pad, high + pad], zero=False)
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=[half_label, double_label], range=[OTHER_COLOUR, FOCUS_COLOUR]),
        legend=alt.Legend(title=None, orient="bottom"),
    )
    offset = alt.YOffset("series:N", sort=[half_label, double_label])
    tooltip = [
        alt.Tooltip("label:N", title=" "),
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("text:N", title=score_title),
        alt.Tooltip("rank:Q", title="#"),
    ]
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(y=y, x=x, x2="central:Q", color=colour, yOffset=offset, tooltip=tooltip)
    )
    labels = (
        alt.Chart(long)
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(y=y, x=x, yOffset=offset, text="text:N")
    )
    rule = (
        alt.Chart(pd.DataFrame({"central": [central]}))
        .mark_rule(color="#333333", strokeDash=[4, 3])
        .encode(x="central:Q")
    )
    # A step per row: a fixed total height squashes the bands once Streamlit fits the chart.
    return (bars + labels + rule).properties(title=title, height=alt.Step(BAR_HEIGHT))


def marginal_chart(frame: pd.DataFrame, *, title: str, value_title: str) -> alt.Chart:
    """Score points gained by up to 1,000 extra completers, per department, best first."""
    data = frame.copy()
    data["text"] = [fmt_num(v, 3) for v in data["points"]]
    y = alt.Y(
        "department:N", sort=data["department"].tolist(), title=None, axis=alt.Axis(labelLimit=340)
    )
    x = alt.X("points:Q", title=value_title)
    bars = (
        alt.Chart(data)
        .mark_bar(color=FOCUS_COLOUR)
        .encode(
            y=y,
            x=x,
            tooltip=[
                alt.Tooltip("department:N", title=" "),
                alt.Tooltip("text:N", title=value_title),
            ],
        )
    )
    labels = (
        alt.Chart(data).mark_text(align="left", dx=3, fontSize=11).encode(y=y, x=x, text="text:N")
    )
    return (bars + labels).properties(title=title, height=alt.Step(24))


def rank_history_chart(
    frame: pd.DataFrame, focus_state: str, *, title: str, date_title: str, rank_title: str
) -> alt.LayerChart:
    """Rank over time per state of one category; the focus state drawn thick and coloured."""
    data = frame.copy()
    data["as_of"] = pd.to_datetime(data["as_of"])
    data["focus"] = data["state"] == focus_state
    x = alt.X("as_of:T", title=date_title, axis=alt.Axis(format="%b %Y"))
    y = alt.Y(
        "rank:Q",
        title=rank_title,
        scale=alt.Scale(reverse=True, zero=False),
        axis=alt.Axis(tickMinStep=1),
    )
    tooltip = ["state:N", alt.Tooltip("as_of:T", format="%d %b %Y"), "rank:Q", "score:Q"]
    others = (
        alt.Chart(data[~data["focus"]])
        .mark_line(point=True, color=PUBLISHED_COLOUR)
        .encode(x=x, y=y, detail="state:N", tooltip=tooltip)
    )
    focus = (
        alt.Chart(data[data["focus"]])
        .mark_line(point=True, color=FOCUS_COLOUR, strokeWidth=4)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    return (others + focus).properties(title=title, height=320)


def pace_chart(
    frame: pd.DataFrame,
    *,
    series_labels: Mapping[str, str],
    date_title: str,
    value_title: str,
    title: str | None = None,
) -> alt.Chart:
    """Course completions over time: what happened ("actual"), and the paces projected to the
    deadline ("trend", "needed"), from scoring.trends.pace_series; `series_labels` names them.

    The colours follow the series, not the alphabetical order of their names in a language.
    Without `title` the chart has none: on the page a heading with the same words sits right
    above it (and a Vega title on this chart was drawn a few pixels above its frame, clipped).
    """
    data = frame.copy()
    data["as_of"] = pd.to_datetime(data["as_of"])
    data["series"] = data["series"].map(series_labels)
    data["text"] = [fmt_num(v) for v in data["completions"]]
    domain = [series_labels[s] for s in PACE_SERIES if s in series_labels]
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("as_of:T", title=date_title, axis=alt.Axis(format="%b %Y")),
            y=alt.Y("lakh:Q", title=value_title),
            color=alt.Color(
                "series:N",
                legend=alt.Legend(title=None, orient="bottom"),
                scale=alt.Scale(
                    domain=domain, range=[PUBLISHED_COLOUR, OTHER_COLOUR, FOCUS_COLOUR]
                ),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None, sort=domain),
            tooltip=[
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("as_of:T", format="%d %b %Y", title=date_title),
                alt.Tooltip("text:N", title=value_title),
            ],
        )
        .properties(height=320, **({"title": title} if title else {}))
    )
