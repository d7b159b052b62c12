"""The price of certainty: extra completers against the chance of a goal; callers pass every
shown text already translated."""

from __future__ import annotations

import altair as alt
import pandas as pd

from app_ui.charts import FOCUS_COLOUR

FEWEST_COLOUR = "#4c78a8"


def price_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    chance_title: str,
    extra_title: str,
    kind_title: str,
) -> alt.LayerChart:
    """`frame` holds `chance` (0-1), `extra` (completers), `kind` (the series' shown name) and
    `text` (each point's label). The plans for a chance are a line with points; the proven
    fewest is one point of its own at its own chance."""
    data = frame.copy()
    kinds = list(dict.fromkeys(data["kind"]))
    colour = alt.Color(
        "kind:N",
        title=kind_title,
        scale=alt.Scale(domain=kinds, range=[FOCUS_COLOUR, FEWEST_COLOUR][: len(kinds)]),
        legend=alt.Legend(orient="bottom", direction="vertical"),
    )
    x = alt.X(
        "chance:Q",
        title=chance_title,
        axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 0.9, 1]),
        scale=alt.Scale(domain=[0, 1]),
    )
    y = alt.Y("extra:Q", title=extra_title, axis=alt.Axis(format=",d"), scale=alt.Scale(zero=True))
    base = alt.Chart(data).encode(x=x, y=y, color=colour)
    line = base.transform_filter(alt.datum.kind == kinds[0]).mark_line()
    points = base.mark_point(filled=True, size=90)
    labels = base.mark_text(align="left", dx=8, dy=-8).encode(text="text:N")
    return alt.LayerChart(layer=[line, points, labels], title=title, height=320)
