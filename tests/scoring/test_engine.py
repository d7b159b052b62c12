"""The pipeline: baseline reproduces the published ranking; scenarios move it; batches agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.drift import with_peer_drift
from scoring.engine import Model, category_table, evaluate, ranking_table, simulate
from scoring.ranking import rank_within_category
from scoring.scenario import Lever, LeverKind, Scenario


def test_published_ranks_are_reproduced_for_all_36(model: Model) -> None:
    table = ranking_table(model)
    assert len(table) == 36
    assert (table["computed_rank"] == table["rank"]).all()


def test_no_lever_reproduces_every_state_exactly(model: Model) -> None:
    result = simulate(model, Scenario())
    assert (result.score, result.rank) == (39.09, 8)
    assert (result.baseline_score, result.baseline_rank) == (39.09, 8)
    table = result.category_table
    assert (table["score"] == table["published_score"]).all()
    assert (table["rank"] == table["published_rank"]).all()
    assert table["state"].tolist()[6:] == ["TAMIL NADU", "BIHAR", "WEST BENGAL"]
    assert all(k.contribution == 0 for k in result.kpis)
    for category in "AB":
        other = category_table(model, 39.09, category)
        assert (other["rank"] == other["published_rank"]).all()


def test_fifty_thousand_in_education_moves_bihar_to_seventh(model: Model) -> None:
    result = simulate(
        model, Scenario((Lever("Education Department, Bihar", LeverKind.ADD, 50_000),))
    )
    assert result.extra_completers == 50_000
    assert (result.score, result.rank) == (42.15, 7)
    # The KPI contributions explain the change (before rounding).
    total = sum(k.contribution for k in result.kpis)
    assert abs(39.09 + total - result.score) < 0.005
    assert result.category_table.set_index("state").loc["TAMIL NADU", "rank"] == 8


def test_a_batch_scores_like_one_at_a_time(model: Model) -> None:
    rng = np.random.default_rng(7)
    m = len(model.base_rows)
    batch = rng.integers(0, 2_000, size=(50, m)).astype(float)
    together = evaluate(model, batch).score
    alone = [evaluate(model, row[None]).score[0] for row in batch]
    assert np.array_equal(together, np.array(alone))


def test_weight_batch_matches_rebuilding_the_model(model: Model) -> None:
    from scoring.engine import build_model, score_weight_batch

    weights = np.array([[1, 1, 1, 1, 1, 1, 1], [0, 0, 5, 0, 0, 0, 1.0]])
    added = np.zeros((2, len(model.base_rows)))
    added[1, 1] = 40_000  # Education
    batch = score_weight_batch(model, added, weights)
    assert np.allclose(batch[0], 39.09)  # no change: the published score under any weights
    for w, vector in enumerate(weights):
        config = model.config.with_weights(
            dict(zip([k.id for k in model.config.kpis], vector.tolist(), strict=True))
        )
        alone = evaluate(build_model(config, model.data), added[1:])
        assert abs(batch[1, w] - alone.score[0]) < 0.006


def test_scores_never_exceed_100(model: Model) -> None:
    # Every onboarded user completing (the directive) adds more than 60 model points to 39.09.
    everyone = model.base_rows[:, 0] - model.base_rows[:, 2]
    result = evaluate(model, everyone[None])
    assert result.score[0] == 100.0 and result.rank[0] == 1


def test_department_rows_after_a_scenario(model: Model) -> None:
    result = simulate(
        model, Scenario((Lever("Education Department, Bihar", LeverKind.ADD, 50_000),))
    )
    rows = result.rows
    assert int(rows["added"].sum()) == result.extra_completers == 50_000
    education = rows[rows["department"] == "Education Department, Bihar"]
    assert education["added"].sum() == 50_000
    assert rows.loc[rows["department"] != "Education Department, Bihar", "added"].sum() == 0
    assert (rows["user_completions"] <= rows["onboarded"]).all()
    assert len(rows) == len(model.departments)


def test_shared_tables_are_read_only(model: Model) -> None:
    """The model's arrays are shared by every session: writing to them must fail loudly."""
    with pytest.raises(ValueError, match="read-only"):
        model.base_rows[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        model.is_remainder[0] = True


def _category_table_by_pandas(model: Model, focus_score: float) -> pd.DataFrame:
    """The focus category's table the plain way, to check the precomputed fast path against."""
    ranking = model.data.ranking
    frame = ranking[ranking["category"] == model.focus_category].copy()
    frame["published_score"] = frame["score"]
    frame["published_rank"] = rank_within_category(
        frame["score"].to_numpy(), frame["category"].to_numpy()
    )
    peers = dict(zip(model.others["state"], model.others["score"], strict=True))
    frame["score"] = [
        focus_score if state == model.focus_state else peers.get(state, score)
        for state, score in zip(frame["state"], frame["score"], strict=True)
    ]
    frame["rank"] = rank_within_category(frame["score"].to_numpy(), frame["category"].to_numpy())
    frame = frame.sort_values(["rank", "state"]).reset_index(drop=True)
    return frame[["state", "category", "published_score", "published_rank", "score", "rank"]]


@pytest.mark.parametrize("drift", [None, 0.4, -0.25])
@pytest.mark.parametrize("focus_score", [0.0, 38.06, 39.09, 40.39, 41.5, 100.0])
def test_category_table_matches_the_plain_computation(
    model: Model, drift: float | None, focus_score: float
) -> None:
    """Ties (38.06 and 40.39 are other states' scores), both ends, and peers moved by a drift:
    the copy made by the drift must not reuse the first model's precomputed table."""
    current = model if drift is None else with_peer_drift(model, drift)
    pd.testing.assert_frame_equal(
        category_table(current, focus_score), _category_table_by_pandas(current, focus_score)
    )
    with pytest.raises(ValueError, match="read-only"):
        current.focus_table.scores[0] = 1.0
