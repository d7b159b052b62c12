"""Spreadsheet-safe text: cells from outside can never run as formulas in a file we produce."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

# Excel, LibreOffice and Google Sheets treat a cell starting with one of these as a formula (or, for
# tab and carriage return, strip them and look again): =HYPERLINK(...), +cmd|..., @SUM(...).
# OWASP's advice: prefix such a cell with an apostrophe, which every spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# A plain number stays a number: -5, +3.25, -1,234.5, 1e-3 are data, not formulas.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{2,3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?")


def defuse(value: Any) -> Any:
    """`value` made safe for a spreadsheet cell: text that a spreadsheet would run as a formula gets
    a leading apostrophe; numbers, plain numeric text and everything else are returned as they
    are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if any(ch.isdigit() for ch in value) and _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and column name defused (numbers untouched): for any
    table a user can download, the app's dataframe toolbar included."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(defuse)
    out.columns = [defuse(c) if isinstance(c, str) else c for c in out.columns]
    return out


def to_safe_csv(frame: pd.DataFrame, **kwargs: Any) -> str:
    """CSV text of `frame` with formulas defused (index left out unless asked for)."""
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    return str(defuse_frame(frame).to_csv(**kwargs))


def rows_to_safe_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text of dict rows in `columns` order with formulas defused, without a final newline."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=[str(defuse(c)) for c in columns],
        extrasaction="ignore",
        lineterminator="\n",
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({str(defuse(c)): defuse(row.get(c, "")) for c in columns})
    return out.getvalue().rstrip("\n")
