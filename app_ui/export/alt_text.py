"""A chart's text alternative: the rows its tooltips show, as a table a screen reader can read.

Vega draws charts on a canvas, which gives assistive technology nothing. Every chart of ours
names, in its tooltip, the fields a reader needs (already translated and formatted), so the
table is read from the spec itself and stays in step with the chart in both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pandas as pd

# Tooltip fields that carry no title of their own: what their column is called.
FIELD_KEYS = {
    "state": "common.state",
    "rank": "common.rank",
    "score": "common.score",
    "as_of": "export.table_date",
    "series": "export.table_series",
    "kind": "export.table_series",
}
GENERIC_KEY = "export.table_item"
MAX_ROWS = 60  # a table beside a chart, not the data set: longer plans are in the downloads
# Fields by which a chart orders its rows (see app_ui.charts): the table follows the same order.
ORDER_FIELDS = ("position", "order")


def _layers(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield spec
    for part in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(part, []):
            yield from _layers(child)


def _tooltips(layer: Mapping[str, Any]) -> list[dict[str, Any]]:
    tooltip = layer.get("encoding", {}).get("tooltip")
    if tooltip is None:
        return []
    items = tooltip if isinstance(tooltip, list) else [tooltip]
    out = []
    for item in items:
        if isinstance(item, str):
            field, _, kind = item.partition(":")
            out.append({"field": field, "type": {"T": "temporal"}.get(kind, "nominal")})
        elif isinstance(item, dict) and "field" in item:
            out.append(item)
    return out


def _rows(spec: Mapping[str, Any], layer: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """A layer's rows and a name for their source (two layers drawing one data set share it)."""
    data = layer.get("data") or spec.get("data") or {}
    if "values" in data:
        return f"values:{id(data['values'])}", list(data["values"])
    name = str(data.get("name"))
    rows = spec.get("datasets", {}).get(name, [])
    if hasattr(rows, "to_pylist"):  # an Arrow table (presenter.arrow_datasets)
        return name, list(rows.to_pylist())
    return name, list(rows)


def _cell(
    value: Any, kind: str, fmt_date: Callable[[dt.date], str], fmt: Callable[..., str]
) -> str:
    if value is None:
        return ""
    if kind == "temporal":
        return fmt_date(dt.date.fromisoformat(str(value)[:10]))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt(value)
    if isinstance(value, float):
        return fmt(value, 0 if value.is_integer() else 2)
    return str(value)


def chart_table(
    spec: Mapping[str, Any],
    translate: Callable[[str], str],
    fmt_date: Callable[[dt.date], str],
    fmt: Callable[..., str],
) -> pd.DataFrame:
    """The rows of the chart's layers with tooltips, one column per tooltip field (those of the
    first such layer; later layers with the same fields, such as the focus state's own line,
    add their rows).

    `translate(key)` names a column without a tooltip title; `fmt_date` and `fmt` (as
    l10n.fmt_num) write dates and numbers in the session's language.
    """
    tips: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for layer in _layers(spec):
        layer_tips = _tooltips(layer)
        if not layer_tips:
            continue
        if not tips:
            tips = layer_tips
        elif [tip["field"] for tip in layer_tips] != [tip["field"] for tip in tips]:
            continue
        source, data = _rows(spec, layer)
        if source in seen:
            continue
        seen.add(source)
        rows += data
    if not tips:
        return pd.DataFrame()
    if rows and any(field in rows[0] for field in ORDER_FIELDS):
        rows = sorted(rows, key=lambda row: tuple(row.get(f, 0) or 0 for f in ORDER_FIELDS))
    columns: dict[str, list[str]] = {}
    for tip in tips:
        title = str(tip.get("title") or "").strip()
        name = title or translate(FIELD_KEYS.get(tip["field"], GENERIC_KEY))
        while name in columns:  # two untitled fields must not overwrite each other
            name += " "
        columns[name] = [
            _cell(row.get(tip["field"]), tip.get("type", ""), fmt_date, fmt)
            for row in rows[:MAX_ROWS]
        ]
    return pd.DataFrame(columns)
