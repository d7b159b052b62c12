"""The database: where it is, schema versions and migrations, and faults as one clear message."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from scoring import db
from scoring.db import SCHEMA_VERSION, Database, DatabaseProblem, default_url, sqlite_url
from scoring.errors import ScoringInputError
from scoring.share import LeverState, ScenarioState, to_json
from scoring.store import ScenarioStore

REPO = Path(__file__).resolve().parents[2]
EDU = ScenarioState(
    levers=(LeverState(target="Education Department, Bihar", kind="add", value=50_000),)
)
OLD_SCHEMA = """
CREATE TABLE scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


def test_where_the_database_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(db.ENV_URL, raising=False)
    monkeypatch.delenv(db.ENV_PATH, raising=False)
    assert default_url() == sqlite_url(REPO / "data" / "igot.sqlite")
    monkeypatch.setenv(db.ENV_PATH, str(tmp_path / "old.sqlite"))
    assert default_url() == sqlite_url(tmp_path / "old.sqlite")
    monkeypatch.setenv(db.ENV_URL, "postgresql://u@127.0.0.1:5/x")
    assert default_url() == "postgresql://u@127.0.0.1:5/x"


def test_a_new_database_has_the_current_schema(database_url: str) -> None:
    database = Database(database_url)
    assert database.version() == SCHEMA_VERSION == 2
    names = set(sa.inspect(database.engine).get_table_names())
    assert names >= {"schema_version", "meta", "scenarios", "editions", "edition_departments"}
    database.dispose()


def _old_file(path: Path, rows: list[tuple[str, str, str]]) -> None:
    conn = sqlite3.connect(path)
    conn.execute(OLD_SCHEMA)
    conn.executemany(
        "INSERT INTO scenarios (name, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [(n, p, t, t) for n, p, t in rows],
    )
    conn.commit()
    conn.close()


def test_an_old_scenarios_file_is_upgraded_in_place_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.sqlite"
    _old_file(
        path,
        [
            ("Education push", to_json(EDU), "2026-01-20T10:00:00+00:00"),
            ("शिक्षा अभियान", to_json(ScenarioState()), "2026-01-21T04:30:00+00:00"),
        ],
    )
    store = ScenarioStore(path)
    assert store.database.version() == SCHEMA_VERSION
    saved = {s.name: s for s in store.list()}
    assert set(saved) == {"Education push", "शिक्षा अभियान"}
    assert saved["Education push"].state == EDU and saved["Education push"].id == 1
    assert saved["Education push"].created_at == "2026-01-20T10:00:00+00:00"
    assert {(s.owner, s.visibility, s.version) for s in saved.values()} == {("local", "shared", 1)}
    # The upgraded file takes new saves and keeps names unique per owner.
    store.save("Education push", ScenarioState())
    assert len(store.list()) == 2


def test_a_database_at_version_one_gets_the_editions_tables(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "v1.sqlite")
    database = Database(url)
    with database.write() as conn:
        for table in ("edition_totals", "edition_departments", "edition_rankings", "editions"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(sa.text("DELETE FROM schema_version WHERE version = 2"))
    database.dispose()
    assert Database(url).version() == 2


def test_several_processes_opening_a_new_database_at_once(database_url: str) -> None:
    code = (
        "import sys\n"
        "from scoring.editions import open_editions, list_editions\n"
        "print(len(list_editions(open_editions(sys.argv[1]))))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, database_url],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert [out.strip() for out, _ in results] == ["1"] * 4
    database = Database(database_url)
    assert database.version() == SCHEMA_VERSION
    with database.read() as conn:
        versions = conn.execute(sa.text("SELECT version FROM schema_version")).scalars().all()
    assert sorted(versions) == [1, 2]
    database.dispose()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "new.sqlite")
    database = Database(url)
    with database.write() as conn:
        conn.execute(db.schema_version.insert().values(version=9, applied_at=db.utcnow()))
    database.dispose()
    with pytest.raises(DatabaseProblem, match="schema version 9, newer than this program's 2"):
        Database(url)


def test_a_foreign_scenarios_table_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE scenarios (x TEXT, y TEXT)")
    conn.execute("INSERT INTO scenarios VALUES ('a', 'b')")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseProblem, match="columns x, y that this program does not"):
        ScenarioStore(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT * FROM scenarios").fetchall() == [("a", "b")]
    conn.close()


def test_a_table_missing_a_column_is_a_wrong_schema(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "w.sqlite")
    database = Database(url)
    with database.write() as conn:
        conn.execute(sa.text("ALTER TABLE editions DROP COLUMN note"))
    database.dispose()
    with pytest.raises(DatabaseProblem, match=r"'editions' lacks column\(s\) note: wrong schema"):
        Database(url)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite").mkdir()
    with pytest.raises(DatabaseProblem, match="is a folder, not a database file"):
        ScenarioStore(tmp_path / "dir.sqlite")


def test_a_read_only_database_reads_and_refuses_saves_plainly(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    ScenarioStore(path).save("kept", EDU)
    db.forget_databases()
    store = ScenarioStore(sqlite_url(path) + "?mode=ro")
    assert [s.name for s in store.list()] == ["kept"]
    with pytest.raises(DatabaseProblem, match="is read-only: nothing can be saved there"):
        store.save("new", EDU)
    with pytest.raises(DatabaseProblem, match="read-only"):
        store.delete(store.list()[0].id)
    assert [s.name for s in store.list()] == ["kept"]


def test_a_read_only_database_that_needs_an_upgrade_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _old_file(path, [("x", to_json(EDU), "2026-01-20T10:00:00+00:00")])
    with pytest.raises(DatabaseProblem, match="read-only and needs an upgrade"):
        Database(sqlite_url(path) + "?mode=ro")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("mysql://u@h/x", "unsupported database 'mysql'"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(ScoringInputError, match=message):
        Database(url)


def test_an_unreachable_server_is_one_line() -> None:
    with pytest.raises(DatabaseProblem, match="cannot connect to the database server") as info:
        Database("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "\n" not in str(info.value)


def test_times_are_utc_on_the_way_in_and_out(database_url: str) -> None:
    database = Database(database_url)
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    with database.write() as conn:
        conn.execute(
            db.schema_version.insert().values(
                version=100, applied_at=dt.datetime(2026, 1, 20, 15, 30, tzinfo=ist)
            )
        )
    with database.read() as conn:
        value = conn.execute(
            sa.select(db.schema_version.c.applied_at).where(db.schema_version.c.version == 100)
        ).scalar_one()
    assert value == dt.datetime(2026, 1, 20, 10, 0, tzinfo=dt.UTC)
    assert value.tzinfo is not None and value.utcoffset() == dt.timedelta(0)
    database.dispose()
