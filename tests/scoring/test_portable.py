"""Scenarios across model files: a link made under an uploaded model opens with the sender's
figures under the bundled one, or says it cannot (another shape), checked by simulation."""

from __future__ import annotations

import pytest

from scoring.config import ModelConfig, load_config, parse_config
from scoring.data import Dataset, load_dataset
from scoring.engine import build_model, simulate
from scoring.errors import ScoringInputError
from scoring.portable import (
    Portable,
    effective_config,
    from_link,
    same_shape,
    shape_fingerprint,
    to_link,
)
from scoring.share import LeverState, ScenarioState, decode_link, encode_link

EDUCATION = (LeverState(target="Education Department, Bihar", kind="add", value=50_000),)


@pytest.fixture(scope="module")
def bundled() -> ModelConfig:
    return load_config()


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset()


def _heavier(config: ModelConfig) -> ModelConfig:
    """An uploaded model of the same shape: completers weigh 40 instead of 20."""
    return config.with_weights({"completer_rate": 40})


def _other_shape(config: ModelConfig) -> ModelConfig:
    """An uploaded model of another shape: completions per user against a target of 1, not 2."""
    data = config.model_dump(mode="json")
    for kpi in data["kpis"]:
        if kpi["id"] == "completions_per_user":
            kpi["subscore"]["target"] = 1.0
    return parse_config(data).with_weights({"completer_rate": 40})


def _score(state: ScenarioState, file: ModelConfig, data: Dataset) -> tuple[float, int]:
    result = simulate(build_model(effective_config(state, file), data), state.to_scenario())
    return round(result.score, 2), result.rank


def _through_url(link: Portable) -> Portable:
    return Portable(decode_link(encode_link(link.state)), link.model)


def test_shape_ignores_weights_assumptions_and_labels(bundled: ModelConfig) -> None:
    relabelled = bundled.model_dump(mode="json")
    relabelled["kpis"][0]["label"]["en"] = "Something else"
    same = [
        _heavier(bundled),
        bundled.with_assumptions(courses_per_completer=3),
        parse_config(relabelled),
    ]
    for config in same:
        assert same_shape(config, bundled)
        assert shape_fingerprint(config) == shape_fingerprint(bundled)
    assert not same_shape(_other_shape(bundled), bundled)
    assert shape_fingerprint(_other_shape(bundled)) != shape_fingerprint(bundled)
    assert len(shape_fingerprint(bundled)) == 16


def test_bundled_model_links_are_unchanged(bundled: ModelConfig) -> None:
    state = ScenarioState(levers=EDUCATION, weights={"completion_rate": 3.0})
    assert to_link(state, bundled, bundled) == Portable(state)
    assert from_link(Portable(state), bundled, bundled).state == state


def test_same_shape_upload_travels_with_its_weights(bundled: ModelConfig, data: Dataset) -> None:
    heavier = _heavier(bundled)
    state = ScenarioState(levers=EDUCATION)  # an upload resets the scenario's own weights
    assert _score(state, heavier, data) == (42.24, 7)  # what the sender sees
    # Before: the link held only the levers, and the recipient saw the bundled model's figure.
    assert _score(state, bundled, data) == (42.15, 7)
    link = _through_url(to_link(state, heavier, bundled))
    assert link.model is None
    assert link.state.weights == {"completer_rate": 40.0}
    opened = from_link(link, bundled, bundled)
    assert not opened.other_model
    assert _score(opened.state, bundled, data) == (42.24, 7)


def test_uploaded_assumptions_and_scenario_weights_travel(
    bundled: ModelConfig, data: Dataset
) -> None:
    uploaded = _heavier(bundled).with_assumptions(courses_per_completer=3)
    state = ScenarioState(levers=EDUCATION, weights={"active_rate": 5.0})
    sender = _score(state, uploaded, data)
    link = _through_url(to_link(state, uploaded, bundled))
    assert link.state.assumptions == {"courses_per_completer": 3.0}
    assert link.state.weights == {"active_rate": 5.0, "completer_rate": 40.0}
    assert _score(from_link(link, bundled, bundled).state, bundled, data) == sender
    assert sender != _score(state, bundled, data)


def test_plain_link_under_an_uploaded_model_keeps_the_senders_figures(
    bundled: ModelConfig, data: Dataset
) -> None:
    """A link made under the bundled model, opened by someone whose session has the heavier
    model uploaded: rebased onto their file, it still shows 42.15."""
    link = Portable(ScenarioState(levers=EDUCATION))
    opened = from_link(link, _heavier(bundled), bundled)
    assert not opened.other_model
    assert opened.state.weights == {"completer_rate": 20.0}
    assert _score(opened.state, _heavier(bundled), data) == (42.15, 7)


def test_other_shape_carries_a_fingerprint_and_warns(bundled: ModelConfig, data: Dataset) -> None:
    other = _other_shape(bundled)
    state = ScenarioState(levers=EDUCATION)
    assert _score(state, other, data) == (42.84, 7)  # the sender
    link = _through_url(to_link(state, other, bundled))
    assert link.model == shape_fingerprint(other)
    # The recipient on the bundled model: told, and shown the bundled model's figure with the
    # sender's weights (completers at 40), which is not the sender's 42.84.
    opened = from_link(link, bundled, bundled)
    assert opened.other_model
    assert opened.state.weights == {"completer_rate": 40.0}
    assert _score(opened.state, bundled, data) == (42.24, 7)
    # A recipient who uploaded a model of the same shape, even with other weights, sees 42.84.
    same_shape_other_weights = other.with_weights({"completer_rate": 5})
    opened = from_link(link, same_shape_other_weights, bundled)
    assert not opened.other_model
    assert _score(opened.state, same_shape_other_weights, data) == (42.84, 7)


def test_other_shape_weights_that_do_not_fit_are_left_out(bundled: ModelConfig) -> None:
    data = bundled.model_dump(mode="json")
    data["kpis"] = [k for k in data["kpis"] if k["id"] != "pass_rate"]
    fewer = parse_config(data)
    link = to_link(ScenarioState(levers=EDUCATION), bundled.with_weights({"pass_rate": 1}), fewer)
    assert link.model == shape_fingerprint(bundled)
    opened = from_link(link, fewer, fewer)  # a recipient whose model has no pass_rate
    assert opened.other_model
    assert opened.state.levers == EDUCATION
    assert opened.state.weights is None
    assert opened.state.assumptions is None  # the same as this model's own


def test_hostile_weights_are_refused(bundled: ModelConfig) -> None:
    link = Portable(ScenarioState(levers=EDUCATION, weights={"no_such_kpi": 1.0}))
    with pytest.raises(ScoringInputError, match="no_such_kpi"):
        from_link(link, _heavier(bundled), bundled)
