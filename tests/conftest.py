"""Shared fixtures: the bundled model, loaded once per test session."""

from __future__ import annotations

import os

import pytest

from scoring.config import ModelConfig, load_config
from scoring.data import Dataset, load_dataset
from scoring.engine import Model, build_model

# The app re-raises unexpected page errors under tests, so AppTest's `exception` sees them.
os.environ.setdefault("IGOT_DEBUG", "1")
# AppTests never download a chart: no background start of vl-convert or Chromium for exports
# (the browser tests' servers turn it back on, as in production).
os.environ.setdefault("IGOT_WARM_EXPORTS", "0")


@pytest.fixture(scope="session")
def config() -> ModelConfig:
    return load_config()


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def model(config: ModelConfig, dataset: Dataset) -> Model:
    return build_model(config, dataset)
