"""What does it take?: the proven fewest with its chance, a 90% plan checked on fresh draws, the
price of certainty, and a loaded plan landing on the Simulator with its result."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import levers_of, open_app, open_page

pytestmark = pytest.mark.filterwarnings("ignore")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _ask(at: AppTest, robust: bool = False) -> AppTest:
    at.radio(key="goal_goal_mode").set_value("beat").run()
    assert at.selectbox(key="goal_goal_state").value == "TAMIL NADU"
    if robust:
        at.radio(key="goal_goal_kind").set_value("robust").run()
        assert at.selectbox(key="goal_goal_level").value == 90  # the default
    at.button(key="goal_goal_run").click().run()
    assert not at.exception, at.exception
    return at


def test_goal_page_is_second_in_the_navigation() -> None:
    at = open_app()
    assert at.session_state["lang"] == "en"
    at = open_page("goal")
    assert at.title[0].value == "What does it take?"
    # The form is the first thing under the title: no result until asked.
    assert at.button(key="goal_goal_run").label == "Find the fewest completers"
    assert not at.metric


def test_fewest_to_pass_tamil_nadu_is_proven_with_its_chance() -> None:
    at = _ask(open_page("goal"))
    assert _metrics(at)["Fewest extra completers"] == "3,328"
    assert _metrics(at)["Completers a day"] == "37"
    warning = at.warning[0].value
    assert "Chance of the goal over plausible weightings: 29% (95% interval 28.3% to 29.5%)" in (
        warning
    )
    assert "0.00 points above the 40.40 needed" in warning
    assert any(c.value.startswith("Proven minimal") for c in at.caption)


def test_a_90_percent_plan_holds_on_fresh_draws_and_prices_certainty() -> None:
    at = _ask(open_page("goal"), robust=True)
    text = at.success[0].value
    found = re.search(
        r"([\d,]+) extra completers reach it in (\d+)% of 1,00,000 fresh plausible weightings "
        r"\(95% interval ([\d.]+)% to ([\d.]+)%\); the fewest under the model's own weights is "
        r"3,328",
        text,
    )
    assert found, text
    extra, chance, low, high = found.groups()
    assert extra == "19,265" and int(chance) >= 90
    assert 90.0 <= float(low) < float(high)
    assert (low, high) == ("90.7", "91.1")
    assert _metrics(at)["Extra completers"] == "19,265"
    caption = next(c.value for c in at.caption if "coin toss" in c.value)
    assert caption == (
        "3,328 extra completers (the proven fewest) for a 29% chance; 10,714 for a coin toss "
        "(50%); 19,265 for 90%."
    )


def test_loading_a_plan_lands_on_the_simulator_with_its_result() -> None:
    at = _ask(open_page("goal"), robust=True)
    at.button(key="goal_goal_load").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Rank simulator"
    assert sum(lv["value"] for lv in levers_of(at)) == 19_265  # type: ignore[misc]
    metrics = _metrics(at)
    assert (metrics["Simulated score"], metrics["Rank"]) == ("41.28", "7 of 9")
    assert metrics["Chance of this rank"] == "94%"
    assert at.success[0].value == (
        r"Plan loaded \(passing TAMIL NADU\)\: 19\,265 extra completers give a score of 41\.28\, "
        r"rank 7 of 9\, with a 94\% chance over plausible weightings\."
    )


def test_hindi_goal_page() -> None:
    at = _ask(open_page("goal", lang="hi"))
    assert at.title[0].value == "क्या चाहिए?"
    assert _metrics(at)["सबसे कम अतिरिक्त उपयोगकर्ता"] == "3,328"
    assert "संभावित भारों पर लक्ष्य की संभावना: 29%" in at.warning[0].value
