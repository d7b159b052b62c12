"""Anchoring to the published score, rounding to the published precision, and ranks."""

from __future__ import annotations

import numpy as np


def round_half_up(scores: np.ndarray | float, decimals: int) -> np.ndarray:
    """Round as the published tables do (half away from zero for positive scores)."""
    scale = 10.0**decimals
    return np.floor(np.asarray(scores, dtype=float) * scale + 0.5 + 1e-7) / scale


def anchor(published: float, model_scenario: np.ndarray, model_baseline: float) -> np.ndarray:
    """published + (model(scenario) - model(baseline)): no change reproduces the published score.

    Capped to the 0-100 range of a composite: near the top the additive anchor would otherwise
    promise more than 100 points.
    """
    return np.clip(published + (np.asarray(model_scenario, dtype=float) - model_baseline), 0, 100)


def rank_within_category(scores: np.ndarray, categories: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score in each category; equal scores share the better rank."""
    scores = np.asarray(scores, dtype=float)
    categories = np.asarray(categories)
    same = categories[:, None] == categories[None, :]
    higher = scores[None, :] > scores[:, None] + 1e-9
    return 1 + (same & higher).sum(axis=1)


def rank_against(focus_scores: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Rank of each of a batch of focus scores (S,) among fixed other scores (O,)."""
    focus_scores = np.asarray(focus_scores, dtype=float)
    return 1 + (np.asarray(others, dtype=float)[None, :] > focus_scores[:, None] + 1e-9).sum(axis=1)
