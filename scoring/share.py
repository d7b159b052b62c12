"""Scenario state as a compact, validated payload: for saving, and for shareable links."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scoring.config import Assumptions, ModelConfig
from scoring.errors import ScoringInputError
from scoring.scenario import Lever, LeverKind, Scenario

MAX_LINK_CHARS = 8_000
MAX_LEVERS = 200
QUERY_KEY = "scenario"
# An edition's date in a link: the platform is far younger than 2000, and no month is published
# long ahead (a date naming no published edition is reported by the app, which shows the latest).
EARLIEST_EDITION = dt.date(2000, 1, 1)
LATEST_EDITION = dt.date(2100, 12, 31)


class LeverState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    target: str = Field(min_length=1, max_length=200)
    kind: Literal["add", "reach"]
    value: float

    @field_validator("value")
    @classmethod
    def _value_ok(cls, value: float) -> float:
        if not math.isfinite(value) or value < 0:
            raise ValueError("must be a non-negative number")
        return value


class ScenarioState(BaseModel):
    """What the simulator needs to restore a scenario exactly: levers, assumptions, weights, and
    the data edition it looks at (None: the latest, so a link follows new months)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: Literal[1] = 1
    levers: tuple[LeverState, ...] = Field(default=(), max_length=MAX_LEVERS)
    assumptions: dict[str, Any] | None = None
    weights: dict[str, float] | None = None
    edition: dt.date | None = None

    @field_validator("edition")
    @classmethod
    def _edition_ok(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not EARLIEST_EDITION <= value <= LATEST_EDITION:
            raise ValueError(
                f"{value.isoformat()} is outside {EARLIEST_EDITION.isoformat()} to "
                f"{LATEST_EDITION.isoformat()}"
            )
        return value

    def to_scenario(self) -> Scenario:
        """The engine's Scenario of these levers (the one conversion, used everywhere)."""
        return Scenario(
            tuple(Lever(lv.target, LeverKind(lv.kind), float(lv.value)) for lv in self.levers)
        )

    def check_against(self, config: ModelConfig) -> None:
        """Raise ScoringInputError if the assumptions or weights do not fit the model."""
        if self.assumptions:
            config.with_assumptions(**self.assumptions)
        if self.weights:
            unknown = sorted(set(self.weights) - {k.id for k in config.kpis})
            if unknown:
                raise ScoringInputError(f"unknown KPI id(s) in weights: {', '.join(unknown)}")
            config.with_weights(self.weights)


def _problems(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "scenario"
        out.append(f"{where}: {str(err['msg']).removeprefix('Value error, ')}")
    return out


def parse_state(data: Any, source: str = "scenario") -> ScenarioState:
    try:
        state = ScenarioState.model_validate(data)
    except ValidationError as exc:
        raise ScoringInputError(_problems(exc), source) from None
    if state.assumptions:
        try:
            Assumptions.model_validate(state.assumptions)
        except ValidationError as exc:
            raise ScoringInputError(_problems(exc), source) from None
    return state


def to_json(state: ScenarioState) -> str:
    return state.model_dump_json(exclude_none=True)


def from_json(text: str, source: str = "scenario") -> ScenarioState:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ScoringInputError("not valid scenario data", source) from None
    return parse_state(data, source)


def encode_link(state: ScenarioState) -> str:
    """URL-safe text for the `scenario` query parameter."""
    raw = to_json(state).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_link(value: str) -> ScenarioState:
    """The scenario in a link; a malformed or hostile value raises ScoringInputError."""
    source = "link"
    if not isinstance(value, str) or not value:
        raise ScoringInputError("the link holds no scenario", source)
    if len(value) > MAX_LINK_CHARS:
        raise ScoringInputError(f"the link is longer than {MAX_LINK_CHARS:,} characters", source)
    padded = value + "=" * (-len(value) % 4)
    try:
        raw = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise ScoringInputError("the link's scenario is damaged (not readable)", source) from None
    return from_json(text, source)
