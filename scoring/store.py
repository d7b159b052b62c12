"""Saved scenarios in the application database: owners, private or shared, soft delete with undo,
optimistic concurrency, and faults reported as one clear message."""

from __future__ import annotations

import builtins
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from scoring import db
from scoring.db import Database, DatabaseProblem, guard, open_database, scenarios, sqlite_url
from scoring.errors import ScoringInputError
from scoring.roles import Action, NotAllowed, Role, can, check
from scoring.share import ScenarioState, from_json, to_json

# Kept for callers of the scenarios-only store: the SQLite file, now of the whole database.
ENV_PATH = db.ENV_PATH
DEFAULT_PATH = db.DEFAULT_PATH
MAX_NAME = 120
UNDO_DAYS = 30
DEFAULT_ZONE = "Asia/Kolkata"  # IST: the officials' time zone
LOCAL_USER = "local"  # the only user when sign-in is off
LEGACY_META_KEY = "legacy_scenarios_imported"
SAVE_RETRIES = 5


class Visibility(StrEnum):
    PRIVATE = "private"
    SHARED = "shared"


@dataclass(frozen=True)
class Actor:
    """Who asks: the signed-in user's id and role (scoring.roles); "local" when sign-in is off."""

    user: str = LOCAL_USER
    # Sign-in off: the one local user has every right, as app_ui.auth gives it.
    role: Role = Role.DATA_ADMIN

    def __post_init__(self) -> None:
        if not str(self.user).strip() or len(self.user) > 320:
            raise ScoringInputError("a user id must be 1 to 320 characters")


LOCAL = Actor()


class ScenarioConflict(ScoringInputError):
    """The scenario changed, was deleted or renamed by someone else meanwhile."""


class NotOwner(NotAllowed):
    """Someone else's scenario, and the role may not act on other people's things."""

    def __init__(self, role: Role, owner: str, name: str, action: str) -> None:
        super().__init__(role, Action.ADMIN)
        self.message = f"only its owner ({owner}) or an admin can {action} {name!r}"
        self.args = (self.message,)


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    state: ScenarioState
    created_at: str  # ISO 8601, UTC
    updated_at: str  # ISO 8601, UTC
    owner: str = LOCAL_USER
    visibility: str = Visibility.SHARED.value
    version: int = 1
    deleted_at: str | None = None
    deleted_by: str | None = None

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_at)

    @property
    def updated(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.updated_at)

    def undo_until(self) -> dt.datetime | None:
        """Until when a deletion can be undone (None while not deleted)."""
        if self.deleted_at is None:
            return None
        return dt.datetime.fromisoformat(self.deleted_at) + dt.timedelta(days=UNDO_DAYS)


@dataclass(frozen=True)
class Deletion:
    """What a delete did, for the "Undo" message (readable even when the payload is not)."""

    id: int
    name: str
    deleted_at: str  # ISO 8601, UTC
    deleted_by: str
    version: int

    def undo_until(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.deleted_at) + dt.timedelta(days=UNDO_DAYS)


@dataclass(frozen=True)
class UnreadableScenario:
    """A stored row that cannot be read; listed so that it is seen, never hiding the others."""

    id: int
    name: str
    owner: str
    problem: str


@dataclass(frozen=True)
class Listing:
    scenarios: tuple[SavedScenario, ...]
    unreadable: tuple[UnreadableScenario, ...]


def default_path() -> Path:
    """The SQLite file of the database when no IGOT_DATABASE_URL is set."""
    return Path(os.environ.get(ENV_PATH) or DEFAULT_PATH)


def clean_name(name: str) -> str:
    """Names are plain text: control characters dropped, spaces trimmed; never a path or HTML."""
    text = "".join(ch for ch in str(name) if ch.isprintable()).strip()
    if not text:
        raise ScoringInputError("give the scenario a name")
    if len(text) > MAX_NAME:
        raise ScoringInputError(f"a name can have at most {MAX_NAME} characters")
    return text


def local_time(value: dt.datetime | str, zone: str = DEFAULT_ZONE) -> dt.datetime:
    """A stored UTC time in a time zone (IST unless the user has another)."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        raise ScoringInputError(f"unknown time zone {zone!r}") from None


def format_local(value: dt.datetime | str, zone: str = DEFAULT_ZONE) -> str:
    """'20 Jan 2026, 15:30 IST': a stored time as officials read it."""
    moment = local_time(value, zone)
    return f"{moment:%d %b %Y, %H:%M} {moment.tzname()}"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _who(user: str | None) -> str:
    return "you" if user is None else user


class ScenarioStore:
    """Saved scenarios of one database. Every change is one transaction that checks the row's
    version, owner and deletion inside it, so racing sessions get a message, never a traceback."""

    def __init__(self, target: str | Path | Database | None = None) -> None:
        """`target`: a Database, a URL, a SQLite file, or None for the configured database.
        The default SQLite file means the configured database when IGOT_DATABASE_URL is set
        (callers written before the URL existed pass `default_path()`)."""
        if isinstance(target, Database):
            self.database = target
        else:
            text = str(target) if target is not None else ""
            if "://" in text:
                url = text
            elif text and not (
                os.environ.get(db.ENV_URL, "").strip() and Path(text) == default_path()
            ):
                url = sqlite_url(text)
            else:
                url = db.default_url()
            self.database = open_database(url)
        self.where = self.database.where
        if self.database.path is not None and db.is_default_location(self.database.url):
            import_legacy_scenarios(self.database, db.LEGACY_SCENARIOS_PATH)

    @property
    def path(self) -> Path | None:
        return self.database.path

    @property
    def recovered_from(self) -> Path | None:
        return self.database.recovered_from

    # -- reading ---------------------------------------------------------------------------

    def listing(self, actor: Actor = LOCAL) -> Listing:
        """Scenarios the actor may see (own and shared), newest first, and unreadable rows."""
        query = (
            sa.select(scenarios)
            .where(scenarios.c.deleted_at.is_(None), _visible(actor))
            .order_by(scenarios.c.updated_at.desc(), scenarios.c.id.desc())
        )
        return self._listing(query)

    def list(self, actor: Actor = LOCAL) -> list[SavedScenario]:
        return list(self.listing(actor).scenarios)

    def deleted(self, actor: Actor = LOCAL) -> builtins.list[SavedScenario]:
        """Deleted scenarios the actor may still restore (within UNDO_DAYS), newest first."""
        since = db.utcnow() - dt.timedelta(days=UNDO_DAYS)
        query = (
            sa.select(scenarios)
            .where(scenarios.c.deleted_at.is_not(None), scenarios.c.deleted_at >= since)
            .where(_may_change(actor))
            .order_by(scenarios.c.deleted_at.desc(), scenarios.c.id.desc())
        )
        return builtins.list(self._listing(query).scenarios)

    def get(self, scenario_id: int, actor: Actor = LOCAL) -> SavedScenario | None:
        query = sa.select(scenarios).where(
            scenarios.c.id == int(scenario_id), scenarios.c.deleted_at.is_(None), _visible(actor)
        )
        found = self._listing(query)
        if found.unreadable:
            raise ScoringInputError(found.unreadable[0].problem, found.unreadable[0].name)
        return found.scenarios[0] if found.scenarios else None

    def get_by_name(self, name: str, actor: Actor = LOCAL) -> SavedScenario | None:
        """The actor's own scenario of that name (names are unique per owner)."""
        query = sa.select(scenarios).where(
            scenarios.c.owner == actor.user,
            scenarios.c.name == clean_name(name),
            scenarios.c.deleted_at.is_(None),
        )
        found = self._listing(query)
        return found.scenarios[0] if found.scenarios else None

    def _listing(self, query: sa.Select[Any]) -> Listing:
        with guard(self.where), self.database.read() as conn:
            rows = conn.execute(query).mappings().all()
        good: list[SavedScenario] = []
        bad: list[UnreadableScenario] = []
        for row in rows:
            try:
                good.append(_saved(row))
            except ScoringInputError as exc:
                name = str(row.get("name") or f"#{row.get('id')}")
                problem = "; ".join(exc.problems)[:300]
                bad.append(
                    UnreadableScenario(int(row["id"]), name, str(row.get("owner") or ""), problem)
                )
        return Listing(tuple(good), tuple(bad))

    # -- changing --------------------------------------------------------------------------

    def save(
        self,
        name: str,
        state: ScenarioState,
        actor: Actor = LOCAL,
        visibility: Visibility | str | None = None,
    ) -> SavedScenario:
        """Save under a name; saving again under the same name replaces the actor's own one.
        New scenarios are private unless shared."""
        name = clean_name(name)
        check(actor.role, Action.SAVE_SCENARIO)
        shown = Visibility(visibility) if visibility is not None else None
        payload = to_json(state)
        for _ in range(SAVE_RETRIES):
            try:
                with self.database.write() as conn:
                    return self._save(conn, name, payload, actor, shown)
            except IntegrityError:
                continue  # another session inserted the same name meanwhile: update it instead
            except SQLAlchemyError as exc:
                raise DatabaseProblem(db.describe(exc, self.where)) from None
        raise ScenarioConflict(f"{name!r} is being saved by another session; try again")

    def _save(
        self,
        conn: Connection,
        name: str,
        payload: str,
        actor: Actor,
        shown: Visibility | None,
    ) -> SavedScenario:
        now = db.utcnow()
        live = conn.execute(
            sa.select(scenarios.c.id, scenarios.c.version).where(
                scenarios.c.owner == actor.user,
                scenarios.c.name == name,
                scenarios.c.deleted_at.is_(None),
            )
        ).first()
        if live is not None:
            values: dict[str, Any] = {
                "payload": payload,
                "updated_at": now,
                "version": live.version + 1,
            }
            if shown is not None:
                values["visibility"] = shown.value
            conn.execute(scenarios.update().where(scenarios.c.id == live.id).values(**values))
            scenario_id = int(live.id)
        else:
            scenario_id = int(
                conn.execute(
                    scenarios.insert()
                    .values(
                        name=name,
                        owner=actor.user,
                        visibility=(shown or Visibility.PRIVATE).value,
                        payload=payload,
                        created_at=now,
                        updated_at=now,
                        version=1,
                    )
                    .returning(scenarios.c.id)
                ).scalar_one()
            )
        row = conn.execute(sa.select(scenarios).where(scenarios.c.id == scenario_id)).mappings()
        return _saved(row.one())

    def rename(
        self,
        scenario_id: int,
        new_name: str,
        actor: Actor = LOCAL,
        expected_version: int | None = None,
    ) -> SavedScenario:
        new_name = clean_name(new_name)
        with guard(self.where), self.database.write() as conn:
            row = self._changeable(conn, scenario_id, actor, expected_version, "rename")
            if row["name"] == new_name:
                return _saved(row)
            clash = conn.execute(
                sa.select(scenarios.c.id).where(
                    scenarios.c.owner == row["owner"],
                    scenarios.c.name == new_name,
                    scenarios.c.deleted_at.is_(None),
                )
            ).first()
            if clash is not None:
                raise ScoringInputError(f"a scenario called {new_name!r} already exists")
            return self._update(conn, row, name=new_name)

    def set_visibility(
        self,
        scenario_id: int,
        visibility: Visibility | str,
        actor: Actor = LOCAL,
        expected_version: int | None = None,
    ) -> SavedScenario:
        shown = Visibility(visibility)
        with guard(self.where), self.database.write() as conn:
            row = self._changeable(conn, scenario_id, actor, expected_version, "share")
            return self._update(conn, row, visibility=shown.value)

    def delete(
        self, scenario_id: int, actor: Actor = LOCAL, expected_version: int | None = None
    ) -> Deletion:
        """Soft delete: the scenario leaves the list and can be restored for UNDO_DAYS days."""
        with guard(self.where), self.database.write() as conn:
            row = self._changeable(conn, scenario_id, actor, expected_version, "delete")
            now = db.utcnow()
            self._bump(conn, row, deleted_at=now, deleted_by=actor.user)
            deleted = Deletion(
                int(row["id"]), str(row["name"]), str(_iso(now)), actor.user, row["version"] + 1
            )
            # Deletions older than the undo window go for good here: no job to schedule.
            conn.execute(
                scenarios.delete().where(
                    scenarios.c.deleted_at < db.utcnow() - dt.timedelta(days=UNDO_DAYS)
                )
            )
            return deleted

    def restore(self, scenario_id: int, actor: Actor = LOCAL) -> SavedScenario:
        """Undo a deletion (within UNDO_DAYS days); refused if the name was taken meanwhile."""
        with guard(self.where), self.database.write() as conn:
            row = (
                conn.execute(sa.select(scenarios).where(scenarios.c.id == int(scenario_id)))
                .mappings()
                .first()
            )
            if row is None or (
                row["deleted_at"] is not None
                and row["deleted_at"] < db.utcnow() - dt.timedelta(days=UNDO_DAYS)
            ):
                raise ScenarioConflict(
                    f"scenario #{scenario_id} can no longer be restored "
                    f"(deletions are kept for {UNDO_DAYS} days)"
                )
            _check_allowed(row, actor, "restore")
            if row["deleted_at"] is None:
                return _saved(row)
            clash = conn.execute(
                sa.select(scenarios.c.id).where(
                    scenarios.c.owner == row["owner"],
                    scenarios.c.name == row["name"],
                    scenarios.c.deleted_at.is_(None),
                )
            ).first()
            if clash is not None:
                raise ScenarioConflict(
                    f"a scenario called {row['name']!r} exists again; rename it first"
                )
            return self._update(conn, row, deleted_at=None, deleted_by=None)

    def _changeable(
        self,
        conn: Connection,
        scenario_id: int,
        actor: Actor,
        expected_version: int | None,
        action: str,
    ) -> Any:
        row = (
            conn.execute(sa.select(scenarios).where(scenarios.c.id == int(scenario_id)))
            .mappings()
            .first()
        )
        if row is None or not (
            row["visibility"] == Visibility.SHARED.value or row["owner"] == actor.user
        ):
            raise ScenarioConflict(f"scenario #{scenario_id} no longer exists")
        if row["deleted_at"] is not None:
            raise ScenarioConflict(
                f"{row['name']!r} was deleted by {_who(row['deleted_by'])} at "
                f"{format_local(row['deleted_at'])}; restore it first"
            )
        _check_allowed(row, actor, action)
        if expected_version is not None and row["version"] != expected_version:
            raise ScenarioConflict(
                f"{row['name']!r} was changed by someone else since you opened it; "
                "reload the list and try again"
            )
        return row

    def _update(self, conn: Connection, row: Any, **values: Any) -> SavedScenario:
        self._bump(conn, row, **values)
        fresh = conn.execute(sa.select(scenarios).where(scenarios.c.id == row["id"])).mappings()
        return _saved(fresh.one())

    @staticmethod
    def _bump(conn: Connection, row: Any, **values: Any) -> None:
        """Change a row that `_changeable` read in this transaction, one version up."""
        result = conn.execute(
            scenarios.update()
            .where(scenarios.c.id == row["id"], scenarios.c.version == row["version"])
            .values(updated_at=db.utcnow(), version=row["version"] + 1, **values)
        )
        if result.rowcount != 1:  # pragma: no cover - the write lock makes this unreachable
            raise ScenarioConflict(f"{row['name']!r} changed meanwhile; try again")


def _visible(actor: Actor) -> Any:
    return sa.or_(
        scenarios.c.visibility == Visibility.SHARED.value, scenarios.c.owner == actor.user
    )


def _may_change(actor: Actor) -> Any:
    if can(actor.role, Action.ADMIN):
        return _visible(actor)
    return scenarios.c.owner == actor.user


def _check_allowed(row: Any, actor: Actor, action: str) -> None:
    check(actor.role, Action.SAVE_SCENARIO)
    if row["owner"] != actor.user and not can(actor.role, Action.ADMIN):
        raise NotOwner(actor.role, str(row["owner"]), str(row["name"]), action)


def _saved(row: Any) -> SavedScenario:
    times = {k: row[k] for k in ("created_at", "updated_at")}
    if any(v is None for v in times.values()):
        raise ScoringInputError("its time stamps are damaged")
    if row["visibility"] not in {v.value for v in Visibility}:
        raise ScoringInputError(f"unknown visibility {str(row['visibility'])[:20]!r}")
    return SavedScenario(
        id=int(row["id"]),
        name=str(row["name"]),
        state=from_json(str(row["payload"]), "saved scenario"),
        created_at=str(_iso(times["created_at"])),
        updated_at=str(_iso(times["updated_at"])),
        owner=str(row["owner"]),
        visibility=str(row["visibility"]),
        version=int(row["version"]),
        deleted_at=_iso(row["deleted_at"]),
        deleted_by=row["deleted_by"],
    )


def import_legacy_scenarios(database: Database, legacy: Path) -> int:
    """Copy the scenarios of the earlier scenarios-only file (data/saved/scenarios.sqlite) into
    the database once, owned by "local" and shared as they were; the file is left in place.
    A name already taken gets " (imported)" appended. Returns the rows copied."""
    if not legacy.is_file() or database.get_meta(LEGACY_META_KEY) is not None:
        return 0
    try:
        source = sqlite3.connect(f"file:{legacy}?mode=ro", uri=True, timeout=30)
        try:
            rows = source.execute(
                "SELECT name, payload, created_at, updated_at FROM scenarios ORDER BY id"
            ).fetchall()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise DatabaseProblem(
            f"cannot import the saved scenarios of {legacy} ({exc}); move the file aside"
        ) from None
    with guard(database.where), database.write() as conn:
        if conn.execute(sa.select(db.meta.c.value).where(db.meta.c.key == LEGACY_META_KEY)).first():
            return 0  # another process imported them meanwhile
        taken = {
            str(n)
            for n in conn.execute(
                sa.select(scenarios.c.name).where(
                    scenarios.c.owner == LOCAL_USER, scenarios.c.deleted_at.is_(None)
                )
            ).scalars()
        }
        records = []
        for name, payload, created, updated in rows:
            name = str(name)
            while name in taken:
                name = f"{name} (imported)"
            taken.add(name)
            records.append(
                {
                    "name": name,
                    "owner": LOCAL_USER,
                    "visibility": Visibility.SHARED.value,
                    "payload": str(payload),
                    "created_at": db.legacy_time(created),
                    "updated_at": db.legacy_time(updated),
                    "version": 1,
                }
            )
        if records:
            conn.execute(scenarios.insert(), records)
        conn.execute(
            db.meta.insert().values(key=LEGACY_META_KEY, value=f"{legacy}: {len(records)} rows")
        )
    return len(records)
