"""Scenarios that travel between model files: what a link must carry so that it opens with the
sender's numbers under another model file, and a fingerprint of a model's shape for when it cannot.

A link is read against the bundled model (config/kpis.yaml) unless it says otherwise. A scenario
made under an uploaded model file of the same *shape* (same KPIs, formulas, targets, categories,
anchoring; only the weights and the assumptions differ) is rewritten as the bundled model plus
the weights and assumptions that differ: it opens with exactly the sender's numbers anywhere.
A model of another shape cannot ride in a link (a model file is several KB and is code-like
input); the link then carries the scenario's full weights and assumptions and the shape's
fingerprint, and the recipient is told plainly when the model in use there is another one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from scoring.config import ModelConfig
from scoring.errors import ScoringInputError
from scoring.share import LeverState, ScenarioState

FINGERPRINT_CHARS = 16


def _shape(config: ModelConfig) -> dict[str, Any]:
    """The model without what a scenario carries (weights, assumptions) and without what does not
    change a number (KPI labels)."""
    data = config.model_dump(mode="json")
    data.pop("scenario", None)
    for kpi in data["kpis"]:
        kpi.pop("weight", None)
        kpi.pop("label", None)
    return data


def shape_fingerprint(config: ModelConfig) -> str:
    """A short hash of the model's shape: equal for two model files that score every scenario
    alike once given the same weights and assumptions."""
    text = json.dumps(_shape(config), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def same_shape(a: ModelConfig, b: ModelConfig) -> bool:
    return _shape(a) == _shape(b)


def effective_config(state: ScenarioState, base: ModelConfig) -> ModelConfig:
    """The model a scenario runs under: `base` with the scenario's weights and assumptions
    (ScoringInputError if they do not fit it)."""
    config = base
    if state.weights:
        unknown = sorted(set(state.weights) - {k.id for k in base.kpis})
        if unknown:
            raise ScoringInputError(f"unknown KPI id(s) in weights: {', '.join(unknown)}")
        config = config.with_weights(state.weights)
    if state.assumptions:
        config = config.with_assumptions(**state.assumptions)
    return config


def _assumptions(config: ModelConfig) -> dict[str, Any]:
    return config.scenario.model_dump(mode="json")


def relative_state(
    levers: tuple[LeverState, ...], effective: ModelConfig, base: ModelConfig
) -> ScenarioState:
    """`levers` with the weights and assumptions by which `effective` differs from `base`, so
    that effective_config(result, base) scores like `effective`. Weights need the same shape."""
    weights = {
        mine.id: mine.weight
        for mine, theirs in zip(effective.kpis, base.kpis, strict=True)
        if mine.weight != theirs.weight
    }
    wanted, given = _assumptions(effective), _assumptions(base)
    assumptions = {name: value for name, value in wanted.items() if given.get(name) != value}
    return ScenarioState(levers=levers, assumptions=assumptions or None, weights=weights or None)


def full_state(levers: tuple[LeverState, ...], effective: ModelConfig) -> ScenarioState:
    """`levers` with every weight and every assumption of `effective`: exact under any model
    file of the same shape, whatever its own weights."""
    return ScenarioState(
        levers=levers,
        assumptions=_assumptions(effective),
        weights={k.id: k.weight for k in effective.kpis},
    )


@dataclass(frozen=True)
class Portable:
    """A scenario as a link carries it: `state` is read against the bundled model, or, when
    `model` is set (the fingerprint of the sender's model shape), against a model of that shape."""

    state: ScenarioState
    model: str | None = None


def to_link(state: ScenarioState, file: ModelConfig, bundled: ModelConfig) -> Portable:
    """What a link must carry for `state` made under the model file `file`."""
    if file == bundled:
        return Portable(state)  # today's links, unchanged
    effective = effective_config(state, file)
    if same_shape(file, bundled):
        return Portable(relative_state(state.levers, effective, bundled))
    return Portable(full_state(state.levers, effective), shape_fingerprint(file))


@dataclass(frozen=True)
class Opened:
    """A link's scenario as it opens under the recipient's model file. `other_model` is True when
    the recipient's numbers can differ from the sender's: the link was made under a model of
    another shape than the one in use here."""

    state: ScenarioState
    other_model: bool = False


def from_link(link: Portable, file: ModelConfig, bundled: ModelConfig) -> Opened:
    """The scenario to run under the recipient's model file `file` (ScoringInputError if the
    link's weights or assumptions do not fit the model it was made under)."""
    if link.model is None:
        if file == bundled:
            return Opened(link.state)  # today's links, unchanged
        if same_shape(file, bundled):
            return Opened(
                relative_state(link.state.levers, effective_config(link.state, bundled), file)
            )
    elif link.model == shape_fingerprint(file):
        # Full weights and assumptions: exact under this file, whatever its own weights.
        return Opened(relative_state(link.state.levers, effective_config(link.state, file), file))
    # A model of another shape: the scenario opens under the model in use here, with the link's
    # levers and assumptions, and its weights where they fit this model; the recipient is told.
    state = ScenarioState(levers=link.state.levers, assumptions=link.state.assumptions)
    if link.state.weights:
        weighted = state.model_copy(update={"weights": link.state.weights})
        try:
            effective_config(weighted, file)
            state = weighted
        except ScoringInputError:
            pass
    # Only what differs from this file, so that the state reads like one made here.
    return Opened(relative_state(state.levers, effective_config(state, file), file), True)
