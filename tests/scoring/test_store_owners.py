"""Saved scenarios for many users, on SQLite and PostgreSQL: owners, private or shared, soft
delete with undo, racing sessions, unreadable rows and times in IST."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from scoring import db
from scoring.db import Database, scenarios
from scoring.errors import ScoringInputError
from scoring.roles import NotAllowed, Role
from scoring.share import LeverState, ScenarioState, to_json
from scoring.store import (
    UNDO_DAYS,
    Actor,
    NotOwner,
    ScenarioConflict,
    ScenarioStore,
    format_local,
    import_legacy_scenarios,
    local_time,
)

REPO = Path(__file__).resolve().parents[2]
EDU = ScenarioState(
    levers=(LeverState(target="Education Department, Bihar", kind="add", value=50_000),)
)
ALICE = Actor("alice@bihar.gov.in", Role.PLANNER)
BOB = Actor("bob@bihar.gov.in", Role.PLANNER)
ADMIN = Actor("admin@bihar.gov.in", Role.DATA_ADMIN)
VIEWER = Actor("viewer@bihar.gov.in", Role.VIEWER)


def test_private_and_shared(database_url: str) -> None:
    store = ScenarioStore(database_url)
    mine = store.save("Alice private", EDU, actor=ALICE)
    shared = store.save("Alice shared", EDU, actor=ALICE, visibility="shared")
    assert (mine.owner, mine.visibility, shared.visibility) == (ALICE.user, "private", "shared")
    assert {s.name for s in store.list(ALICE)} == {"Alice private", "Alice shared"}
    assert [s.name for s in store.list(BOB)] == ["Alice shared"]
    assert store.get(mine.id, BOB) is None and store.get(shared.id, BOB) == shared
    # Names are unique per owner: Bob can have his own "Alice shared".
    bobs = store.save("Alice shared", ScenarioState(), actor=BOB)
    assert bobs.id != shared.id and store.get_by_name("Alice shared", BOB) == bobs
    made_shared = store.set_visibility(mine.id, "shared", actor=ALICE)
    assert made_shared.version == 2 and len(store.list(BOB)) == 3


def test_only_the_owner_or_an_admin_changes_a_scenario(database_url: str) -> None:
    store = ScenarioStore(database_url)
    shared = store.save("Plan", EDU, actor=ALICE, visibility="shared")
    with pytest.raises(NotOwner, match=r"only its owner \(alice@bihar.gov.in\) or an admin"):
        store.rename(shared.id, "Bob's now", actor=BOB)
    with pytest.raises(NotAllowed, match="can delete 'Plan'"):
        store.delete(shared.id, actor=BOB)
    with pytest.raises(NotAllowed, match="the role viewer may not save_scenario"):
        store.save("Viewer's", EDU, actor=VIEWER)
    private = store.save("Private", EDU, actor=ALICE)
    with pytest.raises(ScenarioConflict, match="no longer exists"):
        store.delete(private.id, actor=ADMIN)  # an admin does not see private scenarios
    renamed = store.rename(shared.id, "Plan (checked)", actor=ADMIN)
    assert renamed.owner == ALICE.user and renamed.name == "Plan (checked)"
    store.delete(shared.id, actor=ADMIN)
    assert [s.name for s in store.list(ALICE)] == ["Private"]


def test_delete_can_be_undone_for_30_days(database_url: str) -> None:
    store = ScenarioStore(database_url)
    saved = store.save("Plan", EDU, actor=ALICE)
    gone = store.delete(saved.id, actor=ALICE)
    assert gone.deleted_by == ALICE.user and store.list(ALICE) == []
    assert gone.undo_until() - dt.datetime.fromisoformat(gone.deleted_at) == dt.timedelta(days=30)
    assert [s.id for s in store.deleted(ALICE)] == [saved.id] and store.deleted(BOB) == []
    with pytest.raises(ScenarioConflict, match=r"was deleted by alice@bihar\.gov\.in at .* IST"):
        store.rename(saved.id, "New", actor=ALICE)
    back = store.restore(saved.id, actor=ALICE)
    assert back.deleted_at is None and back.state == EDU and back.version == 3
    # A deletion older than 30 days is gone for good with the next deletion.
    store.delete(saved.id, actor=ALICE)
    old = db.utcnow() - dt.timedelta(days=UNDO_DAYS, hours=1)
    with store.database.write() as conn:
        conn.execute(scenarios.update().where(scenarios.c.id == saved.id).values(deleted_at=old))
    with pytest.raises(ScenarioConflict, match="can no longer be restored"):
        store.restore(saved.id, actor=ALICE)
    other = store.save("Other", EDU, actor=ALICE)
    store.delete(other.id, actor=ALICE)
    with store.database.read() as conn:
        ids = conn.execute(sa.select(scenarios.c.id)).scalars().all()
    assert ids == [other.id]


def test_restore_refuses_a_name_taken_meanwhile(database_url: str) -> None:
    store = ScenarioStore(database_url)
    first = store.save("Plan", EDU, actor=ALICE)
    store.delete(first.id, actor=ALICE)
    store.save("Plan", ScenarioState(), actor=ALICE)
    with pytest.raises(ScenarioConflict, match="'Plan' exists again; rename it first"):
        store.restore(first.id, actor=ALICE)


def test_a_stale_version_is_refused_with_a_message(database_url: str) -> None:
    store = ScenarioStore(database_url)
    opened = store.save("Plan", EDU, actor=ALICE)
    store.rename(opened.id, "Plan v2", actor=ALICE, expected_version=opened.version)
    with pytest.raises(ScenarioConflict, match="changed by someone else since you opened it"):
        store.rename(opened.id, "Plan v3", actor=ALICE, expected_version=opened.version)
    with pytest.raises(ScenarioConflict, match="changed by someone else"):
        store.delete(opened.id, actor=ALICE, expected_version=opened.version)
    assert store.get(opened.id, ALICE).name == "Plan v2"  # type: ignore[union-attr]


def test_renaming_what_another_session_deleted_says_so(database_url: str) -> None:
    one, other = ScenarioStore(database_url), ScenarioStore(database_url)
    saved = one.save("Plan", EDU)
    other.delete(saved.id)
    with pytest.raises(ScenarioConflict, match="'Plan' was deleted by local"):
        one.rename(saved.id, "Renamed")
    with pytest.raises(ScenarioConflict, match="was deleted"):
        one.delete(saved.id)
    with pytest.raises(ScenarioConflict, match="#999 no longer exists"):
        one.rename(999, "x")


def test_one_unreadable_row_does_not_hide_the_others(database_url: str) -> None:
    store = ScenarioStore(database_url)
    store.save("Good one", EDU)
    bad = store.save("Damaged", EDU)
    store.save("Good two", ScenarioState())
    with store.database.write() as conn:
        conn.execute(scenarios.update().where(scenarios.c.id == bad.id).values(payload="{not json"))
    listing = store.listing()
    assert sorted(s.name for s in listing.scenarios) == ["Good one", "Good two"]
    assert [(u.id, u.name) for u in listing.unreadable] == [(bad.id, "Damaged")]
    assert "not valid scenario data" in listing.unreadable[0].problem
    with pytest.raises(ScoringInputError, match="not valid scenario data"):
        store.get(bad.id)
    store.delete(bad.id)  # a damaged row can still be removed
    assert store.listing().unreadable == ()


def test_a_damaged_time_stamp_is_one_unreadable_row(tmp_path: Path) -> None:
    store = ScenarioStore(tmp_path / "t.sqlite")
    store.save("Good", EDU)
    bad = store.save("Bad time", EDU)
    with store.database.write() as conn:
        conn.execute(
            sa.text("UPDATE scenarios SET updated_at = 'yesterday' WHERE id = :i"), {"i": bad.id}
        )
    listing = store.listing()
    assert [s.name for s in listing.scenarios] == ["Good"]
    assert listing.unreadable[0].problem == "its time stamps are damaged"


def test_times_shown_in_ist() -> None:
    assert format_local("2026-01-20T10:00:00+00:00") == "20 Jan 2026, 15:30 IST"
    assert local_time("2026-01-20T20:00:00+00:00").date() == dt.date(2026, 1, 21)
    assert format_local("2026-01-20T10:00:00+00:00", "Europe/London") == "20 Jan 2026, 10:00 GMT"
    with pytest.raises(ScoringInputError, match="unknown time zone"):
        local_time("2026-01-20T10:00:00+00:00", "Mars/Olympus")


def test_the_old_scenarios_file_is_imported_once(tmp_path: Path) -> None:
    legacy = tmp_path / "scenarios.sqlite"
    conn = sqlite3.connect(legacy)
    conn.execute(
        "CREATE TABLE scenarios (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, payload TEXT "
        "NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    conn.executemany(
        "INSERT INTO scenarios (name, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [
            ("Plan", to_json(EDU), "2026-01-20T10:00:00+00:00", "2026-01-20T10:00:00+00:00"),
            ("Other", "{}", "2026-01-21T10:00:00+00:00", "2026-01-21T10:00:00+00:00"),
        ],
    )
    conn.commit()
    conn.close()
    store = ScenarioStore(tmp_path / "igot.sqlite")
    store.save("Plan", ScenarioState())
    assert import_legacy_scenarios(store.database, legacy) == 2
    assert import_legacy_scenarios(store.database, legacy) == 0
    names = {s.name: s for s in store.list()}
    assert set(names) == {"Plan", "Plan (imported)", "Other"}
    assert names["Plan (imported)"].state == EDU and names["Plan (imported)"].visibility == "shared"
    assert legacy.exists()


def _hammer(store: ScenarioStore, seconds: float, seed: int, errors: list[str]) -> int:
    rng = random.Random(seed)
    done = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        names = ["Plan A", "Plan B", "Plan C"]
        try:
            action = rng.choice(["save", "rename", "delete", "restore", "list"])
            if action == "save":
                store.save(rng.choice(names), EDU)
            elif action == "list":
                store.listing()
            else:
                pool = store.list() if action != "restore" else store.deleted()
                if pool:
                    target = rng.choice(pool)
                    if action == "rename":
                        store.rename(target.id, rng.choice(names), expected_version=target.version)
                    elif action == "delete":
                        store.delete(target.id, expected_version=target.version)
                    else:
                        store.restore(target.id)
            done += 1
        except ScoringInputError:
            done += 1  # a clear message: what racing sessions should get
        except Exception as exc:  # pragma: no cover - the failure this test looks for
            errors.append(f"{type(exc).__name__}: {exc}")
    return done


def test_racing_sessions_get_messages_never_exceptions(database_url: str) -> None:
    store = ScenarioStore(database_url)
    errors: list[str] = []
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda n=n: counts.append(_hammer(store, 3.0, n, errors)))
        for n in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(counts) == 6 and min(counts) >= 1
    live = store.list()
    assert len({s.name for s in live}) == len(live)  # names stay unique per owner


HAMMER = """
import sys
from tests.scoring.test_store_owners import _hammer
from scoring.store import ScenarioStore
errors = []
done = _hammer(ScenarioStore(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), errors)
print(done, len(errors))
for e in errors[:5]:
    print(e)
"""


def test_racing_processes_get_messages_never_exceptions(database_url: str) -> None:
    ScenarioStore(database_url).save("Plan A", EDU)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, database_url, "3", str(n)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-500:] for _, err in outputs]
    for out, _ in outputs:
        done, failures = out.split("\n")[0].split()
        assert int(failures) == 0, out
        assert int(done) >= 1
    db.forget_databases()
    assert Database(database_url).version() == db.SCHEMA_VERSION


def test_a_read_only_postgresql_session_reads_and_refuses_saves(postgres_url: str) -> None:
    from sqlalchemy.engine import make_url

    ScenarioStore(postgres_url).save("kept", EDU)
    db.forget_databases()
    url = make_url(postgres_url)
    options = f"{url.query['options']} -cdefault_transaction_read_only=on"
    read_only = url.update_query_dict({"options": options}).render_as_string(False)
    store = ScenarioStore(read_only)
    assert [s.name for s in store.list()] == ["kept"]
    with pytest.raises(db.DatabaseProblem, match="is read-only: nothing can be saved there"):
        store.save("new", EDU)
    assert [s.name for s in store.list()] == ["kept"]
