"""Nowcast: the estimated score and rank today when the department table is newer than the
ranking, as published + model(newer table) - model(table at the ranking's date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from scoring.config import ModelConfig
from scoring.editions import EditionData
from scoring.engine import Model, build_model, evaluate


@dataclass(frozen=True)
class Nowcast:
    """An estimate, always shown with both dates and beside the published position."""

    score: float
    rank: int
    published_score: float
    published_rank: int
    ranking_as_of: dt.date
    departments_as_of: dt.date
    anchor_departments_as_of: dt.date

    @property
    def change(self) -> float:
        return round(self.score - self.published_score, 10)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "rank": self.rank,
            "published_score": self.published_score,
            "published_rank": self.published_rank,
            "ranking_as_of": self.ranking_as_of.isoformat(),
            "departments_as_of": self.departments_as_of.isoformat(),
            "anchor_departments_as_of": self.anchor_departments_as_of.isoformat(),
        }


@dataclass(frozen=True)
class AnchoredModel:
    """The engine's Model on an edition, with the dates it stands on and the nowcast if any.
    `model` starts from the newest department table: evaluating it with no additions gives the
    nowcast, so simulate and goal seek start there; `model.published_score` and
    `model.published_rank` stay the published position."""

    model: Model
    data: EditionData
    nowcast: Nowcast | None

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.data.warnings

    def dates(self) -> dict[str, Any]:
        """What the command line's JSON and the pages state: both dates, the nowcast if any."""
        out: dict[str, Any] = {
            "ranking_as_of": self.data.ranking_as_of.isoformat(),
            "departments_as_of": self.data.departments_as_of.isoformat(),
        }
        if not self.data.exact_anchor:
            out["anchor_departments_as_of"] = self.data.anchor_departments_as_of.isoformat()
            out["warnings"] = list(self.data.warnings)
        if self.nowcast is not None:
            out["nowcast"] = {"score": self.nowcast.score, "rank": self.nowcast.rank}
        return out


def anchored_model(config: ModelConfig, data: EditionData) -> AnchoredModel:
    """The model for an edition: plain when the department table is the ranking's own (or the
    only one), nowcast when it is newer than the anchor's table. The one way a config meets an
    edition: the model's variants and every sampled weighting take their anchor from the
    model it returns (`Model.anchor_subscores`), so they stand on the same table."""
    ranking_as_of = data.ranking_as_of
    if not data.is_nowcast:
        model = build_model(config, data.dataset, ranking_as_of=ranking_as_of)
        return AnchoredModel(model, data, None)
    model = build_model(config, data.dataset, data.anchor_table, ranking_as_of)
    start = evaluate(model, np.zeros((1, len(model.base_rows))))
    nowcast = Nowcast(
        score=float(start.score[0]),
        rank=int(start.rank[0]),
        published_score=model.published_score,
        published_rank=model.published_rank,
        ranking_as_of=data.ranking_as_of,
        departments_as_of=data.departments_as_of,
        anchor_departments_as_of=data.anchor_departments_as_of,
    )
    return AnchoredModel(model, data, nowcast)
