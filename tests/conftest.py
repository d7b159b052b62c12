"""Shared fixtures: the bundled model, loaded once per test session, and databases on both
backends (SQLite in a temporary folder; PostgreSQL when IGOT_TEST_DATABASE_URL names a server)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from scoring.config import ModelConfig, load_config
from scoring.data import Dataset, load_dataset
from scoring.db import ENV_PATH, ENV_URL, forget_databases, sqlite_url
from scoring.engine import Model, build_model

# The app re-raises unexpected page errors under tests, so AppTest's `exception` sees them.
os.environ.setdefault("IGOT_DEBUG", "1")
# AppTests never download a chart: no background start of vl-convert or Chromium for exports
# (the browser tests' servers turn it back on, as in production).
os.environ.setdefault("IGOT_WARM_EXPORTS", "0")

# Tests never touch a configured database, nor data/igot.sqlite: the default database of every
# test (the command line, the app) is a throwaway file; a test may point elsewhere itself.
TEST_URL_ENV = "IGOT_TEST_DATABASE_URL"
os.environ.pop(ENV_URL, None)
_SCRATCH = tempfile.mkdtemp(prefix="igot-tests-")
atexit.register(shutil.rmtree, _SCRATCH, True)
os.environ[ENV_PATH] = str(Path(_SCRATCH) / "igot.sqlite")


@pytest.fixture(scope="session")
def config() -> ModelConfig:
    return load_config()


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def model(config: ModelConfig, dataset: Dataset) -> Model:
    return build_model(config, dataset)


def postgres_base_url() -> str:
    """The test server's URL; skips the test on a workstation without one, fails it in CI."""
    url = os.environ.get(TEST_URL_ENV, "").strip()
    if url:
        return url
    message = (
        f'no PostgreSQL test server: set {TEST_URL_ENV} (eval "$(tools/pg_test_server.sh '
        'start)" starts one on 127.0.0.1)'
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs PostgreSQL for the store and editions tests: {message}")
    pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the test server for one test, dropped afterwards."""
    base = make_url(postgres_base_url())
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        forget_databases()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "igot.sqlite")
        forget_databases()
    else:
        yield request.getfixturevalue("postgres_url")
