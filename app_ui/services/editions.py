"""The data editions for the pages: the shared database, the edition a session looks at (the
latest, one chosen, or an upload previewed on top without publishing), its anchored model, the
history built from the editions, and publishing and withdrawing.

Caches are keyed by editions.state_token (which changes with every publication or withdrawal,
whichever server made it) and the edition's date, so a new edition reaches every session on its
next run and nothing is read twice while nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app_ui import session
from app_ui.auth import require
from scoring import db
from scoring import editions as ed
from scoring import history as hist
from scoring.config import ModelConfig
from scoring.data import Dataset
from scoring.drift import default_peer_drift
from scoring.editions import Edition, EditionData, Prepared
from scoring.engine import Model
from scoring.nowcast import AnchoredModel, anchored_model
from scoring.roles import Action
from scoring.share import ScenarioState
from scoring.store import Actor

Token = tuple[int, int]
TOKEN_SECONDS = 1.0


@st.cache_resource(max_entries=4, show_spinner=False)
def _database(url: str) -> db.Database:
    # One Database (engine and pool) per URL for the process; the bundled edition is seeded once.
    return ed.open_editions(url)


def database() -> db.Database:
    """The shared database: IGOT_DATABASE_URL, else data/igot.sqlite (scoring.db.default_url)."""
    return _database(db.default_url())


class _TokenMemo:
    """The last state token read per database URL and when it goes stale. A plain dict rather
    than st.cache_resource: a page asks for the token dozens of times a run, and Streamlit's
    cache hashes its arguments on every call (measured ~10 ms a page switch in all)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[float, Token]] = {}

    def get(self, url: str) -> Token:
        now = time.monotonic()
        with self._lock:
            seen = self._seen.get(url)
        if seen is not None and seen[0] > now:
            return seen[1]
        value = ed.state_token(database())
        with self._lock:
            self._seen[url] = (now + TOKEN_SECONDS, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


_token = _TokenMemo()


def token() -> Token:
    """Names the published state of the editions. A page asks for it dozens of times a run, so
    it is read at most once a second (about 2 ms a query); publishing or withdrawing here clears
    it, and another server's publication is seen within a second."""
    return _token.get(db.default_url())


@st.cache_resource(max_entries=8, show_spinner=False)
def _listing(url: str, state: Token) -> list[Edition]:
    return ed.list_editions(database())


def listing() -> list[Edition]:
    """Every edition, withdrawn ones too, newest date first."""
    return _listing(db.default_url(), token())


def published_dates() -> list[dt.date]:
    """The dates of the published editions, newest first: what a session can choose."""
    return sorted({e.as_of for e in listing() if e.status == ed.PUBLISHED}, reverse=True)


def chosen(state: ScenarioState | None = None) -> dt.date | None:
    """The edition a scenario (the session's by default) asks for when it names a published
    one; None means the latest."""
    wanted = session.edition() if state is None else state.edition
    return wanted if wanted in published_dates() else None


def missing_choice() -> dt.date | None:
    """The session's chosen date when it names no published edition (withdrawn since, or a
    link's typo): the pages say so and show the latest."""
    wanted = session.edition()
    return wanted if wanted is not None and wanted not in published_dates() else None


@st.cache_resource(max_entries=16, show_spinner=False)
def _data(url: str, state: Token, as_of: dt.date | None) -> EditionData:
    return ed.edition_data(database(), as_of)


@st.cache_resource(max_entries=8, show_spinner=False)
def _preview(
    url: str, state: Token, preview_key: str, _preview: Prepared, as_of: dt.date
) -> EditionData:
    return ed.edition_data(database(), as_of, preview=(_preview, as_of))


def _prepared(upload: session.UploadedData) -> Prepared:
    """A session-only upload as an edition not yet published (its checks were the Data page's)."""
    data = upload.dataset
    return Prepared(
        ranking=data.ranking if "ranking" in upload.replaced else None,
        departments=data.departments if "departments" in upload.replaced else None,
        totals=upload.totals if "departments" in upload.replaced else None,
        files=(),
        report={},
    )


@dataclass(frozen=True)
class Shown:
    """The edition data a session looks at, with the value that names it (for cache keys)."""

    key: str
    data: EditionData
    preview: bool


def shown(state: ScenarioState | None = None) -> Shown:
    """The data a scenario (the session's by default) runs on: the session's previewed upload
    on top of the editions when there is one, else the chosen edition, else the latest."""
    state_token = token()
    url = db.default_url()
    upload = session.uploaded_data()
    if upload is not None and upload.replaced:
        data = _preview(url, state_token, upload.key, _prepared(upload), upload.dataset.as_of)
        return Shown(f"preview:{url}:{state_token}:{upload.key}", data, True)
    picked = chosen(state)
    data = _data(url, state_token, picked)
    # The URL too: the token counts publications in one database, not across databases.
    return Shown(f"edition:{url}:{state_token}:{picked or 'latest'}", data, False)


def dataset() -> Dataset:
    return shown().data.dataset


@st.cache_resource(max_entries=32, show_spinner=False)
def _anchored(key: str, _config: ModelConfig, _data: EditionData) -> AnchoredModel:
    return anchored_model(_config, _data)


def anchored(config: ModelConfig, data: Shown) -> AnchoredModel:
    """The model of a config on an edition: a nowcast when its department table is newer than
    the ranking (services.model_ref builds every page's model through this)."""
    key = hashlib.sha256(f"{config.model_dump_json()}|{data.key}".encode()).hexdigest()[:24]
    return _anchored(key, config, data.data)


# -- history from the editions ---------------------------------------------------------------


@st.cache_resource(max_entries=8, show_spinner=False)
def _focus_history(url: str, state: Token, config_json: str, _config: ModelConfig) -> pd.DataFrame:
    return hist.focus_history(database(), _config)


def focus_history(config: ModelConfig) -> pd.DataFrame:
    """The focus state's published score and rank for each ranking in force, oldest first."""
    return _focus_history(db.default_url(), token(), config.model_dump_json(), config)


@st.cache_resource(max_entries=8, show_spinner=False)
def _kpis(url: str, state: Token, config_json: str, _config: ModelConfig) -> pd.DataFrame:
    return hist.kpis_by_month(database(), _config)


def kpis_by_month(config: ModelConfig) -> pd.DataFrame:
    """The focus state's KPIs from each department table in force, oldest first."""
    return _kpis(db.default_url(), token(), config.model_dump_json(), config)


@st.cache_resource(max_entries=4, show_spinner=False)
def _rankings(url: str, state: Token) -> dict[str, pd.DataFrame]:
    return {d.isoformat(): frame for d, frame in ed.rankings_in_force(database())}


def rankings() -> dict[str, pd.DataFrame]:
    """The ranking in force for each date that has one ({ISO date: ranking})."""
    return _rankings(db.default_url(), token())


def pace(extra_completers: int, deadline: dt.date) -> hist.EditionPace:
    """Completers a day between the first and the latest department table, against the run-rate
    `extra_completers` need from the latest table's date to the deadline."""
    return hist.edition_pace(database(), extra_completers, deadline)


@st.cache_resource(max_entries=8, show_spinner=False)
def _drift(url: str, state: Token, model_key: str, _model: Model) -> dict[str, float] | None:
    return default_peer_drift(database(), _model)


def peer_drift(model_key: str, model: Model) -> dict[str, float] | None:
    """The other states' real movement between the published rankings, points per month (None
    with fewer than two rankings)."""
    return _drift(db.default_url(), token(), model_key, model)


# -- changing the editions (checked on the server) -------------------------------------------


def _publisher(action: Action) -> str | Actor:
    """The server-side check, then who the editions record: the signed-in user (whose role the
    engine checks again), or 'local' with sign-in off."""
    user = require(action)
    return Actor(user.id, user.role) if user.signed_in else ed.LOCAL_USER


def publish(prepared: Prepared, as_of: dt.date, note: str = "") -> Edition:
    """Publish validated files as the edition of `as_of` for every session (ActionRefused for a
    role without the right, ScoringInputError for a bad date)."""
    who = _publisher(Action.PUBLISH_EDITION)
    try:
        return ed.publish(database(), prepared, as_of, who, note)
    finally:
        _token.clear()


def withdraw(as_of: dt.date) -> Edition:
    """Withdraw the latest edition of a date; the one in force before comes back."""
    who = _publisher(Action.WITHDRAW_EDITION)
    try:
        return ed.withdraw(database(), as_of, who)
    finally:
        _token.clear()


def latest_dataset() -> Dataset:
    """The latest published edition's data (what a file to publish is checked against)."""
    return _data(db.default_url(), token(), None).dataset


@st.cache_resource(max_entries=8, show_spinner=False)
def _totals(url: str, state: Token, edition_id: int) -> pd.Series | None:
    return ed.load_content(database(), edition_id).totals


def published_totals() -> pd.Series | None:
    """The published totals that came with the department table in use (None if none did)."""
    data = shown().data
    if data.departments_edition == ed.PREVIEW_ID:
        return None
    return _totals(db.default_url(), token(), data.departments_edition)
