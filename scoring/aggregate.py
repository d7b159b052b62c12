"""Weighted composite of sub-scores, for one weight vector or a batch of them."""

from __future__ import annotations

import numpy as np


def normalised(weights: np.ndarray) -> np.ndarray:
    """Weights scaled to sum to 1 along the last axis."""
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum(axis=-1, keepdims=True)


def composite(subs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Composite score(s) in [0, 100].

    subs (S, K) with weights (K,) gives (S,); with a batch of weights (W, K) gives (S, W), as one
    matrix product.
    """
    return subs @ normalised(weights).T
