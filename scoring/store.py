"""Saved scenarios in SQLite: atomic writes, safe with several sessions, recovers from damage."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.errors import ScoringInputError
from scoring.share import ScenarioState, from_json, to_json

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "saved" / "scenarios.sqlite"
ENV_PATH = "IGOT_SCENARIO_DB"
MAX_NAME = 120
SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    state: ScenarioState
    created_at: str
    updated_at: str


def default_path() -> Path:
    return Path(os.environ.get(ENV_PATH) or DEFAULT_PATH)


def clean_name(name: str) -> str:
    """Names are plain text: control characters dropped, spaces trimmed; never a path or HTML."""
    text = "".join(ch for ch in str(name) if ch.isprintable()).strip()
    if not text:
        raise ScoringInputError("give the scenario a name")
    if len(text) > MAX_NAME:
        raise ScoringInputError(f"a name can have at most {MAX_NAME} characters")
    return text


class ScenarioStore:
    """One SQLite file; every write is a transaction, so a crash leaves the old or the new row."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.recovered_from: Path | None = None
        self._lock = threading.Lock()
        self._open()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock:
                conn = self._connect()
                try:
                    status = conn.execute("PRAGMA quick_check").fetchone()[0]
                    if status != "ok":
                        raise sqlite3.DatabaseError(status)
                    # WAL lets readers and one writer work at once; it persists in the file.
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.execute(SCHEMA)
                finally:
                    conn.close()
        except sqlite3.OperationalError:
            raise  # busy or unreachable, not damaged: never set a good file aside
        except sqlite3.DatabaseError:
            self._recover()

    def _recover(self) -> None:
        """Move a damaged file aside (kept for inspection) and start a new, empty one."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                part.replace(Path(str(aside) + suffix))
        self.recovered_from = aside
        conn = self._connect()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(SCHEMA)
        finally:
            conn.close()

    def _run(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                rows = conn.execute(sql, params).fetchall()
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return rows
        finally:
            conn.close()

    def save(self, name: str, state: ScenarioState) -> SavedScenario:
        """Save under a name; saving again under the same name replaces it."""
        name = clean_name(name)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._run(
            "INSERT INTO scenarios (name, payload, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET payload = excluded.payload, "
            "updated_at = excluded.updated_at",
            (name, to_json(state), now, now),
        )
        saved = self.get_by_name(name)
        assert saved is not None
        return saved

    def list(self) -> list[SavedScenario]:
        rows = self._run(
            "SELECT id, name, payload, created_at, updated_at FROM scenarios ORDER BY updated_at "
            "DESC, id DESC"
        )
        return [self._row(r) for r in rows]

    def get(self, scenario_id: int) -> SavedScenario | None:
        rows = self._run(
            "SELECT id, name, payload, created_at, updated_at FROM scenarios WHERE id = ?",
            (scenario_id,),
        )
        return self._row(rows[0]) if rows else None

    def get_by_name(self, name: str) -> SavedScenario | None:
        rows = self._run(
            "SELECT id, name, payload, created_at, updated_at FROM scenarios WHERE name = ?",
            (name,),
        )
        return self._row(rows[0]) if rows else None

    def rename(self, scenario_id: int, new_name: str) -> None:
        new_name = clean_name(new_name)
        try:
            self._run(
                "UPDATE scenarios SET name = ?, updated_at = ? WHERE id = ?",
                (new_name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), scenario_id),
            )
        except sqlite3.IntegrityError:
            raise ScoringInputError(f"a scenario called {new_name!r} already exists") from None

    def delete(self, scenario_id: int) -> None:
        self._run("DELETE FROM scenarios WHERE id = ?", (scenario_id,))

    @staticmethod
    def _row(row: tuple[Any, ...]) -> SavedScenario:
        scenario_id, name, payload, created, updated = row
        return SavedScenario(
            int(scenario_id),
            str(name),
            from_json(str(payload)),
            str(created),
            str(updated),
        )
