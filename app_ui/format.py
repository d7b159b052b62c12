"""Number formatting with Indian digit grouping (13,89,815), used across the whole app."""

from __future__ import annotations

import math
import string


def group_indian(whole: int) -> str:
    """13,89,815 for 1389815: last three digits, then groups of two."""
    sign = "-" if whole < 0 else ""
    digits = str(abs(whole))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join(groups) + "," + tail


def fmt_num(value: float | int | None, decimals: int = 0) -> str:
    """A number with Indian grouping and a fixed number of decimals; '-' for missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    rounded = round(float(value), decimals)
    whole = int(abs(rounded))
    text = group_indian(whole)
    if decimals > 0:
        text += f"{abs(rounded) - whole:.{decimals}f}"[1:]
    return ("-" if rounded < 0 and (whole or decimals) else "") + text


def fmt_pct(ratio: float, decimals: int = 1) -> str:
    """A ratio (0.065) as a percentage (6.5%)."""
    return f"{fmt_num(ratio * 100, decimals)}%"


def fmt_probability(p: float) -> str:
    """A probability for a chart label, short enough for a narrow bar and never rounded into
    certainty or impossibility: 100%, >99%, 45%, 3.4%, <0.1%; empty for 0."""
    if p <= 0:
        return ""
    if p >= 1:
        return "100%"
    if p >= 0.995:
        return ">99%"
    if p >= 0.1:
        return fmt_pct(p, 0)
    if p >= 0.0005:
        return fmt_pct(p, 1)
    return "<0.1%"


def fmt_delta(value: float, decimals: int = 2) -> str:
    return ("+" if value > 0 else "") + fmt_num(value, decimals)


MARKDOWN_SPECIAL = frozenset(string.punctuation)


def md_escape(text: object) -> str:
    """Text from data or users, safe inside Streamlit calls that render Markdown (st.error,
    st.caption, metric labels...): every punctuation mark backslash-escaped, so a name such as
    `![x](http://...)` shows as typed instead of becoming a link or an image."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in str(text))
