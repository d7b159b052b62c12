"""The focus state's published standing: rank, neighbours and gaps, days left, KPIs at baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from scoring.aggregate import normalised
from scoring.config import Pillar
from scoring.deadline import days_left
from scoring.engine import Model, category_table

# The KPI table lists users' readiness first, then consumption, then the organisations' hygiene:
# from the users the letter talks about to the rule about MDOs.
PILLAR_ORDER = (Pillar.READINESS, Pillar.CONSUMPTION, Pillar.HYGIENE)


@dataclass(frozen=True)
class Neighbour:
    """A state next to the focus state in its category, and the points between them (>= 0)."""

    state: str
    score: float
    gap: float


@dataclass(frozen=True)
class Standing:
    """Where the focus state stands at baseline, as the model sees its category (the others'
    published scores, or moved by a peer drift)."""

    state: str
    category: str
    score: float
    rank: int
    count: int  # states in the category
    above: Neighbour | None  # None at the top of the category
    below: Neighbour | None  # None at the bottom
    as_of: dt.date
    deadline: dt.date
    days_left: int


def standing(model: Model) -> Standing:
    table = category_table(model, model.published_score)
    states = table["state"].tolist()
    scores = table["score"].astype(float).tolist()
    position = states.index(model.focus_state)
    own = model.published_score
    above = (
        Neighbour(str(states[position - 1]), scores[position - 1], scores[position - 1] - own)
        if position > 0
        else None
    )
    below = (
        Neighbour(str(states[position + 1]), scores[position + 1], own - scores[position + 1])
        if position < len(states) - 1
        else None
    )
    deadline = model.config.deadline
    return Standing(
        state=model.focus_state,
        category=model.focus_category,
        score=own,
        rank=model.published_rank,
        count=len(table),
        above=above,
        below=below,
        as_of=model.data.as_of,
        deadline=deadline,
        days_left=days_left(model.data.as_of, deadline),
    )


def categories(model: Model) -> list[str]:
    """The ranking's categories, sorted."""
    return sorted(str(c) for c in model.data.ranking["category"].unique())


def baseline_kpis(model: Model) -> pd.DataFrame:
    """The focus state's KPIs at baseline, one row each: id, pillar, kind (of sub-score), value
    (raw), subscore (0-100), weight_share (normalised weight). Ordered by PILLAR_ORDER, then by
    weight share, largest first (the config's order among equals)."""
    share = normalised(model.weights)
    frame = pd.DataFrame(
        {
            "id": [k.id for k in model.config.kpis],
            "pillar": [k.pillar.value for k in model.config.kpis],
            "kind": [k.subscore.kind.value for k in model.config.kpis],
            "value": model.baseline_raw.astype(float),
            "subscore": model.baseline_subscores.astype(float),
            "weight_share": share.astype(float),
        }
    )
    order = {p.value: i for i, p in enumerate(PILLAR_ORDER)}
    frame["_pillar_order"] = frame["pillar"].map(order)
    frame["_minus_share"] = -frame["weight_share"]
    frame = frame.sort_values(["_pillar_order", "_minus_share"], kind="stable")
    return frame.drop(columns=["_pillar_order", "_minus_share"]).reset_index(drop=True)
