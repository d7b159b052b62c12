"""The bundled data set and the parsed config are shared, read-only objects: after every page has
run (with a scenario, so the engine and charts work on them), they still equal a fresh load."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from streamlit.testing.v1 import AppTest

from scoring.config import load_config
from scoring.data import load_dataset
from tests.app.conftest import open_page

PAGES = ["overview", "simulator", "departments", "weights", "sensitivity", "scenarios", "data"]
LEVERS = [{"target": "Education Department, Bihar", "kind": "add", "value": 50_000.0}]


def test_pages_leave_the_shared_data_and_config_unchanged() -> None:
    page: Callable[..., AppTest] = open_page
    from app_ui.services import bundled_dataset, config_from_text

    for name in PAGES:
        at = page(name, levers=LEVERS)
        assert not at.exception, (name, at.exception)
    shared, fresh = bundled_dataset(), load_dataset()
    assert shared.as_of == fresh.as_of
    pd.testing.assert_frame_equal(shared.ranking, fresh.ranking)
    pd.testing.assert_frame_equal(shared.departments.frame, fresh.departments.frame)
    pd.testing.assert_frame_equal(shared.courses, fresh.courses)
    # The lookups computed once per data set are shared too.
    pd.testing.assert_frame_equal(shared.departments.headroom, fresh.departments.headroom)
    assert shared.departments.unit_counts == fresh.departments.unit_counts
    assert config_from_text(None) == load_config()
