"""Styler tables marshalled with Python strings (app_ui/tables.py): Streamlit sends the same
figures and styles as with pandas' default Arrow strings, and the option is always restored."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow as pa
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from app_ui.l10n import _fmt_num_in
from app_ui.tables import python_strings


def _marshalled(styler: pd.io.formats.style.Styler) -> tuple[bytes, str, pd.DataFrame]:
    proto = ArrowData()
    marshall_styler(proto, styler, "uuid")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()
    return proto.data, proto.styler.styles, shown


def test_same_figures_as_with_arrow_strings() -> None:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(rng.random((40, 5)) * 1e7, columns=list("abcde"))
    frame.insert(0, "Department", [f"Dept {i}" for i in range(40)])
    frame.iloc[3, 2] = np.nan
    formats = {c: (lambda v: _fmt_num_in("en_IN", v)) for c in "abcde"}
    before = pd.get_option("mode.string_storage")
    default = _marshalled(frame.style.format(formats))
    with python_strings():
        fast = _marshalled(frame.style.format(formats))
    assert pd.get_option("mode.string_storage") == before
    assert fast[0] == default[0]  # the numbers themselves (sorting uses them)
    assert fast[1] == default[1]
    assert list(fast[2].columns) == list(default[2].columns)
    assert fast[2].to_numpy().tolist() == default[2].to_numpy().tolist()
    assert fast[2].iloc[0, 1] == _fmt_num_in("en_IN", frame.iloc[0, 1])
    assert fast[2].iloc[3, 2] == "-"
    assert "," in fast[2].iloc[0, 1]  # Indian grouping, e.g. 71,44,960


def test_the_option_is_restored_after_an_error_and_across_threads() -> None:
    before = pd.get_option("mode.string_storage")
    try:
        with python_strings():
            assert pd.get_option("mode.string_storage") == "python"
            raise RuntimeError("a page error")
    except RuntimeError:
        pass
    assert pd.get_option("mode.string_storage") == before

    def marshal_many() -> None:
        for _ in range(50):
            with python_strings():
                pass

    threads = [threading.Thread(target=marshal_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pd.get_option("mode.string_storage") == before
