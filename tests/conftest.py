"""Shared fixtures: the bundled model, loaded once per test session."""

from __future__ import annotations

import pytest

from scoring.config import ModelConfig, load_config
from scoring.data import Dataset, load_dataset
from scoring.engine import Model, build_model


@pytest.fixture(scope="session")
def config() -> ModelConfig:
    return load_config()


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def model(config: ModelConfig, dataset: Dataset) -> Model:
    return build_model(config, dataset)
