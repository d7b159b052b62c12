"""Limits on every input, chosen from reality, and the helpers that enforce them at the edge."""

from __future__ import annotations

import datetime as dt
import math
import os
import stat
from pathlib import Path

from scoring.errors import ScoringInputError, quoted

# --- Tables -------------------------------------------------------------------------------------
# A department table lists the MDOs of one state: Bihar's has 100 rows, the largest states have a
# few thousand MDOs. 50,000 leaves ten times the largest real state and still accepts the 20,000-row
# table issue 14 publishes; every algorithm over rows is O(n log n) time and O(n) memory, so the
# cost at the limit is measured (tools/bench_scale.py) rather than guessed.
MAX_DEPARTMENT_ROWS = 50_000
# A ranking has the 36 States/UTs; 100 leaves room for a reorganisation, not for a typo's 20,000.
MAX_STATES = 100
# Three categories (A, B, C) today; ten covers any finer banding of employee strength.
MAX_CATEGORIES = 10
# The default model has 7 KPIs; 50 is more than any composite index publishes.
MAX_KPIS = 50
# The longest real MDO name is about 120 characters ("Bihar Institute of Public Administration
# and Rural Development (BIPARD), Bihar" is 85).
MAX_NAME = 200
# 50,000 department rows at ~140 bytes a row (the real table) is 7 MB; 20 MB allows long names.
MAX_TABLE_BYTES = 20_000_000
MAX_CONFIG_BYTES = 1_000_000  # the default model is 5 KB
MAX_MANIFEST_BYTES = 64_000  # six file names and a date
# India has about 3 crore government employees and iGOT about 1.3 crore users: a count above 100
# crore (1e9) in any cell is a typo or an attack, and it would swamp every ratio.
MAX_COUNT = 1_000_000_000
# Per onboarded user, for rows, published totals and the unlisted remainder. Bihar's busiest MDO has
# 121 enrolments and 61 learning hours per onboarded user; 10,000 (hours: more than five years of
# full-time learning) is far above anything real and rules out "+1e12 hours" with no users.
MAX_PER_USER = {
    "enrolments": 10_000.0,
    "completions": 10_000.0,
    "hours": 10_000.0,
    "attempted": 10_000.0,
    "passed": 10_000.0,
}

# --- Model numbers ------------------------------------------------------------------------------
# Weights are relative (the composite divides by their sum). The app's inputs take 0-1,000 with one
# decimal: a ratio of 10,000 between two non-zero KPIs is already "the other one does not count",
# and without a ceiling 1e308 overflows the sum and makes every score NaN.
MAX_WEIGHT = 1_000.0
# A target per onboarded user (completions, hours) or an mdo_share threshold (a ratio such as 0.5,
# or hours per user): nothing real approaches 10,000 (see MAX_PER_USER).
MAX_TARGET = 10_000.0

# --- Dates --------------------------------------------------------------------------------------
# iGOT Karmayogi started in 2021 (Mission Karmayogi, September 2020): no data is older. A deadline
# is a month or a quarter ahead; five years covers any planning horizon and keeps day counts sane.
MIN_DATE = dt.date(2020, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MAX_HORIZON_DAYS = 5 * 366

# --- History uploads ----------------------------------------------------------------------------
# One ranking per month: 60 files is five years. A ranking of 36 states is about 1 KB, so 1 MB a
# file and 10 MB in all bound one session's memory (the history uploader took any number of 19.9 MB
# files before).
MAX_HISTORY_FILES = 60
MAX_HISTORY_FILE_BYTES = 1_000_000
MAX_HISTORY_TOTAL_BYTES = 10_000_000

# --- Links --------------------------------------------------------------------------------------
# nginx's default request-line buffer is 8 KB (large_client_header_buffers 4 8k) and many proxies
# stop at 8 KB too; "/simulator?scenario=" plus 8,000 characters stays under it. The decoded JSON is
# capped separately so that a small compressed link cannot unpack into a huge one (a zip bomb).
MAX_LINK_CHARS = 8_000
MAX_LINK_JSON_BYTES = 256_000


def read_capped(path: str | Path, limit: int, name: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else raises
    ScoringInputError naming the file (a folder, a device such as /dev/zero or /dev/urandom, a
    pipe that would block, a file too large, an unreadable file)."""
    path = Path(path)
    label = name or path.name or str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ScoringInputError(f"cannot read the file ({exc.strerror or exc})", label) from None
    except ValueError:  # a NUL byte in the path
        raise ScoringInputError("cannot read the file (invalid path)", label) from None
    if stat.S_ISDIR(info.st_mode):
        raise ScoringInputError("is a folder, not a file", label)
    if not stat.S_ISREG(info.st_mode):
        # Devices and pipes have no size to check first: /dev/zero never ends, a FIFO blocks.
        raise ScoringInputError("is not a regular file (a device or a pipe)", label)
    if info.st_size > limit:
        raise ScoringInputError(
            f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes", label
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ScoringInputError(f"cannot read the file ({exc.strerror or exc})", label) from None
    if len(data) > limit:
        raise ScoringInputError(f"file is larger than the limit of {limit:,} bytes", label)
    return data


def check_weight(value: float, field: str = "weight") -> float:
    """A KPI weight: finite, from 0 (the KPI does not count) to MAX_WEIGHT."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{field} must be a number")
    if not math.isfinite(value):
        raise ValueError(f"{field} must be a finite number")
    if value < 0:
        raise ValueError(f"{field} must not be negative")
    if value > MAX_WEIGHT:
        raise ValueError(f"{field} {value:g} is above the maximum of {MAX_WEIGHT:g}")
    return float(value)


def check_date(value: object, field: str) -> dt.date:
    """A calendar date between MIN_DATE and MAX_DATE (YAML dates, or ISO text)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ScoringInputError(
                f"{field}: {quoted(value)} is not a date (write it as YYYY-MM-DD, e.g. 2025-12-31)"
            ) from None
    if not isinstance(value, dt.date):
        raise ScoringInputError(f"{field}: {quoted(value)} is not a date (YYYY-MM-DD)")
    if not MIN_DATE <= value <= MAX_DATE:
        raise ScoringInputError(
            f"{field}: {value.isoformat()} is outside {MIN_DATE.isoformat()} to "
            f"{MAX_DATE.isoformat()}"
        )
    return value


def check_deadline(deadline: dt.date, as_of: dt.date) -> None:
    """The model's deadline must come after the data date, within MAX_HORIZON_DAYS."""
    days = (deadline - as_of).days
    if days <= 0:
        raise ScoringInputError(
            f"deadline: {deadline.isoformat()} is not after the data date {as_of.isoformat()}; "
            "set a deadline in the future of the data"
        )
    if days > MAX_HORIZON_DAYS:
        raise ScoringInputError(
            f"deadline: {deadline.isoformat()} is {days:,} days after the data date "
            f"{as_of.isoformat()}; the limit is {MAX_HORIZON_DAYS:,} days"
        )


def check_rank(rank: int, category_size: int, category: str = "") -> int:
    """A target rank within 1 .. the number of states in the category."""
    where = f" in category {category}" if category else ""
    if isinstance(rank, bool) or not isinstance(rank, int):
        raise ScoringInputError(f"rank: {quoted(rank)} is not a whole number")
    if rank < 1:
        raise ScoringInputError(f"rank: target rank must be 1 or more, got {rank}")
    if rank > category_size:
        raise ScoringInputError(
            f"rank: {rank} is beyond the last place; there are {category_size} states{where}"
        )
    return rank


def check_history_uploads(files: list[tuple[str, int]]) -> None:
    """Refuse a batch of history uploads, given as (name, size in bytes), that is too many files,
    has a file too large, or is too large in all. Call before reading any of them."""
    problems: list[str] = []
    if len(files) > MAX_HISTORY_FILES:
        problems.append(f"{len(files)} files; the limit is {MAX_HISTORY_FILES} (five years)")
    for name, size in files:
        if size > MAX_HISTORY_FILE_BYTES:
            problems.append(
                f"{quoted(name)} is {size:,} bytes; the limit is {MAX_HISTORY_FILE_BYTES:,}"
            )
    total = sum(size for _, size in files)
    if total > MAX_HISTORY_TOTAL_BYTES:
        problems.append(
            f"the files add up to {total:,} bytes; the limit is {MAX_HISTORY_TOTAL_BYTES:,}"
        )
    if problems:
        raise ScoringInputError(problems, "history")
