"""The model config: defaults load, and every kind of bad config gets a message naming the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.config import ModelConfig, dump_config, load_config, parse_config, parse_config_text
from scoring.errors import ScoringInputError


def _raw(config: ModelConfig) -> dict[str, Any]:
    return yaml.safe_load(dump_config(config))


def test_default_config_loads_with_three_pillars(config: ModelConfig) -> None:
    assert config.focus_state == "BIHAR"
    assert config.deadline.isoformat() == "2026-03-31"
    assert {k.pillar.value for k in config.kpis} == {"hygiene", "readiness", "consumption"}
    assert sum(config.weights) == 100
    assert all(k.label.hi for k in config.kpis)


def test_dump_and_parse_round_trip(config: ModelConfig) -> None:
    assert parse_config_text(dump_config(config)) == config


def _problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(ScoringInputError) as err:
        parse_config(raw, "kpis.yaml")
    return err.value.problems


def test_negative_and_non_numeric_weights_are_named(config: ModelConfig) -> None:
    raw = _raw(config)
    raw["kpis"][0]["weight"] = -1
    raw["kpis"][1]["weight"] = "heavy"
    problems = _problems(raw)
    assert "kpis['active_rate'].weight: weight must not be negative" in problems
    assert any(p.startswith("kpis['completer_rate'].weight:") for p in problems)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_weights_are_refused(config: ModelConfig, value: float) -> None:
    raw = _raw(config)
    raw["kpis"][2]["weight"] = value
    assert any("completions_per_user" in p and "weight" in p for p in _problems(raw))


def test_all_weights_zero_is_refused(config: ModelConfig) -> None:
    raw = _raw(config)
    for kpi in raw["kpis"]:
        kpi["weight"] = 0
    assert any("all weights are zero" in p for p in _problems(raw))


def test_unknown_column_and_duplicate_id(config: ModelConfig) -> None:
    raw = _raw(config)
    raw["kpis"][0]["numerator"] = "logins"
    problems = _problems(raw)
    assert any(
        p.startswith("kpis['active_rate'].numerator: unknown column 'logins'") for p in problems
    )
    raw = _raw(config)
    raw["kpis"][1]["id"] = raw["kpis"][0]["id"]
    assert any("duplicate id 'active_rate'" in p for p in _problems(raw))


def test_target_subscore_needs_a_target(config: ModelConfig) -> None:
    raw = _raw(config)
    del raw["kpis"][2]["subscore"]["target"]
    assert any("completions_per_user" in p and "target" in p for p in _problems(raw))


def test_bad_assumptions_are_named(config: ModelConfig) -> None:
    raw = _raw(config)
    raw["scenario"]["from_inactive"] = 1.5
    raw["scenario"]["activation_ceiling"] = 0
    problems = _problems(raw)
    assert any(p.startswith("scenario.from_inactive") for p in problems)
    assert any(p.startswith("scenario.activation_ceiling") for p in problems)


def test_malformed_yaml_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("kpis:\n  - id: a\n   weight: [\n", encoding="utf-8")
    with pytest.raises(ScoringInputError, match=r"bad.yaml: not valid YAML at line \d+"):
        load_config(path)


def test_non_mapping_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScoringInputError, match="must be a YAML mapping"):
        parse_config_text("- just\n- a list\n")
    with pytest.raises(ScoringInputError, match="cannot read the file"):
        load_config(tmp_path / "missing.yaml")


def test_with_weights_validates(config: ModelConfig) -> None:
    changed = config.with_weights({"active_rate": 30})
    assert changed.weights[0] == 30
    with pytest.raises(ScoringInputError, match="weight must not be negative"):
        config.with_weights({"active_rate": -3})
