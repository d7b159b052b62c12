"""Publish time of a synthetic 20,000-row department table, on SQLite and (when
IGOT_TEST_DATABASE_URL is set) PostgreSQL: `python -m tools.bench_editions`."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scoring import editions as ed
from scoring.db import forget_databases, sqlite_url

ROWS = 20_000
RUNS = 3


def synthetic_table(n: int = ROWS, seed: int = 11) -> bytes:
    rng = np.random.default_rng(seed)
    onboarded = rng.integers(10, 5_000, n)
    active = (onboarded * rng.uniform(0, 1, n)).astype(int)
    completers = (active * rng.uniform(0, 1, n)).astype(int)
    frame = pd.DataFrame(
        {
            "department": [f"Department {i % 40}" for i in range(n)],
            "mdo": [f"Office {i}" for i in range(n)],
            "onboarded": onboarded,
            "active": active,
            "user_completions": completers,
            "enrolments": completers * 3,
            "completions": completers * 2,
            "hours": np.round(completers * 2 * 1.67, 2),
            "attempted": completers * 2,
            "passed": completers,
        }
    )
    return frame.to_csv(index=False).encode()


def measure(url: str, content: bytes) -> dict[str, float]:
    database = ed.open_editions(url)
    validate, publish, load = [], [], []
    for run in range(RUNS):
        start = time.perf_counter()
        prepared = ed.prepare(departments=("big.csv", content))
        validate.append(time.perf_counter() - start)
        start = time.perf_counter()
        ed.publish(database, prepared, f"2026-01-{run + 10:02d}")
        publish.append(time.perf_counter() - start)
        start = time.perf_counter()
        ed.edition_data(database)
        load.append(time.perf_counter() - start)
    return {
        "validate_s": round(min(validate), 3),
        "publish_s": round(min(publish), 3),
        "publish_max_s": round(max(publish), 3),
        "load_edition_s": round(min(load), 3),
    }


def main() -> None:
    content = synthetic_table()
    results: dict[str, object] = {"rows": ROWS, "bytes": len(content), "runs": RUNS}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = measure(sqlite_url(Path(folder) / "bench.sqlite"), content)
        forget_databases()
    url = os.environ.get("IGOT_TEST_DATABASE_URL")
    if url:
        import sqlalchemy as sa

        schema = f"bench_{os.getpid()}"
        admin = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            results["postgresql"] = measure(f"{url}?options=-csearch_path%3D{schema}", content)
        finally:
            forget_databases()
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
