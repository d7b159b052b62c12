"""Large uploaded department tables for the page cost tests (issue 13, class 1): the real table
copied `scale` times (tools/bench_scale.synthetic_tables), as an upload in the session."""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import resource
import sys
import time

from streamlit.testing.v1 import AppTest

from app_ui.session import UploadedData
from scoring.data import load_dataset, parse_departments, parse_totals, read_table
from tools.bench_scale import synthetic_tables

APP = os.path.join(os.path.dirname(__file__), "..", "..", "app.py")


def big_upload(scale: int) -> UploadedData:
    """100 x `scale` department rows (scale 200: 20,000 rows), validated as an upload would be."""
    departments, totals = synthetic_tables(scale)
    parsed_totals = parse_totals(read_table(totals, "totals.csv"), "totals.csv")
    table = parse_departments(read_table(departments, "d.csv"), parsed_totals, "d.csv")
    dataset = dataclasses.replace(load_dataset(), departments=table)
    return UploadedData(key=f"big-{scale}", dataset=dataset, replaced=("departments",), totals=None)


def measure(page: str, scale: int, **state: object) -> dict[str, object]:
    """Open `page` with a 100 x `scale`-row upload: seconds for the page run (after the overview)
    and this process's peak RSS (run it in a fresh process: python -m tests.app.big)."""
    upload = big_upload(scale)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["uploaded_data"] = upload
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    start = time.perf_counter()
    at.switch_page(f"app_pages/{page}.py").run()
    seconds = time.perf_counter() - start
    return {
        "page": page,
        "rows": len(upload.dataset.departments.frame),
        "departments": int(upload.dataset.departments.headroom.shape[0]),
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "exceptions": [str(e.value)[:300] for e in at.exception],
        "table_rows": max((len(d.value) for d in at.dataframe), default=0),
    }


if __name__ == "__main__":
    os.environ.setdefault("IGOT_DEBUG", "1")
    page_name, rows_scale, *pairs = sys.argv[1:]
    extra = {k: ast.literal_eval(v) for k, v in (p.split("=", 1) for p in pairs)}
    print(json.dumps(measure(page_name, int(rows_scale), **extra)))
