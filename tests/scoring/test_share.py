"""Shareable links: exact round trip; malformed and hostile links give a clear error."""

from __future__ import annotations

import base64
import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.config import ModelConfig
from scoring.errors import ScoringInputError
from scoring.share import LeverState, ScenarioState, decode_link, encode_link


def _b64(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_round_trip_is_exact(config: ModelConfig) -> None:
    state = ScenarioState(
        levers=(
            LeverState(target="शिक्षा <b>x</b> & co", kind="reach", value=62.5),
            LeverState(target="education-department-bihar", kind="add", value=50_000),
        ),
        assumptions={"courses_per_completer": 2.5, "from_inactive": "proportional"},
        weights={"active_rate": 30.0, "pass_rate": 0.0},
    )
    link = encode_link(state)
    assert decode_link(link) == state
    assert set(link) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    decode_link(link).check_against(config)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "holds no scenario"),
        ("%%%", "damaged"),
        ("a" * 9_000, "longer than 8,000"),
        (_b64([1, 2]), "scenario"),
        (_b64({"version": 2}), "version"),
        (_b64({"levers": [{"target": "x", "kind": "delete", "value": 1}]}), "levers.0.kind"),
        (_b64({"levers": [{"target": "x", "kind": "add", "value": -1}]}), "levers.0.value"),
        (_b64({"levers": [{"target": "x", "kind": "add", "value": 1, "evil": 1}]}), "evil"),
        (_b64({"assumptions": {"activation_ceiling": 5}}), "activation_ceiling"),
        (base64.urlsafe_b64encode(b"[" * 5000).decode(), "not valid scenario data"),
    ],
)
def test_hostile_links_are_refused_with_a_message(value: str, message: str) -> None:
    with pytest.raises(ScoringInputError, match=message):
        decode_link(value)


def test_too_many_levers() -> None:
    from scoring.share import from_json

    with pytest.raises(ScoringInputError, match="levers"):
        from_json(json.dumps({"levers": [{"target": "x", "kind": "add", "value": 1}] * 201}))


def test_weights_are_checked_against_the_model(config: ModelConfig) -> None:
    with pytest.raises(ScoringInputError, match="unknown KPI"):
        decode_link(_b64({"weights": {"bogus": 1}})).check_against(config)
    with pytest.raises(ScoringInputError, match="all weights are zero"):
        decode_link(_b64({"weights": {k.id: 0 for k in config.kpis}})).check_against(config)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_decodes_or_raises_the_input_error(text: str) -> None:
    with contextlib.suppress(ScoringInputError):
        decode_link(text)


def test_the_edition_travels_in_a_link_and_is_validated() -> None:
    import datetime as dt

    from scoring.share import from_json, to_json

    state = ScenarioState(edition=dt.date(2025, 12, 31))
    assert decode_link(encode_link(state)).edition == dt.date(2025, 12, 31)
    assert to_json(ScenarioState()) == '{"version":1,"levers":[]}'  # old links unchanged
    assert from_json('{"version":1,"levers":[]}').edition is None
    with pytest.raises(ScoringInputError, match="edition: 1999-01-01 is outside 2000-01-01"):
        from_json('{"edition":"1999-01-01"}')
    with pytest.raises(ScoringInputError, match="edition: "):
        from_json('{"edition":"2026-02-30"}')
