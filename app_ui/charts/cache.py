"""Charts built once per value: a builder's Vega-Lite spec cached by the values of its arguments
and the session language, so that opening a page again hands Streamlit a finished spec instead
of building the Altair objects anew (20-30 ms a layered chart on every rerun)."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from app_ui import session
from app_ui.charts import SpecSource, _copy

MAX_SPECS = 128  # specs are a few kB each; a session visits a few dozen distinct charts


class Unkeyable(TypeError):
    """An argument whose value cannot be turned into a cache key."""


class SpecChart:
    """A finished Vega-Lite spec standing in for the Altair chart it came from."""

    __slots__ = ("_spec",)

    def __init__(self, spec: dict[str, Any]) -> None:
        self._spec = spec

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        """A copy of the spec (Streamlit and the presenter mode edit the spec they are given).
        Its builder's output was validated by the chart tests, not on every call."""
        copied: dict[str, Any] = _copy(self._spec)
        return copied


def _scalar(value: Any) -> Hashable:
    # Tagged by type so that 1, 1.0 and True, equal in Python, give different keys; floats by
    # their exact bits, so NaN matches NaN and -0.0 is not 0.0.
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, str | bool | int):
        return (type(value).__name__, value)
    if isinstance(value, float):
        return ("float", value.hex() if not math.isnan(value) else "nan")
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return (type(value).__name__, value.isoformat())
    if value is pd.NaT or value is pd.NA:
        return ("na", str(value))
    raise Unkeyable(f"no value key for {type(value).__name__}")


def value_key(value: Any) -> Hashable:
    """A hashable key equal for equal values (frames by columns, types, index and cells)."""
    if isinstance(value, pd.DataFrame):
        return (
            "frame",
            tuple(value_key(c) for c in value.columns),
            tuple(str(d) for d in value.dtypes),
            tuple(_scalar(i) for i in value.index),
            tuple(tuple(_scalar(v) for v in row) for row in value.itertuples(False, None)),
        )
    if isinstance(value, pd.Series):
        return (
            "series",
            value_key(value.name),
            str(value.dtype),
            tuple(_scalar(i) for i in value.index),
            tuple(_scalar(v) for v in value.tolist()),
        )
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, Mapping):  # in order: a legend's order is part of the chart
        return ("map", tuple((value_key(k), value_key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(value_key(v) for v in value))
    return _scalar(value)


_specs: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def cached_chart(builder: Callable[..., SpecSource], *args: Any, **kwargs: Any) -> SpecSource:
    """`builder(*args, **kwargs)` as a finished spec, built once per argument values and session
    language (builders format their labels with fmt_num in that language). Arguments with no
    value key (an object of our own) build the chart every time, as before."""
    try:
        key = (
            builder.__module__,
            builder.__qualname__,
            session.lang(),
            value_key(args),
            value_key(kwargs),
        )
    except Unkeyable:
        return builder(*args, **kwargs)
    with _lock:
        spec = _specs.get(key)
        if spec is not None:
            _specs.move_to_end(key)
    if spec is None:
        spec = builder(*args, **kwargs).to_dict(validate=False)
        with _lock:
            _specs[key] = spec
            while len(_specs) > MAX_SPECS:
                _specs.popitem(last=False)
    return SpecChart(spec)


def clear() -> None:
    """Forget every cached spec (tests)."""
    with _lock:
        _specs.clear()
