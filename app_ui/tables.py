"""Tables drawn through a pandas Styler (Indian-grouped figures that still sort as numbers),
marshalled without pandas 3's per-cell copying of Arrow-backed strings."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

# Streamlit turns a Styler into a copy of the frame as text and writes each cell's display
# value into it one cell at a time (streamlit.elements.lib.pandas_styler_utils
# ._use_display_values). pandas 3 stores text in Arrow arrays, which cannot change in place:
# each write copies the column, ~60 us a cell, 90 ms for a 100 x 15 department table (and most
# of the 11 s a 20,000-row table took). Python-object strings take a write in ~10 us.
#
# The storage is a pandas option, global to the process: the lock keeps two sessions from
# interleaving their set and restore (which could leave it set for good). A frame that another
# session's thread makes during those few milliseconds holds Python strings instead of Arrow
# ones: the same "str" dtype, the same values and behaviour.
_lock = threading.Lock()


@contextmanager
def python_strings() -> Iterator[None]:
    """Within it, text columns pandas creates are Python-object strings (put the st.dataframe
    or st.table call of a Styler inside)."""
    with _lock, pd.option_context("mode.string_storage", "python"):
        yield
