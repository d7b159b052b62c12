"""Shared Altair chart builders; callers pass every shown text already translated."""

from __future__ import annotations

import altair as alt
import pandas as pd

from app_ui.format import fmt_num

# One palette for the whole app, so the focus state looks the same on every page and slide.
FOCUS_COLOUR = "#e4572e"
OTHER_COLOUR = "#4c78a8"
PUBLISHED_COLOUR = "#bab0ac"
MUTED_COLOUR = "#9ecae9"
PILLAR_COLOURS = ["#4c78a8", "#72b7b2", "#b279a2", "#9d755d", "#eeca3b"]
BAR_HEIGHT = 30
LAKH = 100_000


def _pillar_bars(
    data: pd.DataFrame, y: alt.Y, x: alt.X, value_title: str, kpi_title: str, pillar_title: str
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
                scale=alt.Scale(scheme="tableau10"),
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
) -> alt.LayerChart:
    """A category ranking as horizontal bars, best first, with the focus state highlighted.

    `frame` holds at least `state` and `score_column` (for example `category_table()` or a slice
    of the ranking), in the order to draw (best first). With both `published_label` and
    `simulated_label`, and a `published_score` column, each state gets two bars: the published
    score (grey) and the simulated score (coloured), so before and after can be read side by side.
    Labels on the axis read "8. BIHAR" when `rank_column` is present.
    """
    data = frame.reset_index(drop=True).copy()
    data["label"] = _rank_label(data, rank_column)
    order = data["label"].tolist()
    is_focus = data["state"].astype(str).str.upper() == focus_state.upper()
    focus_label = focus_label or focus_state
    other_label = other_label or " "
    before_after = (
        published_label is not None
        and simulated_label is not None
        and "published_score" in data.columns
    )
    if before_after:
        published = pd.DataFrame(
            {
                "label": data["label"],
                "state": data["state"],
                "value": data["published_score"].astype(float),
                "series": published_label,
            }
        )
        simulated = pd.DataFrame(
            {
                "label": data["label"],
                "state": data["state"],
                "value": data[score_column].astype(float),
                "series": [focus_label if f else simulated_label for f in is_focus],
            }
        )
        long = pd.concat([published, simulated], ignore_index=True)
        long["order"] = [0] * len(published) + [1] * len(simulated)
        domain = [published_label, simulated_label, focus_label]
        colours = [PUBLISHED_COLOUR, OTHER_COLOUR, FOCUS_COLOUR]
        y_offset: alt.YOffset | None = alt.YOffset("order:O", sort="ascending")
        step = BAR_HEIGHT // 2  # with yOffset the step is per bar, two bars per state
    else:
        long = pd.DataFrame(
            {
                "label": data["label"],
                "state": data["state"],
                "value": data[score_column].astype(float),
                "series": [focus_label if f else other_label for f in is_focus],
            }
        )
        long["order"] = 0
        domain = [focus_label, other_label]
        colours = [FOCUS_COLOUR, OTHER_COLOUR]
        y_offset = None
        step = BAR_HEIGHT
    long["value_text"] = [fmt_num(v, decimals) for v in long["value"]]
    top = max(100.0, float(long["value"].max()) * 1.08)

    y = alt.Y(
        "label:N",
        sort=order,
        title=state_title or None,
        axis=alt.Axis(labelLimit=260, labelFontSize=12),
    )
    x = alt.X("value:Q", title=score_title, scale=alt.Scale(domain=[0, top], nice=False))
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=colours),
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
    base = alt.Chart(long)
    bars = base.mark_bar(cornerRadiusEnd=2).encode(**encodings)
    text_enc = {"y": y, "x": x, "text": alt.Text("value_text:N")}
    if y_offset is not None:
        text_enc["yOffset"] = y_offset
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#333333").encode(**text_enc)
    # A step (pixels per state), not a total height: Streamlit fits a fixed height around the
    # axes, title and legend too, which squeezes the bars to nothing.
    return (bars + labels).properties(title=title, height=alt.Step(step))


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
        title=unit_title,
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
    pillars = list(dict.fromkeys(data["pillar"]))
    y = alt.Y("kpi:N", sort=data["kpi"].tolist(), title=None, axis=alt.Axis(labelLimit=320))
    x = alt.X("subscore:Q", title=value_title, scale=alt.Scale(domain=[0, 100]))
    colour = alt.Color(
        "pillar:N",
        title=pillar_title,
        legend=alt.Legend(orient="bottom"),
        # Colours follow the order of first appearance, so a pillar keeps its colour whatever
        # the language; none of them is the focus-state colour.
        scale=alt.Scale(domain=pillars, range=PILLAR_COLOURS[: len(pillars)]),
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
) -> alt.LayerChart:
    """Points of the score each KPI adds (weight share x sub-score change), coloured by pillar.

    `frame` holds `kpi` (shown label), `pillar` (shown label) and `contribution`, in drawing
    order. Negative contributions draw to the left of zero.
    """
    data = frame.copy()
    data["contribution"] = data["contribution"].astype(float)
    data["text"] = [("+" if v > 0 else "") + fmt_num(v, decimals) for v in data["contribution"]]
    data["align_left"] = data["contribution"] >= 0
    low = min(0.0, float(data["contribution"].min()))
    high = max(0.0, float(data["contribution"].max()))
    span = (high - low) or 1.0
    scale = alt.Scale(domain=[low - 0.05 * span * (low < 0), high + 0.25 * span], nice=False)
    y = alt.Y("kpi:N", sort=data["kpi"].tolist(), title=None, axis=alt.Axis(labelLimit=340))
    x = alt.X("contribution:Q", title=value_title, scale=scale)
    bars, labels = _pillar_bars(data, y, x, value_title, kpi_title, pillar_title)
    rule = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#666666").encode(x="zero:Q")
    return (bars + labels + rule).properties(title=title, height=alt.Step(BAR_HEIGHT))


def plan_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    value_title: str,
    unit_title: str,
    others_label: str,
    top: int = 12,
) -> alt.LayerChart:
    """Extra completers per unit of a plan, largest first; units beyond `top` in one bar.

    `frame` holds `unit` (shown name) and `extra_completers`.
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
    y = alt.Y("unit:N", sort=data["unit"].tolist(), title=unit_title, axis=alt.Axis(labelLimit=300))
    x = alt.X(
        "extra_completers:Q",
        title=value_title,
        scale=alt.Scale(domain=[0, high * 1.2], nice=False),
        axis=alt.Axis(format="~s"),
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
) -> alt.LayerChart:
    """Normalised KPI weights in percent, coloured by pillar.

    `frame` holds `kpi`, `pillar` (shown labels) and `share` (0-1), in drawing order.
    """
    data = frame.copy()
    data["percent"] = data["share"].astype(float) * 100
    data["text"] = [fmt_num(v, 1) + "%" for v in data["percent"]]
    high = max(float(data["percent"].max()), 1.0)
    y = alt.Y("kpi:N", sort=data["kpi"].tolist(), title=None, axis=alt.Axis(labelLimit=340))
    x = alt.X("percent:Q", title=value_title, scale=alt.Scale(domain=[0, high * 1.2], nice=False))
    bars, labels = _pillar_bars(data, y, x, value_title, kpi_title, pillar_title)
    return (bars + labels).properties(title=title, height=alt.Step(BAR_HEIGHT))
