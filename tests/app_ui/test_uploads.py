"""Putting a checked upload in use (app_ui/widgets/uploads.py) and the cached checks behind it
(app_ui/services/data.py)."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

GOOD_RANKING = b"state,category,score,rank\nBIHAR,C,45.5,1\nKERALA,C,40,2\nGOA,A,50,1\n"


def _uses() -> None:
    import datetime as dt

    import pandas as pd
    import streamlit as st

    from app_ui import session
    from app_ui.services import bundled_dataset
    from app_ui.widgets.uploads import AS_OF, _on_use

    data = bundled_dataset()
    st.session_state[AS_OF] = dt.date(2026, 1, 31)
    _on_use(data, "departments", "k-departments", pd.Series({"onboarded": 160.0}))
    first = session.uploaded_data()
    _on_use(data, "ranking", "k-ranking")
    second = session.uploaded_data()
    st.session_state[AS_OF] = dt.date(2026, 2, 28)
    _on_use(data, "ranking", "k-ranking")
    third = session.uploaded_data()
    assert first is not None and second is not None and third is not None
    st.text(f"roles {first.replaced} {second.replaced} {third.replaced}")
    st.text(f"dates {second.dataset.as_of} {third.dataset.as_of}")
    st.text(f"totals {second.totals is first.totals} {float(second.totals['onboarded'])}")
    st.text(f"keys {len({first.key, second.key, third.key})} {len(first.key)}")


def test_each_use_adds_its_role_keeps_totals_and_names_the_content() -> None:
    at = AppTest.from_function(_uses, default_timeout=60).run()
    assert not at.exception, at.exception
    texts = [t.value for t in at.text]
    assert texts[0] == (
        "roles ('departments',) ('departments', 'ranking') ('departments', 'ranking')"
    )
    assert texts[1] == "dates 2026-01-31 2026-02-28"  # the date widget's value when used
    assert texts[2] == "totals True 160.0"  # a ranking upload keeps the table's totals
    assert texts[3] == "keys 3 64"  # another upload or date: another key (a sha256)
    assert [n.text for n in at.session_state["notices"]] == [
        "The new data is in use on every page."
    ] * 3


def test_checks_are_cached_by_content(monkeypatch) -> None:
    from app_ui.services import data as data_service

    st.cache_resource.clear()
    calls: list[str] = []
    real = data_service.check_ranking

    def counted(*args: object, **kwargs: object):
        calls.append("ranking")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(data_service, "check_ranking", counted)
    first = data_service.ranking_check(GOOD_RANKING, "a.csv")
    assert data_service.ranking_check(GOOD_RANKING, "a.csv") is first
    assert calls == ["ranking"]
    other = data_service.ranking_check(GOOD_RANKING.replace(b"45.5", b"45.6"), "a.csv")
    assert other.score == 45.6 and calls == ["ranking", "ranking"]
    st.cache_resource.clear()
