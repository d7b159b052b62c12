"""Sensitivity page: renders, and its numbers follow the scenario, the drift and uploads."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import count_input, open_page, weights_of

EDUCATION = {"target": "Education Department, Bihar", "kind": "add", "value": 50_000}


def _page(view: str = "weights", **state: object) -> AppTest:
    """The page on one of its views (only the shown view computes)."""
    at = open_page("sensitivity", **state)
    if view != "weights":
        at.segmented_control(key="sens_view").set_value(view).run()
        assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def test_baseline_is_certain() -> None:
    at = _page()
    metrics = _metrics(at)
    assert metrics["Most likely rank"] == "8"
    assert metrics["Chance of rank 7 or better"] == "0%"
    assert metrics["Score range (5% to 95%)"] == "39.09 – 39.09"
    assert len(at.info) >= 1  # "no levers are set"


def test_a_simulator_scenario_is_scored_under_many_weightings() -> None:
    at = _page(levers=[EDUCATION])
    metrics = _metrics(at)
    assert metrics["Chance of rank 7 or better"] == "100%"
    assert metrics["Most likely rank"] == "7"
    assert "Rank 7 or better in 100% of weightings" in at.markdown[-1].value
    low, high = (float(x) for x in metrics["Score range (5% to 95%)"].split(" – "))
    assert low < 42.15 < high
    # Uniform weights: a few extreme mixes leave Bihar 8th.
    at.radio(key="sens_mode").set_value("uniform").run()
    assert not at.exception
    # Uniform weights include extreme mixes that leave Bihar 8th (about 0.4% of draws): not
    # certain, so not shown as 100%.
    assert _metrics(at)["Chance of rank 7 or better"] == ">99%"
    # The draw settings outlive a look at another view.
    at.segmented_control(key="sens_view").set_value("matters").run()
    at.segmented_control(key="sens_view").set_value("weights").run()
    assert at.radio(key="sens_mode").value == "uniform"
    assert _metrics(at)["Chance of rank 7 or better"] == ">99%"


def test_draws_are_typed_grouped_and_outlive_a_page_switch() -> None:
    """The number of draws reads "20,000" and shows 1,00,000 as the page writes it; it is the
    draw used, and it is kept when the user leaves the page and comes back."""
    at = _page(levers=[EDUCATION])
    assert at.text_input(key="sens_draws").value == "1,00,000"
    count_input(at, "sens_draws").set_value("20,000").run()
    assert not at.exception, at.exception
    assert count_input(at, "sens_draws").value == 20_000
    assert at.text_input(key="sens_draws").value == "20,000"
    assert at.session_state["sens_draws::value"] == 20_000
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/sensitivity.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key="sens_draws").value == "20,000"
    count_input(at, "sens_draws").set_value("500").run()  # under the 1,000 minimum
    assert at.text_input(key="sens_draws").value == "20,000"
    assert any("Number of draws" in e.value for e in at.error)


def test_peer_drift_is_applied_everywhere() -> None:
    at = _page("peers")
    at.radio(key="sens_drift_mode").set_value("all").run()
    at.number_input(key="sens_drift_all").set_value(0.5).run()
    at.button(key="sens_drift_apply").click().run()
    assert not at.exception
    assert at.session_state["peer_drift"] == 0.5
    texts = " ".join(i.value for i in at.info)
    assert "To be rank 5 on 31 Mar 2026 with this drift, BIHAR needs" in texts
    at.button(key="sens_drift_clear").click().run()
    assert at.session_state["peer_drift"] is None


def test_history_pace_compares_with_the_goal() -> None:
    at = _page("history")
    texts = " ".join(i.value for i in at.info)
    # Rank 5 by default: 2,10,780 completers x 2 courses over 90 days, vs 61,415 a month so far.
    assert (
        "Rank 5 needs 1,42,569 completions a month until 31 Mar 2026: 2.3x the pace so far" in texts
    )


def test_hindi_titles_and_choices_survive_a_language_switch() -> None:
    at = _page()
    at.radio(key="sens_mode").set_value("uniform").run()
    at.session_state["lang"] = "hi"
    at.run()
    assert at.title[0].value == "संवेदनशीलता"
    assert at.radio(key="sens_mode").value == "uniform"


def _kpi_upload(seed: int = 1) -> bytes:
    """KPI values for every other category-C state whose model score under the default weights
    is exactly its published score (a known answer for the fit)."""
    import numpy as np

    from scoring.config import load_config
    from scoring.data import load_dataset

    config = load_config()
    weights = np.array(config.weights)
    ranking = load_dataset().ranking
    others = ranking[(ranking["category"] == "C") & (ranking["state"] != "BIHAR")]
    rng = np.random.default_rng(seed)
    rows = ["state," + ",".join(k.id for k in config.kpis)]
    for state, score in zip(others["state"], others["score"], strict=True):
        subs = score + rng.uniform(-1, 1, len(weights))
        subs[-1] = score - (weights[:-1] @ (subs[:-1] - score)) / weights[-1]
        raw = [s / 100 * (k.subscore.target or 1.0) for s, k in zip(subs, config.kpis, strict=True)]
        rows.append(state + "," + ",".join(f"{v:.10f}" for v in raw))
    return ("\n".join(rows) + "\n").encode()


def test_calibration_recovers_the_weights_and_offers_full_mode() -> None:
    at = _page("calibration")
    at.file_uploader(key="sens_kpi_upload").set_value(("kpis.csv", _kpi_upload(), "text/csv"))
    at.run()
    assert not at.exception
    assert any("KPI values loaded for 8 states." in s.value for s in at.success)
    fitted = next(d.value for d in at.dataframe if "Fitted weight" in d.value.columns)
    assert [float(v) for v in fitted["Fitted weight"]] == [15.0, 20.0, 20.0, 15.0, 12.0, 8.0, 10.0]
    assert any("Fit error (root mean square): 0.00 points" in c.value for c in at.caption)
    # 8 states determine 7 weights; each range (fits within the scores' rounding) holds the truth.
    assert any(s.value.startswith("These states determine the weights") for s in at.success)
    assert fitted["Least"].tolist() == ["14.2", "19.0", "18.8", "14.4", "10.7", "6.9", "9.8"]
    assert fitted["Greatest"].tolist() == ["15.8", "21.0", "21.2", "15.6", "13.3", "9.1", "10.2"]
    at.button(key="sens_use_fitted").click().run()
    assert weights_of(at)["completer_rate"] == 20.0
    assert not at.toggle(key="sens_full_mode").disabled


def test_a_bad_kpi_file_is_refused_and_nothing_changes() -> None:
    at = _page("calibration")
    body = b"state,active_rate\nKERALA,abc\n"
    at.file_uploader(key="sens_kpi_upload").set_value(("bad.csv", body, "text/csv")).run()
    assert not at.exception
    assert any("missing column" in e.value for e in at.error)
    assert at.session_state["state_kpis"] is None


def test_an_earlier_month_gives_a_history_and_trends() -> None:
    from scoring.data import load_dataset

    ranking = load_dataset().ranking
    earlier = ranking.assign(score=ranking["score"] - 1.0)
    earlier.loc[earlier["state"] == "BIHAR", "score"] = 36.09  # Bihar gained 3 points in a month
    body = earlier[["state", "category", "score"]].to_csv(index=False).encode()
    at = _page("history")
    at.file_uploader(key="sens_history_upload").set_value(
        [("ranking_2025-11-30.csv", body, "text/csv")]
    )
    at.run()
    assert not at.exception
    # Dates as the rest of the page writes them (issue 16), not ISO.
    assert any("Months loaded: 30 Nov 2025, 31 Dec 2025" in c.value for c in at.caption)
    assert "2025-11-30" in at.session_state["history_months"]


def test_only_the_shown_view_is_drawn_and_it_survives_a_page_switch() -> None:
    at = _page()
    assert len(at.metric) == 3  # chance, most likely rank, score range
    at.segmented_control(key="sens_view").set_value("history").run()
    assert not at.exception
    assert not at.metric  # the Monte Carlo view is not drawn, so not computed
    assert not [s for s in at.selectbox if s.key == "sens_target_rank"]
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/sensitivity.py").run()
    assert not at.exception
    assert at.segmented_control(key="sens_view").value == "history"
    assert any("Rank 5 needs" in i.value for i in at.info)
    at.session_state["lang"] = "hi"
    at.run()
    assert not at.exception
    assert at.segmented_control(key="sens_view").value == "history"


def _earlier_month() -> bytes:
    from scoring.data import load_dataset

    ranking = load_dataset().ranking
    earlier = ranking.assign(score=ranking["score"] - 1.0)
    return earlier[["state", "category", "score"]].to_csv(index=False).encode()


def test_each_states_trend_becomes_the_drift() -> None:
    at = _page("history")
    at.file_uploader(key="sens_history_upload").set_value(
        [("ranking_2025-11-30.csv", _earlier_month(), "text/csv")]
    )
    at.run()
    at.segmented_control(key="sens_view").set_value("peers").run()
    at.radio(key="sens_drift_mode").set_value("trend").run()
    at.button(key="sens_drift_apply").click().run()
    assert not at.exception
    drift = at.session_state["peer_drift"]
    # Every state gained 1 point in the 31 days to 31 Dec: 30.4375 / 31 points a month.
    assert len(drift) == 8
    assert all(abs(v - 30.4375 / 31) < 1e-6 for v in drift.values())
    assert any("Projected ranking on 31 Mar 2026" in h.value for h in at.subheader)


def test_removed_months_stay_removed() -> None:
    at = _page("history")
    at.file_uploader(key="sens_history_upload").set_value(
        [("ranking_2025-11-30.csv", _earlier_month(), "text/csv")]
    )
    at.run()
    assert list(at.session_state["history_months"]) == ["2025-11-30"]
    at.button(key="sens_history_clear").click().run()
    assert not at.exception
    assert at.session_state["history_months"] == {}
    assert any(c.value == "Months loaded: 31 Dec 2025" for c in at.caption)


def test_fitted_weights_and_full_mode_outlive_the_view() -> None:
    at = _page("calibration")
    at.file_uploader(key="sens_kpi_upload").set_value(("kpis.csv", _kpi_upload(), "text/csv"))
    at.run()
    at.button(key="sens_use_fitted").click().run()
    shown = [s.value.replace("\\", "").replace("\u2060", "") for s in at.success]  # plain()
    assert "The fitted weights are now used on every page." in shown
    at.toggle(key="sens_full_mode").set_value(True).run()
    assert at.session_state["full_mode"] is True
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/sensitivity.py").run()
    assert not at.exception
    assert at.session_state["full_mode"] is True
    assert at.toggle(key="sens_full_mode").value is True


def _charts(at: AppTest) -> list[dict[str, object]]:
    """The page's Vega-Lite specs (AppTest has no chart element of its own)."""
    import json

    found: list[dict[str, object]] = []

    def walk(node: object) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                found.append(json.loads(child.proto.spec))
            walk(child)

    walk(at.main)
    return found


def test_what_matters_labels_kpis_in_the_session_language() -> None:
    from scoring.config import load_config

    at = _page("matters", levers=[EDUCATION], lang="hi")
    tornado = _charts(at)[0]
    order = tornado["layer"][0]["encoding"]["y"]["sort"]  # type: ignore[index]
    assert sorted(order) == sorted(k.label.hi for k in load_config().kpis)
    assert at.dataframe[0].value.shape == (15, 3)  # the 15 departments that gain most
    at.session_state["lang"] = "en"
    at.run()
    order = _charts(at)[0]["layer"][0]["encoding"]["y"]["sort"]  # type: ignore[index]
    assert sorted(order) == sorted(k.label.en for k in load_config().kpis)


def test_every_view_leaves_the_shared_data_unchanged() -> None:
    import pandas as pd

    from app_ui.services import bundled_dataset
    from scoring.data import load_dataset

    at = _page(levers=[EDUCATION])
    for view in ("matters", "peers", "calibration", "history", "weights"):
        at.segmented_control(key="sens_view").set_value(view).run()
        assert not at.exception, (view, at.exception)
    shared, fresh = bundled_dataset(), load_dataset()
    pd.testing.assert_frame_equal(shared.ranking, fresh.ranking)
    pd.testing.assert_frame_equal(shared.departments.frame, fresh.departments.frame)
