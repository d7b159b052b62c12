"""Beside every chart: PNG and SVG downloads for slides (made only on click) and the chart as a
table (its text alternative), in the session's language, in normal and presenter mode."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from app_ui import session
from app_ui.charts import SpecSource
from app_ui.export.alt_text import chart_table
from app_ui.export.images import chart_png, chart_svg, warm
from app_ui.l10n import fmt_num, local_date, t
from app_ui.text import plain, plain_cells

# Containers keyed "chart_tools_<key>" get the class "st-key-chart_tools_<key>": the presenter
# and print stylesheets find the tools by that prefix.
KEY_PREFIX = "chart_tools_"
# The downloads under a chart: (extension and text key, maker, MIME type, icon), in this order.
FORMATS = (
    ("png", chart_png, "image/png", ":material/image:"),
    ("svg", chart_svg, "image/svg+xml", ":material/download:"),
)


def spec_title(spec: Mapping[str, Any]) -> str:
    """The title a chart shows, as one line of text ("" if it has none)."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(line) for line in title)
    return str(title or "")


def _data_date() -> str:
    from app_ui import services  # imported late: services import the engine's caches

    return t("export.data_date", date=local_date(services.dataset().as_of))


def _stem(key: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in key).strip("-") or "chart"


@dataclass(frozen=True)
class ChartTools:
    """What goes under a chart: its export title, its rows as a table and how to export it."""

    chart: SpecSource
    key: str
    title: str
    table: pd.DataFrame

    @classmethod
    def of(
        cls, chart: SpecSource, spec: Mapping[str, Any], *, key: str, title: str | None = None
    ) -> ChartTools:
        """`title` replaces the chart's own (for a chart drawn without one)."""
        title = title or spec_title(spec) or t("export.chart")
        return cls(chart, key, title, chart_table(spec, t, local_date, fmt_num))

    def show(self, place: Any = None) -> None:
        """PNG/SVG downloads (with the title and the data date; made on click) and the table
        in an expander."""
        data_date = _data_date()
        key = self.key
        warm(session.lang())
        with (place or st).container(key=KEY_PREFIX + key):
            buttons = st.container(horizontal=True)
            for kind, make, mime, icon in FORMATS:
                buttons.download_button(
                    t(f"export.{kind}"),
                    data=functools.partial(make, self.chart, self.title, data_date),
                    file_name=f"{_stem(key)}.{kind}",
                    mime=mime,
                    key=f"{key}_{kind}",
                    icon=icon,
                    on_click="ignore",
                    help=t(f"export.{kind}_help"),
                )
            if not self.table.empty:
                # Drawn only while open (a closed expander's content costs a Styler-free
                # table anyway, ~15 ms a chart on every rerun, for something rarely opened).
                with st.expander(
                    t("export.as_table", title=plain(self.title)),
                    key=f"{key}_table",
                    on_change="rerun",
                ) as box:
                    if box.open:
                        st.table(plain_cells(self.table), hide_index=True)
