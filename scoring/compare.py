"""Scenario runs side by side (before, after, difference, by rank), after COINr's compare step."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from scoring.engine import Model, SimulationResult


def compare(results: Mapping[str, SimulationResult], base: str | None = None) -> pd.DataFrame:
    """One row per run: its score and rank, and their change from `base` (a run's name) or, when
    no base is given, from the published position. Columns: name, score, rank, score_change,
    rank_change (places gained: positive is better), extra_completers."""
    rows = []
    reference = results[base] if base is not None else None
    for name, result in results.items():
        before_score = reference.score if reference else result.baseline_score
        before_rank = reference.rank if reference else result.baseline_rank
        rows.append(
            {
                "name": name,
                "score": result.score,
                "rank": result.rank,
                "score_change": result.score - before_score,
                "rank_change": before_rank - result.rank,
                "extra_completers": result.extra_completers,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["name", "score", "rank", "score_change", "rank_change", "extra_completers"],
    )


def states_above(model: Model) -> list[str]:
    """States of the focus category with a higher published score than the focus state's,
    nearest first: the states a plan could pass."""
    above = model.others[model.others["score"] > model.published_score]
    return [str(s) for s in above.sort_values("score", kind="stable")["state"]]
