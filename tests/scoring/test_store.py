"""Saved scenarios: round trip, rename/delete, concurrent saves, damage recovery, kill mid-write."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scoring.errors import ScoringInputError
from scoring.share import LeverState, ScenarioState
from scoring.store import ScenarioStore

REPO = Path(__file__).resolve().parents[2]
EDU = ScenarioState(
    levers=(LeverState(target="Education Department, Bihar", kind="add", value=50_000),)
)


def test_save_list_open_rename_delete(tmp_path: Path) -> None:
    store = ScenarioStore(tmp_path / "s.sqlite")
    saved = store.save("  Education push  ", EDU)
    assert saved.name == "Education push" and saved.state == EDU
    store.save("<script>alert(1)</script> ../../etc/passwd", ScenarioState())
    assert [s.name for s in store.list()] == [
        "<script>alert(1)</script> ../../etc/passwd",
        "Education push",
    ]
    store.rename(saved.id, "शिक्षा अभियान")
    assert store.get(saved.id).name == "शिक्षा अभियान"  # type: ignore[union-attr]
    with pytest.raises(ScoringInputError, match="already exists"):
        store.rename(saved.id, "<script>alert(1)</script> ../../etc/passwd")
    store.delete(saved.id)
    assert store.get(saved.id) is None and len(store.list()) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("s.sqlite")) == []


def test_saving_again_replaces(tmp_path: Path) -> None:
    store = ScenarioStore(tmp_path / "s.sqlite")
    store.save("A", ScenarioState())
    store.save("A", EDU)
    assert [s.state for s in store.list()] == [EDU]


@pytest.mark.parametrize("name", ["", "   ", "\n\t", "x" * 121])
def test_bad_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(ScoringInputError):
        ScenarioStore(tmp_path / "s.sqlite").save(name, EDU)


def test_several_sessions_saving_at_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        store = ScenarioStore(path)
        try:
            for i in range(20):
                store.save(f"session {n} scenario {i}", EDU)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(ScenarioStore(path).list()) == 160


def test_a_damaged_file_is_set_aside_and_recreated(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    store = ScenarioStore(path)
    assert store.recovered_from is not None and store.recovered_from.exists()
    assert store.list() == []
    store.save("after recovery", EDU)
    assert len(store.list()) == 1


WRITER = """
import sys
from scoring.share import LeverState, ScenarioState
from scoring.store import ScenarioStore
store = ScenarioStore(sys.argv[1])
state = ScenarioState(levers=tuple(LeverState(target=f"unit-{i}", kind="add", value=i)
                                   for i in range(150)))
print("ready", flush=True)
i = 0
while True:
    store.save(f"loop {i % 50}", state)
    i += 1
"""


def test_killing_the_server_during_saves_leaves_the_database_intact(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    ScenarioStore(path).save("kept", EDU)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(1.0)  # hundreds of saves in flight
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    store = ScenarioStore(path)
    assert store.recovered_from is None
    names = [s.name for s in store.list()]
    assert "kept" in names and len(names) >= 2
    assert all(len(s.state.levers) in (1, 150) for s in store.list())
