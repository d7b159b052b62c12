"""Charts cached by value (app_ui/charts/cache.py): equal values give the same spec without a
rebuild, any changed value, text or language builds anew, and callers may edit what they get."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from app_ui import session
from app_ui.charts import cache
from app_ui.charts.cache import SpecChart, Unkeyable, cached_chart, value_key


class Built:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return {"title": self.spec["title"], "data": {"values": list(self.spec["rows"])}}


calls: list[tuple[Any, ...]] = []


def builder(frame: pd.DataFrame, *, title: str) -> Built:
    calls.append((len(frame), title))
    return Built({"title": title, "rows": frame.to_dict("records")})


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    calls.clear()
    monkeypatch.setattr(session, "lang", lambda: "en")


def test_equal_values_build_once() -> None:
    frame = pd.DataFrame({"state": ["BIHAR", "GOA"], "score": [38.5, 41.25]})
    first = cached_chart(builder, frame, title="Ranking")
    again = cached_chart(builder, frame.copy(), title="Ranking")  # a new object, same values
    assert calls == [(2, "Ranking")]
    assert (
        first.to_dict()
        == again.to_dict()
        == {
            "title": "Ranking",
            "data": {
                "values": [{"state": "BIHAR", "score": 38.5}, {"state": "GOA", "score": 41.25}]
            },
        }
    )


def test_a_changed_cell_title_or_language_builds_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"state": ["BIHAR", "GOA"], "score": [38.5, 41.25]})
    cached_chart(builder, frame, title="Ranking")
    changed = frame.assign(score=[38.5, 41.26])
    assert cached_chart(builder, changed, title="Ranking").to_dict()["data"]["values"][1] == {
        "state": "GOA",
        "score": 41.26,
    }
    cached_chart(builder, frame, title="Rank")
    monkeypatch.setattr(session, "lang", lambda: "hi")
    cached_chart(builder, frame, title="Ranking")
    assert calls == [(2, "Ranking"), (2, "Ranking"), (2, "Rank"), (2, "Ranking")]


def test_callers_may_edit_the_spec_they_get() -> None:
    frame = pd.DataFrame({"x": [1]})
    spec = cached_chart(builder, frame, title="T").to_dict()
    spec["title"] = "edited"
    spec["data"]["values"].append({"x": 2})
    assert cached_chart(builder, frame, title="T").to_dict() == {
        "title": "T",
        "data": {"values": [{"x": 1}]},
    }
    assert len(calls) == 1


def test_keys_tell_types_and_special_floats_apart() -> None:
    assert value_key(1) != value_key(1.0) != value_key(True)
    assert value_key(0.0) != value_key(-0.0)
    assert value_key(math.nan) == value_key(float("nan"))
    assert value_key(np.float64(2.5)) == value_key(2.5)
    # A column of ints and one of floats with equal values are different data.
    assert value_key(pd.DataFrame({"a": [1, 2]})) != value_key(pd.DataFrame({"a": [1.0, 2.0]}))
    # Order matters in mappings (a legend's order) and in frames' rows.
    assert value_key({"a": 1, "b": 2}) != value_key({"b": 2, "a": 1})
    assert value_key(pd.DataFrame({"a": [1, 2]})) != value_key(pd.DataFrame({"a": [2, 1]}))


def test_an_unkeyable_argument_builds_every_time() -> None:
    class Opaque:
        pass

    with pytest.raises(Unkeyable):
        value_key(Opaque())

    def plain(thing: Opaque) -> Built:
        calls.append(("plain",))
        return Built({"title": "x", "rows": []})

    thing = Opaque()
    shown = [cached_chart(plain, thing), cached_chart(plain, thing)]
    assert len(calls) == 2 and not any(isinstance(s, SpecChart) for s in shown)


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_SPECS", 3)
    for i in range(5):
        cached_chart(builder, pd.DataFrame({"x": [i]}), title="T")
    cached_chart(builder, pd.DataFrame({"x": [0]}), title="T")  # evicted: built again
    cached_chart(builder, pd.DataFrame({"x": [4]}), title="T")  # kept
    assert len(calls) == 6
