"""Turn raw KPI values into 0-100 sub-scores."""

from __future__ import annotations

import numpy as np

from scoring.config import KpiSpec, SubscoreKind


def subscores(raw: np.ndarray, kpis: tuple[KpiSpec, ...]) -> np.ndarray:
    """Sub-scores (S, K) in [0, 100]: a ratio in percent, or value / target, both capped."""
    scale = np.array(
        [
            100.0
            if k.subscore.kind is SubscoreKind.RATIO
            else 100.0 / float(k.subscore.target or 1)
            for k in kpis
        ]
    )
    return np.clip(raw * scale, 0.0, 100.0)
