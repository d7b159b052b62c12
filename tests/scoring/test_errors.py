"""One error type per kind of input (config, data, scenario), all of them ScoringInputError."""

from __future__ import annotations

import pytest

from scoring.config import parse_config_text
from scoring.errors import ConfigError, DataError, ScenarioError, ScoringInputError
from scoring.share import decode_link, parse_state


def test_each_kind_has_its_own_type() -> None:
    with pytest.raises(ConfigError):
        parse_config_text("kpis: [", "model.yaml")
    with pytest.raises(ScenarioError):
        parse_state({"levers": [{"target": "x", "kind": "reach", "value": 150}]})
    with pytest.raises(ScenarioError):
        decode_link("not a link at all!")
    for kind in (ConfigError, DataError, ScenarioError):
        assert issubclass(kind, ScoringInputError)


def test_a_bad_table_is_a_data_error() -> None:
    import pandas as pd

    from scoring.data import parse_ranking

    frame = pd.DataFrame({"state": ["BIHAR"], "category": ["C"], "score": ["not a number"]})
    with pytest.raises(DataError):
        parse_ranking(frame, "ranking.csv")
