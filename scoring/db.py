"""The database: an engine from a URL (SQLite by default, PostgreSQL when configured), the schema
and its versioned migrations, and database faults turned into one clear message.

Why SQLAlchemy Core rather than psycopg with plain SQL: the same table definitions, queries and
transactions run on the embedded SQLite file and on a department-wide PostgreSQL server, so there
is one code path to test against both; it pools connections and quotes every value. The ORM is not
used: the rows are plain records and Core keeps the SQL visible.

Why a small versioned scheme rather than Alembic: the schema is a handful of tables, and every app
server and command-line run must upgrade an existing file on its own at start (several at once),
with no operator step and no migration scripts folder to ship. `schema_version` holds one row per
applied migration; `MIGRATIONS` are ordered functions, each run in its own transaction together
with its version row, under a lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock) so two
processes starting together never apply one twice. A migration creates tables with the definitions
it had when written; later changes must be new migrations, never edits to old ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from scoring.errors import ScoringInputError

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PATH = REPO / "data" / "igot.sqlite"
LEGACY_SCENARIOS_PATH = REPO / "data" / "saved" / "scenarios.sqlite"
ENV_URL = "IGOT_DATABASE_URL"
# Before editions existed the database held only saved scenarios and this variable named its file;
# it still names the SQLite file (now of the whole database) when no URL is configured.
ENV_PATH = "IGOT_SCENARIO_DB"
# Any constant works; it only has to be the same in every process of this application.
PG_LOCK_KEY = 7_204_311_926
DAMAGED = ("file is not a database", "database disk image is malformed")


class DatabaseProblem(ScoringInputError):
    """The database cannot do what was asked; the message says why, in one line."""

    def __init__(self, problem: str, source: str = "database") -> None:
        super().__init__(problem, source)


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """Times are stored in UTC on both backends and come back as aware UTC datetimes. SQLite has
    no time type: it gets fixed-width text, which sorts in time order. A value that cannot be read
    comes back as None, so one damaged row never hides the others."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True
    TEXT_FORMAT = "%Y-%m-%d %H:%M:%S.%f"

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(32))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must carry a time zone")
        value = value.astimezone(dt.UTC)
        return value if dialect.name != "sqlite" else value.strftime(self.TEXT_FORMAT)

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            try:
                value = dt.datetime.fromisoformat(str(value))
            except ValueError:
                return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", UtcDateTime, nullable=False),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

scenarios = sa.Table(
    "scenarios",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("owner", sa.String(320), nullable=False),
    sa.Column("visibility", sa.String(10), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("deleted_at", UtcDateTime, nullable=True),
    sa.Column("deleted_by", sa.String(320), nullable=True),
    # Optimistic concurrency: every change adds one, and a change made against an older version
    # is refused with a message instead of silently overwriting someone else's.
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index(
        "scenarios_live_name",
        "owner",
        "name",
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    ),
)

editions = sa.Table(
    "editions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("has_ranking", sa.Boolean, nullable=False),
    sa.Column("has_departments", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # published | withdrawn
    sa.Column("published_at", UtcDateTime, nullable=False),
    sa.Column("published_by", sa.String(320), nullable=False),
    sa.Column("withdrawn_at", UtcDateTime, nullable=True),
    sa.Column("withdrawn_by", sa.String(320), nullable=True),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("files", sa.Text, nullable=False),  # JSON: [{role, name, sha256, bytes}]
    sa.Column("report", sa.Text, nullable=False),  # JSON: the validation report
    sa.Index("editions_as_of", "as_of", "status"),
)

VALUE_COLUMNS = (
    "onboarded",
    "active",
    "user_completions",
    "enrolments",
    "completions",
    "hours",
    "attempted",
    "passed",
)

edition_rankings = sa.Table(
    "edition_rankings",
    metadata,
    sa.Column("edition_id", sa.Integer, sa.ForeignKey("editions.id"), primary_key=True),
    sa.Column("row", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("state", sa.String(200), nullable=False),
    sa.Column("category", sa.String(8), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("rank", sa.Integer, nullable=True),
)

edition_departments = sa.Table(
    "edition_departments",
    metadata,
    sa.Column("edition_id", sa.Integer, sa.ForeignKey("editions.id"), primary_key=True),
    sa.Column("row", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("mdo_id", sa.String(80), nullable=False),
    sa.Column("department", sa.String(200), nullable=False),
    sa.Column("mdo", sa.String(200), nullable=False),
    sa.Column("is_remainder", sa.Boolean, nullable=False),
    *[sa.Column(c, sa.Float, nullable=False) for c in VALUE_COLUMNS],
)

edition_totals = sa.Table(
    "edition_totals",
    metadata,
    sa.Column("edition_id", sa.Integer, sa.ForeignKey("editions.id"), primary_key=True),
    *[sa.Column(c, sa.Float, nullable=False) for c in VALUE_COLUMNS],
)

LEGACY_SCENARIO_COLUMNS = {"id", "name", "payload", "created_at", "updated_at"}


def legacy_time(text: Any) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return utcnow()
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _migration_1(conn: Connection) -> None:
    """Saved scenarios with owners, visibility, soft delete and a version; adopts the table of
    the earlier scenarios-only file (every row kept, owned by "local", shared as before)."""
    legacy: list[Any] = []
    inspector = sa.inspect(conn)
    if inspector.has_table("scenarios"):
        columns = {c["name"] for c in inspector.get_columns("scenarios")}
        if columns != LEGACY_SCENARIO_COLUMNS:
            raise DatabaseProblem(
                "the database has a table 'scenarios' with columns "
                f"{', '.join(sorted(columns))} that this program does not recognise; "
                "point IGOT_DATABASE_URL (or IGOT_SCENARIO_DB) at another database"
            )
        legacy = list(
            conn.execute(sa.text("SELECT id, name, payload, created_at, updated_at FROM scenarios"))
        )
        conn.execute(sa.text("DROP TABLE scenarios"))
    meta.create(conn)
    scenarios.create(conn)
    if legacy:
        conn.execute(
            scenarios.insert(),
            [
                {
                    "id": int(r[0]),
                    "name": str(r[1]),
                    "owner": "local",
                    "visibility": "shared",
                    "payload": str(r[2]),
                    "created_at": legacy_time(r[3]),
                    "updated_at": legacy_time(r[4]),
                    "version": 1,
                }
                for r in legacy
            ],
        )
        if conn.dialect.name == "postgresql":  # pragma: no cover - legacy files are SQLite
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('scenarios', 'id'), "
                    "(SELECT MAX(id) FROM scenarios))"
                )
            )


def _migration_2(conn: Connection) -> None:
    """Data editions: rankings, department tables and published totals, as published."""
    for table in (editions, edition_rankings, edition_departments, edition_totals):
        table.create(conn)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_migration_1, _migration_2)
SCHEMA_VERSION = len(MIGRATIONS)


def default_url() -> str:
    """IGOT_DATABASE_URL if set, else the SQLite file IGOT_SCENARIO_DB, else data/igot.sqlite."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    path = os.environ.get(ENV_PATH, "").strip()
    return sqlite_url(Path(path) if path else DEFAULT_PATH)


def sqlite_url(path: str | Path) -> str:
    return _sqlite_url(str(path), os.getcwd())


@functools.lru_cache(maxsize=64)
def _sqlite_url(path: str, cwd: str) -> str:
    # Asked for on every call of a page's data services: resolving and rendering the URL each
    # time cost more than the query it names.
    return URL.create("sqlite", database=str((Path(cwd) / path).resolve())).render_as_string()


def is_default_location(url: str) -> bool:
    return url == sqlite_url(DEFAULT_PATH)


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseProblem(
            "not a database URL (expected sqlite:///FILE or postgresql://...)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseProblem(f"unsupported database {backend!r}: use sqlite or postgresql")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def describe(exc: BaseException, where: str) -> str:
    """One line for a database error, without SQL or a traceback."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = " ".join(str(original).split()) or type(original).__name__
    lowered = text.lower()
    if "readonly database" in lowered or "read-only" in lowered or "read only" in lowered:
        return f"{where} is read-only: nothing can be saved there (reading still works)"
    if "unable to open database file" in lowered:
        if Path(where).is_dir():
            return f"{where} is a folder, not a database file"
        return f"{where} cannot be opened (missing folder or no permission)"
    if "database is locked" in lowered:
        return f"{where} is busy (locked by another process for too long); try again"
    if "permission denied" in lowered:
        return f"{where}: permission denied"
    if "connection refused" in lowered or "could not connect" in lowered:
        return f"cannot connect to the database server ({text[:200]})"
    if "database" in lowered and "does not exist" in lowered and "relation" not in lowered:
        return f"the database named in the URL does not exist on the server ({text[:200]})"
    if "no such table" in lowered or "does not exist" in lowered or "no such column" in lowered:
        return f"{where} does not have the expected tables ({text[:200]})"
    return f"{where}: database error ({text[:200]})"


class Database:
    """One database (an engine and its pool), migrated to the current schema when opened."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.parsed = _parse_url(self.url)
        self.is_sqlite = self.parsed.get_backend_name() == "sqlite"
        database = self.parsed.database or ""
        self.path: Path | None = (
            Path(database) if self.is_sqlite and database and database != ":memory:" else None
        )
        # sqlite:///FILE?mode=ro opens a file read-only (a copy for viewing, a read-only mount).
        self.read_only = self.is_sqlite and self.parsed.query.get("mode") == "ro"
        self.where = str(self.path) if self.path else self.parsed.render_as_string(True)
        self.recovered_from: Path | None = None
        self.engine = self._engine()
        self._open()

    def _engine(self) -> Engine:
        if not self.is_sqlite:
            return sa.create_engine(self.parsed, pool_pre_ping=True, pool_size=5, max_overflow=5)
        connect_args: dict[str, Any] = {"timeout": 30, "check_same_thread": False}
        url = self.parsed
        if self.read_only and self.path is not None:
            # SQLite opens a file read-only only through a URI.
            url = url.set(database=f"file:{self.path}", query={"mode": "ro", "uri": "true"})
        engine = sa.create_engine(url, connect_args=connect_args)

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            # SQLAlchemy emits BEGIN itself (below), so DDL is transactional too.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # A writer takes the write lock at BEGIN: two writers never deadlock on an upgrade
            # from a read lock, the second one waits (busy_timeout) instead.
            mode = conn.get_execution_options().get("igot_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if mode else "BEGIN")

        return engine

    def _open(self) -> None:
        if self.path is not None:
            if self.path.is_dir():
                raise DatabaseProblem(f"{self.path} is a folder, not a database file")
            if not self.read_only:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise DatabaseProblem(
                        f"cannot create the folder {self.path.parent} ({exc.strerror})"
                    ) from None
        try:
            self._check_and_migrate()
        except DatabaseProblem:
            raise
        except SQLAlchemyError as exc:
            text = str(getattr(exc, "orig", exc)).lower()
            if self.path is not None and not self.read_only and any(d in text for d in DAMAGED):
                self._recover()
                self._check_and_migrate()
            else:
                raise DatabaseProblem(describe(exc, self.where)) from None

    def _check_and_migrate(self) -> None:
        if self.is_sqlite:
            with self.engine.connect() as conn:
                status = conn.exec_driver_sql("PRAGMA quick_check").scalar()
                if status != "ok":
                    raise sa.exc.DatabaseError("quick_check", {}, Exception(DAMAGED[1]))
                conn.rollback()
        current = self.version()
        if current > SCHEMA_VERSION:
            raise DatabaseProblem(
                f"{self.where} has schema version {current}, newer than this program's "
                f"{SCHEMA_VERSION}: upgrade the program"
            )
        if current < SCHEMA_VERSION:
            if self.read_only:
                raise DatabaseProblem(
                    f"{self.where} is read-only and needs an upgrade (schema {current} of "
                    f"{SCHEMA_VERSION}); open it once with write access"
                )
            self.migrate()
        self._check_columns()

    def _check_columns(self) -> None:
        inspector = sa.inspect(self.engine)
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                raise DatabaseProblem(f"{self.where} has no table {table.name!r}: wrong schema")
            found = {c["name"] for c in inspector.get_columns(table.name)}
            missing = sorted({c.name for c in table.columns} - found)
            if missing:
                raise DatabaseProblem(
                    f"{self.where}: table {table.name!r} lacks column(s) {', '.join(missing)}: "
                    "wrong schema"
                )

    def _recover(self) -> None:
        """Move a damaged SQLite file aside (kept for inspection) and start a new one."""
        assert self.path is not None
        self.engine.dispose()
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm", "-journal"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                part.replace(Path(str(aside) + suffix))
        self.recovered_from = aside

    def version(self) -> int:
        """The highest applied migration (0 for an empty or pre-versioning database)."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("schema_version"):
                return 0
            value = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
            conn.rollback()
        return int(value or 0)

    def migrate(self, upto: int = SCHEMA_VERSION) -> None:
        """Apply the missing migrations in order, each in one transaction under the lock."""
        if self.is_sqlite:
            with self.engine.connect() as conn:
                # WAL lets readers work while one process writes; it persists in the file. Run
                # on the driver's connection: SQLite refuses it inside a transaction.
                dbapi = conn.connection.dbapi_connection
                assert dbapi is not None
                dbapi.execute("PRAGMA journal_mode = WAL")
        for number in range(1, upto + 1):
            with self.write() as conn:
                if not sa.inspect(conn).has_table("schema_version"):
                    schema_version.create(conn)
                done = conn.execute(
                    sa.select(schema_version.c.version).where(schema_version.c.version == number)
                ).first()
                if done is None:
                    MIGRATIONS[number - 1](conn)
                    conn.execute(
                        schema_version.insert().values(version=number, applied_at=utcnow())
                    )

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises. On
        PostgreSQL the block holds the application's advisory lock, which serialises writers the
        way SQLite's BEGIN IMMEDIATE does (publishing, seeding and migrations stay simple)."""
        with self.engine.connect() as raw:
            conn = raw.execution_options(igot_write=True)
            with conn.begin():
                if not self.is_sqlite:
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY}
                    )
                yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot for the block."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def get_meta(self, key: str) -> str | None:
        with self.read() as conn:
            return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    def dispose(self) -> None:
        self.engine.dispose()


_open_databases: dict[str, Database] = {}
_open_lock = threading.Lock()


def open_database(url: str | None = None) -> Database:
    """The process's Database for a URL (default: `default_url()`), opened once and shared: an
    engine holds a pool, and migrations and checks need to run only once."""
    key = url or default_url()
    with _open_lock:
        database = _open_databases.get(key)
        if database is None:
            database = Database(key)
            _open_databases[key] = database
        return database


def forget_databases() -> None:
    """Close every shared Database (tests, or after a file was replaced)."""
    with _open_lock:
        for database in _open_databases.values():
            database.dispose()
        _open_databases.clear()


def guard(where: str) -> contextlib.AbstractContextManager[None]:
    """Turn a database error raised inside the block into a DatabaseProblem with one line."""

    @contextlib.contextmanager
    def _guard() -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise DatabaseProblem(describe(exc, where)) from None

    return _guard()
