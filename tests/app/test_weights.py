"""Weights page: weights seeded from the model, their effect on the scenario and the goal."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_ui.text import plain
from scoring.config import load_config
from tests.app.conftest import open_page, weights_of

APP = str(Path(__file__).resolve().parents[2] / "app.py")
EDUCATION_50K = [{"target": "Education Department, Bihar", "kind": "add", "value": 50_000}]


@pytest.fixture
def weights() -> AppTest:
    return open_page("weights", levers=list(EDUCATION_50K))


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_weights_are_seeded_from_the_config(weights: AppTest) -> None:
    for kpi in load_config().kpis:
        assert weights.number_input(key=f"w_kpi_{kpi.id}").value == kpi.weight
    metrics = _metrics(weights)
    assert metrics["Scenario score"] == "42.15"
    assert metrics["Scenario rank in category C"] == "7 of 9"
    assert metrics["Completers for passing TAMIL NADU"] == "3,328"


def test_changing_a_weight_changes_the_scenario_score(weights: AppTest) -> None:
    weights.number_input(key="w_kpi_completer_rate").set_value(60.0).run()
    assert not weights.exception
    assert weights_of(weights) == {"completer_rate": 60.0}
    metrics = _metrics(weights)
    assert metrics["Scenario score"] != "42.15"
    goal = next(m for m in weights.metric if m.label.startswith("Completers for"))
    assert goal.value != "3,328" and goal.delta
    weights.button(key="w_reset").click().run()
    assert weights_of(weights) is None
    assert _metrics(weights)["Scenario score"] == "42.15"


def test_all_zero_weights_are_refused_with_a_message(weights: AppTest) -> None:
    for kpi in load_config().kpis:
        weights.number_input(key=f"w_kpi_{kpi.id}").set_value(0.0).run()
    assert not weights.exception
    assert any("all weights are zero" in e.value for e in weights.error)
    override = weights_of(weights)
    assert override is not None
    assert sum(override.values()) == 0 and len(override) == len(load_config().kpis) - 1


def test_weights_reach_the_simulator(weights: AppTest) -> None:
    weights.number_input(key="w_kpi_completer_rate").set_value(60.0).run()
    score = _metrics(weights)["Scenario score"]
    weights.switch_page("app_pages/simulator.py")
    weights.run()
    assert not weights.exception
    assert _metrics(weights)["Simulated score"] == score


def test_presenter_mode_names_each_kpi_with_its_weight() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["presenter"] = True
    at.run()
    at.switch_page("app_pages/weights.py")
    at.run()
    assert not at.exception
    assert not [w for w in at.number_input if (w.key or "").startswith("w_kpi_")]
    texts = [m.value for m in at.markdown]
    for kpi in load_config().kpis:
        line = f"{plain(kpi.label.en)}: weight **{kpi.weight:.1f}**"
        assert any(line in text for text in texts), (line, texts)


def test_hindi_names_the_state_to_pass_in_devanagari() -> None:
    at = open_page("weights", lang="hi", levers=list(EDUCATION_50K))
    metrics = _metrics(at)
    assert metrics["परिदृश्य अंक"] == "42.15"
    assert metrics["तमिलनाडु से आगे निकलना के लिए सबसे कम उपयोगकर्ता"] == "3,328"
