"""Days from the data date to the deadline, and the daily run-rate a number of completers needs."""

from __future__ import annotations

import datetime as dt
import math


def days_left(as_of: dt.date, deadline: dt.date) -> int:
    """Whole days from the data date to the deadline; 0 once it has passed."""
    return max((deadline - as_of).days, 0)


def per_day(count: float, days: int) -> int:
    """Completers a day, rounded up, to add `count` in `days` (all at once when no day is left)."""
    return math.ceil(count / days) if days > 0 else math.ceil(count)
