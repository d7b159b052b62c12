"""Charts that fit their box: axis-label room and title lines that follow the chart's width."""

from __future__ import annotations

import json
import textwrap
from typing import Any

# Average advance of a character in Vega's default sans-serif, as a share of the font size
# (measured: "Category C: published composite score", 37 characters at 13 px, is 265 px wide).
CHAR_WIDTH = 0.56
# Line lengths (characters) a title may be wrapped to, shortest first.
BUDGETS = (14, 20, 28, 38, 52, 70, 100)
# Share of the chart's width that axis labels may take before they are shortened.
LABEL_SHARE = 0.38
MIN_LABEL = 70
# Below this chart width (px) legend entries go one under the other.
NARROW_LEGEND = 560


def _lines(text: str, budget: int) -> list[str]:
    return textwrap.wrap(text, width=budget, break_long_words=False) or [text]


def title_expr(text: str, font_size: float) -> dict[str, str]:
    """A Vega expression that wraps `text` into as few lines as the chart's width allows."""
    per_char = CHAR_WIDTH * font_size
    choice = json.dumps(_lines(text, BUDGETS[0]), ensure_ascii=False)
    for budget in BUDGETS[1:]:
        lines = json.dumps(_lines(text, budget), ensure_ascii=False)
        choice = f"(containerSize()[0] >= {budget * per_char:.0f} ? {lines} : {choice})"
    return {"expr": choice}


def _label_limits(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "labelLimit" and isinstance(value, int | float):
                out[key] = {
                    "expr": f"max({MIN_LABEL}, min({value:g}, containerSize()[0] * {LABEL_SHARE}))"
                }
            else:
                out[key] = _label_limits(value)
        return out
    if isinstance(node, list):
        return [_label_limits(item) for item in node]
    return node


def fit_to_width(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with its title wrapped and its axis labels shortened to the chart's width.

    On a phone or in a narrow column a long title ran past the chart's right edge and long unit
    names left the bars no room, which pushed the value labels out of the chart.
    """
    spec = _label_limits(spec)
    # A row of legend entries under a narrow chart ran past its right edge: one a row there.
    legend = spec.setdefault("config", {}).setdefault("legend", {})
    wide = legend.get("columns", 0)
    if isinstance(wide, int | float):
        legend["columns"] = {"expr": f"containerSize()[0] < {NARROW_LEGEND} ? 1 : {wide:g}"}
    title = spec.get("title")
    if isinstance(title, str) and title:
        title = {"text": title}
    if isinstance(title, dict) and isinstance(title.get("text"), str) and title["text"]:
        size = spec.get("config", {}).get("title", {}).get("fontSize", 13)
        spec["title"] = {**title, "text": title_expr(title["text"], float(size))}
    return spec
