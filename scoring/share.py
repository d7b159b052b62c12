"""Scenario state as a compact, validated payload: for saving, and for shareable links."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import zlib
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from scoring.config import Assumptions, ModelConfig
from scoring.errors import ScenarioError, ScoringInputError, quoted
from scoring.limits import MAX_KPIS, MAX_LINK_CHARS, MAX_LINK_JSON_BYTES, check_weight
from scoring.scenario import MAX_LEVER_VALUE, Lever, LeverKind, Scenario

MAX_LEVERS = 200
QUERY_KEY = "scenario"
# An edition's date in a link: the platform is far younger than 2000, and no month is published
# long ahead (a date naming no published edition is reported by the app, which shows the latest).
EARLIEST_EDITION = dt.date(2000, 1, 1)
LATEST_EDITION = dt.date(2100, 12, 31)
# A compressed link starts with this letter. Today's (uncompressed) links are base64 of JSON that
# starts with "{", so they always start with "e": the two never collide, and old links still open.
COMPRESSED_PREFIX = "Z"


class LinkTooLongError(ScenarioError):
    """The scenario does not fit in a link: save it and share its name instead."""


class LeverState(BaseModel):
    """One lever as stored and shared; checked by `scoring.scenario.Lever` itself, so that a state
    that loads is always a scenario the engine accepts."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    target: str = Field(min_length=1, max_length=200)
    kind: Literal["add", "reach"]
    value: float

    @field_validator("target")
    @classmethod
    def _target_ok(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("target is blank")
        return value

    @field_validator("value")
    @classmethod
    def _value_ok(cls, value: float, info: ValidationInfo) -> float:
        kind = info.data.get("kind")
        if kind is None:
            return value  # the kind's own error is reported; the state is refused anyway
        try:
            # The engine's own checks (finite, non-negative, whole numbers up to
            # MAX_LEVER_VALUE for "add", at most 100 for "reach"): one source of truth.
            Lever(str(info.data.get("target", "lever")), LeverKind(kind), value)
        except ScoringInputError as exc:
            raise ValueError(exc.problems[0]) from None
        return value


def merge_levers(levers: tuple[LeverState, ...]) -> tuple[tuple[LeverState, ...], list[str]]:
    """One lever per target (compared as the engine resolves them: trimmed, case-insensitive),
    keeping the first one's place and spelling. Two "add" levers add up (to at most
    MAX_LEVER_VALUE); two "reach" levers keep the higher share. Different kinds on one target
    raise: there is no single lever that means both. Returns the levers and a note per merge."""
    merged: dict[str, LeverState] = {}
    notes: list[str] = []
    for lever in levers:
        key = lever.target.strip().casefold()
        first = merged.get(key)
        if first is None:
            merged[key] = lever
            continue
        if first.kind != lever.kind:
            raise ValueError(
                f"two levers on {quoted(first.target)} with different kinds ({first.kind}, "
                f"{lever.kind}); keep one"
            )
        if lever.kind == LeverKind.ADD.value:
            value = min(first.value + lever.value, float(MAX_LEVER_VALUE))
        else:
            value = max(first.value, lever.value)
        merged[key] = LeverState(target=first.target, kind=first.kind, value=value)
        notes.append(
            f"two levers on {quoted(first.target)} merged into one: {lever.kind} {value:g}"
        )
    return tuple(merged.values()), notes


class ScenarioState(BaseModel):
    """What the simulator needs to restore a scenario exactly: levers, assumptions, weights, and
    the data edition it looks at (None: the latest, so a link follows new months).

    Valid by construction, however it is made (a link, the store, the app's session): each lever
    passes the engine's own checks, at most one lever per target (duplicates merge), assumptions
    are the model's `Assumptions`, weights are in the model's range, an edition's date is
    within EARLIEST_EDITION and LATEST_EDITION."""

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

    @field_validator("levers")
    @classmethod
    def _one_lever_per_target(cls, levers: tuple[LeverState, ...]) -> tuple[LeverState, ...]:
        return merge_levers(levers)[0]

    @field_validator("assumptions")
    @classmethod
    def _assumptions_ok(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        try:
            Assumptions.model_validate(value)
        except ValidationError as exc:
            raise ValueError("; ".join(_problems(exc))) from None
        return value

    @field_validator("weights")
    @classmethod
    def _weights_ok(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return None
        if len(value) > MAX_KPIS:
            raise ValueError(f"{len(value)} weights; a model has at most {MAX_KPIS} KPIs")
        for kpi, weight in value.items():
            if not kpi or len(kpi) > 64:
                raise ValueError(f"{quoted(kpi)} is not a KPI id")
            check_weight(weight, f"weight of {kpi}")
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
                raise ScenarioError(
                    f"unknown KPI id(s) in weights: {', '.join(quoted(k, 30) for k in unknown)}"
                )
            config.with_weights(self.weights)


@dataclass(frozen=True)
class LoadedState:
    """A scenario as loaded from outside, with what normalising it changed (for a page to show)."""

    state: ScenarioState
    notes: tuple[str, ...]


def _problems(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "scenario"
        out.append(f"{where}: {str(err['msg']).removeprefix('Value error, ')}")
    return out


def load_state(data: Any, source: str = "scenario") -> LoadedState:
    """Validate and normalise scenario data from a link, the store or an upload: two levers on
    one target merge (noted), a lever, assumption or weight out of range or an unknown field is
    refused with a message naming it."""
    try:
        state = ScenarioState.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc), source) from None
    notes: list[str] = []
    raw_levers = data.get("levers") if isinstance(data, dict) else None
    if isinstance(raw_levers, list | tuple) and len(raw_levers) != len(state.levers):
        levers = tuple(LeverState.model_validate(lv) for lv in raw_levers)
        notes = merge_levers(levers)[1]
    return LoadedState(state, tuple(notes))


def parse_state(data: Any, source: str = "scenario") -> ScenarioState:
    return load_state(data, source).state


def to_json(state: ScenarioState) -> str:
    return state.model_dump_json(exclude_none=True)


def _json_data(text: str | bytes, source: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise ScenarioError("not valid scenario data", source) from None


def from_json(text: str, source: str = "scenario") -> ScenarioState:
    return parse_state(_json_data(text, source), source)


def encode_link(state: ScenarioState) -> str:
    """URL-safe text for the `scenario` query parameter: the JSON, deflated, in URL-safe base64,
    behind COMPRESSED_PREFIX. Raises LinkTooLongError beyond MAX_LINK_CHARS."""
    raw = to_json(state).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: no header to spend letters on
    packed = packer.compress(raw) + packer.flush()
    link = COMPRESSED_PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    if len(link) > MAX_LINK_CHARS:
        raise LinkTooLongError(
            f"the scenario needs a link of {len(link):,} characters; the limit is "
            f"{MAX_LINK_CHARS:,}: save the scenario and share its name instead",
            "link",
        )
    return link


def _unpack(packed: bytes, source: str) -> bytes:
    """Inflate at most MAX_LINK_JSON_BYTES: a few kilobytes of link cannot become gigabytes."""
    unpacker = zlib.decompressobj(-15)
    try:
        raw = unpacker.decompress(packed, MAX_LINK_JSON_BYTES + 1)
    except zlib.error:
        raise ScenarioError("the link's scenario is damaged (not readable)", source) from None
    if len(raw) > MAX_LINK_JSON_BYTES or unpacker.unconsumed_tail:
        raise ScenarioError(
            f"the link's scenario unpacks to more than {MAX_LINK_JSON_BYTES:,} bytes", source
        )
    if not unpacker.eof:
        raise ScenarioError("the link's scenario is damaged (cut short)", source)
    if unpacker.unused_data:
        raise ScenarioError("the link's scenario is damaged (extra data at its end)", source)
    return raw


def load_link(value: str) -> LoadedState:
    """The scenario in a link (compressed, or as today's plain links), normalised, with notes; a
    malformed or hostile value raises ScoringInputError."""
    source = "link"
    if not isinstance(value, str) or not value:
        raise ScenarioError("the link holds no scenario", source)
    if len(value) > MAX_LINK_CHARS:
        raise ScenarioError(f"the link is longer than {MAX_LINK_CHARS:,} characters", source)
    compressed = value.startswith(COMPRESSED_PREFIX)
    body = value[1:] if compressed else value
    padded = body + "=" * (-len(body) % 4)
    try:
        raw = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeError, ValueError):
        raise ScenarioError("the link's scenario is damaged (not readable)", source) from None
    if compressed:
        raw = _unpack(raw, source)
    try:
        text = raw.decode("utf-8")
    except UnicodeError:
        raise ScenarioError("the link's scenario is damaged (not readable)", source) from None
    return load_state(_json_data(text, source), source)


def decode_link(value: str) -> ScenarioState:
    """The scenario in a link; a malformed or hostile value raises ScoringInputError."""
    return load_link(value).state
