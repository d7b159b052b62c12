"""Every KPI of the bundled model explains itself in one plain line, in English and in Hindi;
the explanation is optional for other model files."""

from __future__ import annotations

import re

import pytest

from app_ui.charts.fit import title_expr
from app_ui.layout import widget_text_css
from scoring.config import KpiSpec, load_config

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def test_every_bundled_kpi_has_an_explanation_in_both_languages() -> None:
    kpis = load_config().kpis
    assert len(kpis) == 7
    for kpi in kpis:
        assert kpi.explanation is not None, kpi.id
        assert kpi.explanation.en and not DEVANAGARI.search(kpi.explanation.en), kpi.id
        assert DEVANAGARI.search(kpi.explanation.hi), kpi.id
        assert "\n" not in kpi.explanation.en  # one line


def test_the_explanation_is_optional() -> None:
    spec = load_config().kpis[0].model_dump()
    spec.pop("explanation")
    assert KpiSpec.model_validate(spec).explanation is None


def test_a_long_title_wraps_to_the_chart_width() -> None:
    expr = title_expr("Top 10 departments by headroom (onboarded minus users)", 13)["expr"]
    # At 13 px a character is about 7.3 px: the 55 characters fit on one line from 510 px (70
    # a line), on two from 277 px (38 a line), and on five below 146 px (14 a line).
    assert (
        'containerSize()[0] >= 510 ? ["Top 10 departments by headroom (onboarded minus users)"]'
        in expr
    )
    assert '>= 277 ? ["Top 10 departments by headroom", "(onboarded minus users)"]' in expr
    assert '["Top 10", "departments by", "headroom", "(onboarded", "minus users)"]' in expr


@pytest.mark.parametrize("hostile", ['a"b', "a\\b", "a<b>", "a{b}"])
def test_replacement_widget_texts_cannot_leave_their_css_string(hostile: str) -> None:
    css = widget_text_css(hostile, "x")
    assert 'content: "ab"' in css
