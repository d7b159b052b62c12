"""Uploads refused by size before their bytes are read (scoring.limits sets the limits)."""

from __future__ import annotations

from scoring.errors import ScoringInputError
from scoring.limits import MAX_TABLE_BYTES

MB = 1_000_000


def check_upload_size(name: str, size: int, limit: int = MAX_TABLE_BYTES) -> None:
    """Refuse an upload of `size` bytes above `limit`, naming the file and both figures."""
    if size > limit:
        raise ScoringInputError(
            f"file is {size:,} bytes; the limit is {limit:,} bytes ({limit // MB} MB)", name
        )


def browser_limit_mb(limit: int) -> int:
    """The same limit for st.file_uploader's max_upload_size (whole megabytes, at least 1), so
    the browser refuses a larger file before sending it; the server checks again."""
    return max(1, limit // MB)
