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
    """Rank 1 = highest score in each category; equal scores share the better rank.

    A score counts as higher only when it is more than 1e-9 above. Sorted per category and
    searched, O(n log n) time and O(n) memory: the pairwise comparison this replaces built n x n
    matrices (1.6 GB for 20,000 states).
    """
    scores = np.asarray(scores, dtype=float)
    categories = np.asarray(categories)
    n = scores.size
    if n == 0:
        return np.ones(scores.shape, dtype=np.int64)
    _, codes = np.unique(categories.ravel(), return_inverse=True)
    # g(x) = how many scores are <= x. For a score s_j and a bar t: s_j <= t exactly when
    # g(s_j) <= g(t), so (category, g) as one integer key turns "higher in my category" into two
    # binary searches, whatever the number of categories.
    everything = np.sort(scores.ravel())
    span = n + 1
    keys = codes.astype(np.int64) * span + np.searchsorted(everything, scores.ravel(), "right")
    bars = codes.astype(np.int64) * span + np.searchsorted(
        everything, scores.ravel() + 1e-9, "right"
    )
    keys.sort()
    not_higher = np.searchsorted(keys, bars, side="right")
    block_end = np.searchsorted(keys, codes.astype(np.int64) * span + n, side="right")
    return (1 + block_end - not_higher).reshape(scores.shape)


def rank_against(focus_scores: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Rank of each of a batch of focus scores (S,) among fixed other scores (O,), in
    O((S + O) log O) time and O(S + O) memory."""
    focus_scores = np.asarray(focus_scores, dtype=float)
    ordered = np.sort(np.asarray(others, dtype=float))
    return 1 + (ordered.size - np.searchsorted(ordered, focus_scores + 1e-9, side="right"))
