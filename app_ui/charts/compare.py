"""The category's ranking with compared scenarios inserted as their own bars; callers pass every
shown text already translated."""

from __future__ import annotations

import altair as alt
import pandas as pd

from app_ui.charts import FOCUS_COLOUR, OTHER_COLOUR, PUBLISHED_COLOUR, SCORE_TICKS
from app_ui.l10n import fmt_num

LABEL_COLOUR = "#333333"


def compare_chart(
    others: pd.DataFrame,
    published: tuple[str, float],
    runs: pd.DataFrame,
    *,
    title: str,
    score_title: str,
    run_kind: str,
    published_kind: str,
    other_kind: str,
) -> alt.LayerChart:
    """Bars for the other states of the category (`others`: state, score), the focus state's
    published score (`published`: label, score) and each run (`runs`: label, score, text), highest
    first, so a reader sees at once which states each run passes."""
    published_label, published_score = published
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "label": others["state"].astype(str),
                    "score": others["score"].astype(float),
                    "kind": other_kind,
                    "text": [fmt_num(v, 2) for v in others["score"]],
                }
            ),
            pd.DataFrame(
                {
                    "label": [published_label],
                    "score": [float(published_score)],
                    "kind": [published_kind],
                    "text": [fmt_num(published_score, 2)],
                }
            ),
            runs[["label", "score", "text"]].assign(
                kind=run_kind, score=runs["score"].astype(float)
            ),
        ],
        ignore_index=True,
    ).sort_values("score", ascending=False, kind="stable")
    top = max(100.0, float(rows["score"].max()) * 1.1)  # room for the labels after the bars
    y = alt.Y(
        "label:N",
        sort=rows["label"].tolist(),
        title=None,
        axis=alt.Axis(labelLimit=320, labelFontSize=12),
    )
    x = alt.X(
        "score:Q",
        title=score_title,
        scale=alt.Scale(domain=[0, top], nice=False),
        # Ticks stop at 100 (the most a score can be): the room beyond is for the bar labels,
        # and a "110" tick touched "100".
        axis=alt.Axis(values=SCORE_TICKS),
    )
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(
            domain=[run_kind, published_kind, other_kind],
            range=[FOCUS_COLOUR, PUBLISHED_COLOUR, OTHER_COLOUR],
        ),
        legend=alt.Legend(title=None, orient="bottom"),
    )
    base = alt.Chart(rows)
    bars = base.mark_bar(cornerRadiusEnd=2).encode(
        y=y,
        x=x,
        color=colour,
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("text:N", title=score_title),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12, color=LABEL_COLOUR).encode(
        y=y, x=x, text="text:N"
    )
    return (bars + labels).properties(title=title, height=alt.Step(26))
