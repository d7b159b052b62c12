"""Cached checks of uploaded files and the bundled data's sources, for the Data page.

A check is keyed by the file's content digest, its name, the data it is checked against (the
session's data key) and the model file, so a rerun with the same upload does not parse it again.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_ui import services
from scoring.config import ModelConfig
from scoring.data import Dataset
from scoring.uploads import (
    DepartmentsCheck,
    RankingCheck,
    bundled_manifest,
    bundled_totals,
    check_departments,
    check_ranking,
    content_key,
)


@st.cache_resource(max_entries=1, show_spinner=False)
def manifest() -> dict[str, Any]:
    """The bundled data's manifest (which file plays which role)."""
    return bundled_manifest()


@st.cache_resource(max_entries=1, show_spinner=False)
def published_totals() -> pd.Series:
    """The published totals that came with the bundled department table."""
    return bundled_totals()


@st.cache_resource(max_entries=8, show_spinner=False)
def _ranking(
    file_key: str,
    name: str,
    data_key: str,
    config_json: str,
    _raw: bytes,
    _data: Dataset,
    _config: ModelConfig,
) -> RankingCheck:
    return check_ranking(_raw, name, _data, _config)


def ranking_check(raw: bytes, name: str) -> RankingCheck:
    """An uploaded ranking checked against the session's data and model (ScoringInputError when
    it is refused)."""
    config = services.current_config()
    return _ranking(
        content_key(raw),
        name,
        services.data_key(),
        config.model_dump_json(),
        raw,
        services.dataset(),
        config,
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def _departments(
    file_key: str,
    name: str,
    totals_name: str,
    data_key: str,
    config_json: str,
    _raw: bytes,
    _totals_raw: bytes | None,
    _data: Dataset,
    _config: ModelConfig,
) -> DepartmentsCheck:
    return check_departments(_raw, name, _totals_raw, totals_name, _data, _config)


def departments_check(
    raw: bytes, name: str, totals_raw: bytes | None, totals_name: str
) -> DepartmentsCheck:
    """An uploaded department table (and published totals) checked against the session's data
    and model (ScoringInputError when refused)."""
    config = services.current_config()
    return _departments(
        content_key(raw, b"" if totals_raw is None else b"totals:" + totals_raw),
        name,
        totals_name,
        services.data_key(),
        config.model_dump_json(),
        raw,
        totals_raw,
        services.dataset(),
        config,
    )
