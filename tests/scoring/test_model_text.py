"""The downloaded model file: new weights, every comment of the bundled file kept."""

from __future__ import annotations

import pytest

from scoring.config import DEFAULT_CONFIG_PATH, load_config, parse_config_text
from scoring.errors import ScoringInputError
from scoring.model_text import with_weights_text


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_new_weights_and_every_comment_kept() -> None:
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    out = with_weights_text(text, {"completer_rate": 40, "pass_rate": 2.5})
    assert _comments(out) == _comments(text)
    assert len(_comments(text)) > 20  # the bundled file explains itself at length
    config = parse_config_text(out.encode("utf-8"), "kpis.yaml")
    weights = {k.id: k.weight for k in config.kpis}
    assert weights["completer_rate"] == 40
    assert weights["pass_rate"] == 2.5
    assert weights["active_rate"] == 15  # untouched
    # Nothing but the two weights differs from the bundled model.
    expected = load_config().with_weights({"completer_rate": 40, "pass_rate": 2.5})
    assert config == expected


def test_unchanged_weights_give_back_the_same_text() -> None:
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    same = {k.id: k.weight for k in load_config().kpis}
    assert with_weights_text(text, same) == text


def test_a_file_without_kpis_is_refused_with_its_name() -> None:
    with pytest.raises(ScoringInputError, match="no 'kpis' list"):
        with_weights_text("scenario: {}\n", {}, "mine.yaml")
