"""Upload size checks before reading: the file and both figures named."""

from __future__ import annotations

import pytest

from scoring.errors import ScoringInputError
from scoring.limits import MAX_HISTORY_FILE_BYTES, MAX_TABLE_BYTES
from scoring.upload_size import browser_limit_mb, check_upload_size


@pytest.mark.parametrize("size", [0, 1, MAX_TABLE_BYTES])
def test_sizes_up_to_the_limit_pass(size: int) -> None:
    check_upload_size("d.csv", size)


@pytest.mark.parametrize("size", [MAX_TABLE_BYTES + 1, 20_900_000, 10**12])
def test_larger_files_are_refused_naming_file_and_figures(size: int) -> None:
    with pytest.raises(ScoringInputError) as caught:
        check_upload_size("d.csv", size)
    assert caught.value.source == "d.csv"
    assert caught.value.problems == [
        f"file is {size:,} bytes; the limit is 20,000,000 bytes (20 MB)"
    ]


def test_browser_limits_in_whole_megabytes() -> None:
    assert browser_limit_mb(MAX_TABLE_BYTES) == 20
    assert browser_limit_mb(MAX_HISTORY_FILE_BYTES) == 1
    assert browser_limit_mb(64_000) == 1
