"""The weights' effect on screen: edited against default figures, deltas only where they differ,
fewer completers shown as the better direction, an unreachable goal in words."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.goal import GoalTarget
from scoring.weight_effect import WeightEffect

EFFECT = WeightEffect(
    score=43.0,
    default_score=42.15,
    score_change=0.85,
    rank=6,
    default_rank=7,
    places=1,
    category="C",
    count=9,
    extra_completers=50_000,
    target=GoalTarget(beat="TAMIL NADU"),
    goal=5_000,
    default_goal=6_568,
    goal_change=-1_568,
)


# AppTest runs this function's source alone (no `from __future__ import annotations`, no imports
# of this module), so its annotations must not name anything: quoted.
def _script(effect: "WeightEffect", levers: int) -> None:  # noqa: UP037
    from app_ui import session
    from app_ui.views.weights import effect as show

    session.init()
    show(effect, levers)


def _metrics(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta or None) for m in at.metric}


def test_effect_against_the_model_files_weights() -> None:
    at = AppTest.from_function(_script, args=(EFFECT, 1), default_timeout=30).run()
    assert not at.exception
    shown = _metrics(at)
    assert shown["Scenario score"] == ("43.00", "+0.85")
    assert shown["Scenario rank in category C"] == ("6 of 9", "+1")
    assert shown["Completers for passing TAMIL NADU"] == ("5,000", "-1,568")
    goal = next(m for m in at.metric if m.label.startswith("Completers"))
    assert "color: GREEN" in str(goal.proto)  # fewer completers needed is the better way
    assert "Levers on the simulator: 1; extra completers: 50,000" in at.caption[0].value


def test_same_weights_show_no_deltas_and_an_unreachable_goal_in_words() -> None:
    same = WeightEffect(
        **{
            **EFFECT.__dict__,
            "score": 42.15,
            "score_change": 0.0,
            "rank": 7,
            "places": 0,
            "target": GoalTarget(rank=1),
            "goal": None,
            "default_goal": None,
            "goal_change": None,
        }
    )
    at = AppTest.from_function(_script, args=(same, 0), default_timeout=30).run()
    assert not at.exception
    shown = _metrics(at)
    assert shown["Scenario score"] == ("42.15", None)
    assert shown["Scenario rank in category C"] == ("7 of 9", None)
    assert shown["Completers for rank 1"] == ("not reachable", None)
    assert "No lever is set" in at.caption[0].value
