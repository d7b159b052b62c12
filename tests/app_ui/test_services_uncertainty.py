"""The Sensitivity services: cached by value (same values, same result object; a changed value,
a fresh computation) and equal to the engine's own answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app_ui.services import ModelRef
from app_ui.services import uncertainty as services
from scoring.calibration import fit_weights
from scoring.config import load_config
from scoring.data import load_dataset
from scoring.engine import build_model
from scoring.scenario import Lever, LeverKind, lever_additions
from scoring.sensitivity import draw_weights, rank_distribution, tornado

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def ref() -> ModelRef:
    return ModelRef("test-model", build_model(load_config(), load_dataset()))


@pytest.fixture(scope="module")
def added(ref: ModelRef) -> np.ndarray:
    lever = Lever("Education Department, Bihar", LeverKind.ADD, 50_000)
    return lever_additions(ref.model.data.departments, (lever,)).added


def test_rank_odds_are_cached_by_value(ref: ModelRef, added: np.ndarray) -> None:
    first = services.rank_odds(ref, added, 30.0, 2_000, 7)
    assert services.rank_odds(ref, added.copy(), 30.0, 2_000, 7) is first  # equal, not same
    expected = rank_distribution(ref.model, added, draw_weights(ref.model.weights, 2_000, 30.0, 7))
    np.testing.assert_array_equal(first.scenario, expected.scenario)
    other_seed = services.rank_odds(ref, added, 30.0, 2_000, 8)
    assert other_seed is not first
    # Today's rank does not depend on the weights (anchoring): 8th under every draw.
    assert other_seed.baseline[7] == 1.0 and first.baseline[7] == 1.0
    uniform = services.rank_odds(ref, added, None, 2_000, 7)
    assert uniform is not first


def test_a_new_model_key_recomputes(ref: ModelRef, added: np.ndarray) -> None:
    first = services.weight_swings(ref, added)
    again = services.weight_swings(ModelRef("another-model", ref.model), added)
    assert again is not first
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, tornado(ref.model, added))
    assert services.weight_swings(ref, np.zeros_like(added)) is not first


def test_marginal_gains_follow_the_additions(ref: ModelRef, added: np.ndarray) -> None:
    none = services.marginal_gains(ref, np.zeros_like(added))
    some = services.marginal_gains(ref, added)
    assert none is not some
    assert services.marginal_gains(ref, added.copy()) is some
    education = "Education Department, Bihar"
    # Education's next 1,000 completers are worth less once 50,000 are already added there
    # (active-user KPIs saturate), never more.
    gain = lambda frame: float(frame.set_index("department").loc[education, "points"])  # noqa: E731
    assert gain(some) <= gain(none)


def test_the_fit_is_cached_by_table_content(ref: ModelRef) -> None:
    ranking = load_dataset().ranking
    peers = ranking[(ranking["category"] == "C") & (ranking["state"] != "BIHAR")]
    rng = np.random.default_rng(3)
    ids = [k.id for k in load_config().kpis]
    values = {kpi: rng.uniform(0, 1, len(peers)) for kpi in ids}
    kpis = pd.DataFrame({"state": peers["state"].to_numpy(), **values})
    fit = services.calibration(ref, kpis)
    assert services.calibration(ref, kpis.copy()) is fit
    expected = fit_weights(kpis, ref.model.data.ranking, ref.model.config)
    np.testing.assert_allclose(fit.weights, expected.weights)
    changed = kpis.assign(**{ids[0]: kpis[ids[0]] / 2})
    assert services.calibration(ref, changed) is not fit


def test_bihar_pace_is_read_once() -> None:
    snapshots, pace = services.bihar_pace()
    assert services.bihar_pace()[0] is snapshots
    assert len(snapshots) == 2
    assert pace.per_month["completions"] == pytest.approx((931_710 - 23_724) / (450 / 30.4375))
