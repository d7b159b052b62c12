"""Load and validate the scoring model (config/kpis.yaml) into typed, frozen pydantic models."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scoring.errors import ConfigError, ScoringInputError
from scoring.limits import (
    MAX_CATEGORIES,
    MAX_CONFIG_BYTES,
    MAX_COUNT,
    MAX_DATE,
    MAX_KPIS,
    MAX_NAME,
    MAX_TARGET,
    MIN_DATE,
    check_weight,
    read_capped,
)

COLUMNS: tuple[str, ...] = (
    "onboarded",
    "active",
    "user_completions",
    "enrolments",
    "completions",
    "hours",
    "attempted",
    "passed",
)
DEFAULT_CONFIG_PATH = Path(__file__).resolve().parents[1] / "config" / "kpis.yaml"


class Pillar(StrEnum):
    HYGIENE = "hygiene"
    READINESS = "readiness"
    CONSUMPTION = "consumption"


class Aggregation(StrEnum):
    POOLED = "pooled"
    MDO_SHARE = "mdo_share"


class SubscoreKind(StrEnum):
    RATIO = "ratio"
    TARGET = "target"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Label(_Frozen):
    en: str = Field(min_length=1, max_length=MAX_NAME)
    hi: str = Field(min_length=1, max_length=MAX_NAME)


class Subscore(_Frozen):
    kind: SubscoreKind
    target: float | None = None

    @model_validator(mode="after")
    def _target_fits_kind(self) -> Subscore:
        if self.kind is SubscoreKind.TARGET:
            if self.target is None:
                raise ValueError("a 'target' sub-score needs a positive 'target'")
            if not math.isfinite(self.target) or self.target <= 0:
                raise ValueError("target must be a positive finite number")
            if self.target > MAX_TARGET:
                raise ValueError(f"target {self.target:g} is above the maximum of {MAX_TARGET:g}")
        elif self.target is not None:
            raise ValueError("'target' is only allowed with kind: target")
        return self


class KpiSpec(_Frozen):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    pillar: Pillar
    numerator: str
    denominator: str
    aggregation: Aggregation
    threshold: float | None = None
    subscore: Subscore
    weight: float
    # One plain line for the interface, in both languages: what the KPI counts and why it moves.
    explanation: Label | None = None

    @field_validator("numerator", "denominator")
    @classmethod
    def _known_column(cls, value: str) -> str:
        if value not in COLUMNS:
            raise ValueError(f"unknown column {value!r}; use one of {', '.join(COLUMNS)}")
        return value

    @field_validator("weight", mode="before")
    @classmethod
    def _weight_not_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):  # YAML's yes/true would otherwise count as 1
            raise ValueError("weight must be a number, not true/false")
        return value

    @field_validator("weight")
    @classmethod
    def _weight_ok(cls, value: float) -> float:
        return check_weight(value)

    @model_validator(mode="after")
    def _threshold_fits_aggregation(self) -> KpiSpec:
        if self.aggregation is Aggregation.MDO_SHARE:
            if self.threshold is None or not (0 < self.threshold <= MAX_TARGET):
                raise ValueError(
                    "an mdo_share KPI needs a positive 'threshold' (e.g. 0.5) of at most "
                    f"{MAX_TARGET:g}"
                )
        elif self.threshold is not None:
            raise ValueError("'threshold' is only allowed with aggregation: mdo_share")
        return self


class Category(_Frozen):
    id: str = Field(min_length=1, max_length=8)
    max_employees: int | None = Field(default=None, ge=1, le=MAX_COUNT)


class Assumptions(_Frozen):
    """What one more completer does to a unit's row."""

    courses_per_completer: float = Field(default=2, gt=0, le=50)
    hours_per_course: float | Literal["unit"] = 1.67
    from_inactive: float | Literal["proportional"] = "proportional"
    enrolments_per_course: float = Field(default=1.0, ge=1, le=20)
    activation_ceiling: float = Field(default=0.9, gt=0, le=1)

    @field_validator("hours_per_course")
    @classmethod
    def _hours_ok(cls, value: float | str) -> float | str:
        if isinstance(value, float | int) and not (0 < value <= 100):
            raise ValueError("hours_per_course must be above 0 and at most 100, or 'unit'")
        return value

    @field_validator("from_inactive")
    @classmethod
    def _share_ok(cls, value: float | str) -> float | str:
        if isinstance(value, float | int) and not (0 <= value <= 1):
            raise ValueError("from_inactive must be between 0 and 1, or 'proportional'")
        return value


class ModelVariant(_Frozen):
    """Another shape the unknown official formula might have: the KPIs it changes, each with only
    the fields that differ (e.g. `aggregation: pooled, threshold: null`). The chance of a plan
    counts every variant as `plausibility` times as likely as the model itself."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    plausibility: float = Field(default=1.0, gt=0, le=100)
    kpis: dict[str, dict[str, Any]] = Field(min_length=1)


class ModelConfig(_Frozen):
    version: Literal[1] = 1
    focus_state: str = Field(default="BIHAR", min_length=1, max_length=MAX_NAME)
    deadline: dt.date = Field(default=dt.date(2026, 3, 31), ge=MIN_DATE, le=MAX_DATE)
    score_decimals: int = Field(default=2, ge=0, le=6)
    categories: tuple[Category, ...] = Field(min_length=1, max_length=MAX_CATEGORIES)
    kpis: tuple[KpiSpec, ...] = Field(min_length=1, max_length=MAX_KPIS)
    scenario: Assumptions = Assumptions()
    variants: tuple[ModelVariant, ...] = Field(default=(), max_length=10)

    @model_validator(mode="after")
    def _consistent(self) -> ModelConfig:
        problems: list[str] = []
        for variant in self.variants:
            try:
                self.variant_kpis(variant)
            except ValueError as exc:
                problems.append(f"variants[{variant.id!r}]: {exc}")
        seen: set[str] = set()
        for kpi in self.kpis:
            if kpi.id in seen:
                problems.append(f"kpis: duplicate id {kpi.id!r}")
            seen.add(kpi.id)
        if sum(k.weight for k in self.kpis) <= 0:
            problems.append("kpis: all weights are zero; give at least one KPI a positive weight")
        cat_ids = [c.id for c in self.categories]
        if len(set(cat_ids)) != len(cat_ids):
            problems.append("categories: duplicate category id")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def variant_kpis(self, variant: ModelVariant) -> tuple[KpiSpec, ...]:
        """The model's KPIs with a variant's changes applied (validated like the file)."""
        by_id = {k.id: k for k in self.kpis}
        unknown = [kid for kid in variant.kpis if kid not in by_id]
        if unknown:
            raise ValueError(f"no KPI called {', '.join(map(repr, unknown))}")
        out = []
        for kpi in self.kpis:
            changes = variant.kpis.get(kpi.id)
            if changes is None:
                out.append(kpi)
                continue
            if "id" in changes:
                raise ValueError(f"{kpi.id}: a variant cannot rename a KPI")
            try:
                out.append(KpiSpec.model_validate({**kpi.model_dump(), **changes}))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = "".join(f".{p}" for p in first.get("loc", ()))
                message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
                raise ValueError(f"{kpi.id}{where}: {message}") from None
        return tuple(out)

    @property
    def shapes(self) -> tuple[tuple[tuple[KpiSpec, ...], float], ...]:
        """The model's KPIs and each variant's, with their relative plausibility."""
        variants = ((self.variant_kpis(v), v.plausibility) for v in self.variants)
        return ((self.kpis, 1.0), *variants)

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(k.weight for k in self.kpis)

    def with_weights(self, weights: Mapping[str, float]) -> ModelConfig:
        """A copy with some KPI weights replaced (validated like the file)."""
        data = self.model_dump(mode="json")
        for kpi in data["kpis"]:
            if kpi["id"] in weights:
                kpi["weight"] = weights[kpi["id"]]
        return parse_config(data)

    def with_assumptions(self, **changes: Any) -> ModelConfig:
        data = self.model_dump(mode="json")
        data["scenario"].update(changes)
        return parse_config(data)


def _format_error(error: Mapping[str, Any], raw: Any) -> str:
    """One line per problem naming the field, with the KPI id where there is one."""
    loc = list(error.get("loc", ()))
    parts: list[str] = []
    node = raw
    for item in loc:
        if isinstance(item, int) and isinstance(node, list) and 0 <= item < len(node):
            node = node[item]
            ident = node.get("id") if isinstance(node, dict) else None
            parts[-1] = f"{parts[-1]}[{ident!r}]" if ident else f"{parts[-1]}[{item}]"
            continue
        if isinstance(item, str) and item in {
            "float",
            "int",
            "str",
            "literal['unit']",
            "literal['proportional']",
        }:
            continue  # union branch names say nothing to a planner
        parts.append(str(item))
        node = node.get(item) if isinstance(node, dict) else None
    where = ".".join(parts) or "config"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {message}"


def parse_config(raw: Any, source: str = "config") -> ModelConfig:
    if not isinstance(raw, dict):
        raise ConfigError("the file must be a YAML mapping with 'kpis' and 'categories'", source)
    try:
        return ModelConfig.model_validate(raw)
    except ValidationError as exc:
        seen: list[str] = []
        for err in exc.errors():
            line = _format_error(err, raw)
            if line not in seen:
                seen.append(line)
        raise ConfigError(seen, source) from None


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors/aliases: a model file never needs them, and aliases are how a
    small file expands into a huge one."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ConfigError(
                f"anchors and aliases (*{event.anchor}) are not supported, at line "
                f"{event.start_mark.line + 1}; write the values out"
            )
        return super().compose_node(parent, index)


def parse_config_text(text: str | bytes, source: str = "config") -> ModelConfig:
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError(f"file is larger than {MAX_CONFIG_BYTES:,} bytes", source)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConfigError("file is not UTF-8 text", source) from None
    try:
        raw = yaml.load(text, Loader=_NoAliasLoader)
    except ScoringInputError as exc:
        raise ConfigError(exc.problems, source) from None
    except RecursionError:
        raise ConfigError("the file is nested too deeply", source) from None
    except ValueError as exc:
        # PyYAML builds dates itself: `deadline: 2026-02-30` raises ValueError, not YAMLError.
        raise ConfigError(f"not valid YAML: {exc} (a date such as 2026-02-30?)", source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise ConfigError(f"not valid YAML{where}: {problem}", source) from None
    return parse_config(raw, source)


def load_config(path: str | Path = DEFAULT_CONFIG_PATH) -> ModelConfig:
    path = Path(path)
    return parse_config_text(read_capped(path, MAX_CONFIG_BYTES, str(path)), path.name)


def dump_config(config: ModelConfig) -> str:
    """YAML text of a model, for download."""
    return yaml.safe_dump(config.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
