"""Editions on SQLite and PostgreSQL: the bundled first edition, publish, list, withdraw, the
edition in force as a Dataset, validation as uploads, and a kill during publish."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from scoring import editions as ed
from scoring.config import COLUMNS, ModelConfig
from scoring.data import DATA_DIR, Dataset
from scoring.db import Database, edition_departments, edition_rankings, edition_totals
from scoring.engine import build_model
from scoring.errors import ScoringInputError

REPO = Path(__file__).resolve().parents[2]
JAN = "2026-01-31"


def grown_table(
    dataset: Dataset, config: ModelConfig, completers: int = 55_000
) -> tuple[bytes, bytes, np.ndarray]:
    """The December table with `completers` more users with a completion, spread over the
    listed units by headroom, each of them inactive before (active users 6.5% -> 10.4%, as in
    the issue's example); rows consistent through the engine's own lever arithmetic."""
    grow = build_model(config.with_assumptions(from_inactive=1.0), dataset)
    frame = dataset.departments.frame
    listed = ~frame["is_remainder"].to_numpy()
    headroom = (frame["onboarded"] - frame["user_completions"]).to_numpy() * listed
    share = headroom / headroom.sum() * completers
    added = np.floor(share)
    added[np.argsort(-(share - added))[: int(completers - added.sum())]] += 1
    rows = grow.apply(added)[0]
    new = frame.copy()
    new[list(COLUMNS)] = rows
    table = new[listed][["id", "department", "mdo", *COLUMNS]].to_csv(index=False).encode()
    totals = pd.DataFrame([new[list(COLUMNS)].sum()]).to_csv(index=False).encode()
    return table, totals, added


def ranking_bytes(dataset: Dataset, change: dict[str, float] | None = None) -> bytes:
    frame = dataset.ranking[["state", "category", "score"]].copy()
    for state, points in (change or {}).items():
        frame.loc[frame["state"] == state, "score"] += points
    frame["score"] = frame["score"].round(2)
    return frame.to_csv(index=False).encode()


@pytest.fixture
def database(database_url: str) -> Database:
    return ed.open_editions(database_url)


def test_the_bundled_data_is_the_first_edition(database: Database, dataset: Dataset) -> None:
    [first] = ed.list_editions(database)
    assert first.as_of.isoformat() == "2025-12-31" and first.parts == ("ranking", "departments")
    assert first.in_force == ("ranking", "departments") and first.published_by == "local"
    assert first.note == ed.SEED_NOTE and first.status == "published"
    ranking_file = DATA_DIR / "ranking_2025-12-31.csv"
    assert first.files[0].sha256 == hashlib.sha256(ranking_file.read_bytes()).hexdigest()
    assert [f.role for f in first.files] == ["ranking", "departments", "totals"]
    assert first.report["ranking"]["states_by_category"] == {"A": 13, "B": 14, "C": 9}
    assert first.report["departments"]["rows"] == 100
    assert first.report["departments"]["totals"]["onboarded"] == 1_389_815
    data = ed.edition_data(database)
    # Exactly the bundled files as load_dataset reads them: the engine runs unchanged.
    pd.testing.assert_frame_equal(data.dataset.ranking, dataset.ranking)
    pd.testing.assert_frame_equal(data.dataset.departments.frame, dataset.departments.frame)
    assert data.dataset.as_of == dataset.as_of and len(data.dataset.repairs) == 30
    assert not data.is_nowcast and data.exact_anchor and data.warnings == ()
    assert ed.ensure_seeded(database) is False and len(ed.list_editions(database)) == 1


def test_publish_a_department_table_then_withdraw_it(
    database: Database, dataset: Dataset, config: ModelConfig
) -> None:
    table, totals, _ = grown_table(dataset, config)
    token = ed.state_token(database)
    prepared = ed.prepare(departments=("jan.csv", table), totals=("jan-totals.csv", totals))
    jan = ed.publish(database, prepared, JAN, user="data.admin@bihar.gov.in", note="MDO portal")
    assert (jan.as_of.isoformat(), jan.parts, jan.in_force) == (
        JAN,
        ("departments",),
        ("departments",),
    )
    assert jan.published_by == "data.admin@bihar.gov.in" and jan.files[0].sha256 == (
        hashlib.sha256(table).hexdigest()
    )
    assert ed.state_token(database) != token
    listed = ed.list_editions(database)
    assert [e.as_of.isoformat() for e in listed] == [JAN, "2025-12-31"]
    assert listed[1].in_force == ("ranking", "departments")
    data = ed.edition_data(database)
    assert data.is_nowcast and data.dates() == {
        "ranking_as_of": "2025-12-31",
        "departments_as_of": JAN,
        "anchor_departments_as_of": "2025-12-31",
    }
    assert data.dataset.departments.totals()["user_completions"] == 78_215 + 55_000
    assert data.anchor_table.totals()["user_completions"] == 78_215
    # An earlier edition can still be chosen: the world as it stood on 31 Dec.
    december = ed.edition_data(database, "2025-12-31")
    assert not december.is_nowcast and december.departments_as_of.isoformat() == "2025-12-31"
    withdrawn = ed.withdraw(database, JAN, user="data.admin@bihar.gov.in")
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_by == "data.admin@bihar.gov.in"
    after = ed.edition_data(database)
    assert not after.is_nowcast and after.departments_as_of.isoformat() == "2025-12-31"
    assert [e.as_of.isoformat() for e in ed.list_editions(database, include_withdrawn=False)] == [
        "2025-12-31"
    ]
    with pytest.raises(ScoringInputError, match="holds the only published ranking"):
        ed.withdraw(database, "2025-12-31")


def test_a_second_edition_of_a_date_replaces_it_until_withdrawn(
    database: Database, dataset: Dataset
) -> None:
    fixed = ed.prepare(ranking=("fixed.csv", ranking_bytes(dataset, {"KERALA": -0.5})))
    ed.publish(database, fixed, "2025-12-31", note="corrected ranking")
    data = ed.edition_data(database)
    kerala = data.dataset.ranking.set_index("state").loc["KERALA", "score"]
    assert kerala == pytest.approx(48.74 - 0.5)
    assert [e.in_force for e in ed.list_editions(database)] == [("ranking",), ("departments",)]
    ed.withdraw(database, "2025-12-31")
    back = ed.edition_data(database).dataset.ranking.set_index("state").loc["KERALA", "score"]
    assert back == 48.74


def test_a_newer_ranking_without_its_table_is_flagged(database: Database, dataset: Dataset) -> None:
    ed.publish(database, ed.prepare(ranking=("jan.csv", ranking_bytes(dataset))), JAN)
    data = ed.edition_data(database)
    assert data.ranking_as_of.isoformat() == JAN and not data.exact_anchor
    assert data.anchor_departments_as_of.isoformat() == "2025-12-31" and not data.is_nowcast
    assert data.warnings == (
        "no department table is dated 2026-01-31 (the ranking's date): the anchor uses the "
        "table of 2025-12-31, so the model's differences are measured from another date than "
        "the published score",
    )


def test_bad_files_are_refused_as_uploads_are_and_nothing_is_published(
    database: Database, dataset: Dataset
) -> None:
    bad = ranking_bytes(dataset).replace(b"BIHAR,C,39.09", b"BIHAR,C,abc")
    with pytest.raises(ScoringInputError, match=r"bad.csv: row \d+ \(BIHAR\): score is 'abc'"):
        ed.prepare(ranking=("bad.csv", bad))
    with pytest.raises(ScoringInputError, match="needs a ranking, a department table or both"):
        ed.prepare()
    with pytest.raises(ScoringInputError, match="published totals belong to a department table"):
        ed.prepare(ranking=("r.csv", ranking_bytes(dataset)), totals=("t.csv", b"x"))
    prepared = ed.prepare(ranking=("r.csv", ranking_bytes(dataset)))
    for when, message in [
        ("31/01/2026", "'31/01/2026' is not a date; write it as YYYY-MM-DD"),
        ("2026-02-30", "not a date"),
        ("1999-12-31", "1999-12-31 is outside 2000-01-01"),
        ("2999-01-01", "2999-01-01 is outside"),
    ]:
        with pytest.raises(ScoringInputError, match=message):
            ed.publish(database, prepared, when)
    assert len(ed.list_editions(database)) == 1
    with pytest.raises(
        ScoringInputError, match="no published edition dated 2026-01-31; published: 2025-12-31"
    ):
        ed.edition_data(database, JAN)
    with pytest.raises(ScoringInputError, match="no published edition dated 2026-01-31"):
        ed.withdraw(database, JAN)


def test_a_20000_row_table_round_trips(database: Database) -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    onboarded = rng.integers(10, 5_000, n)
    active = (onboarded * rng.uniform(0, 1, n)).astype(int)
    completers = (active * rng.uniform(0, 1, n)).astype(int)
    enrolments = completers * 3
    completions = completers * 2
    frame = pd.DataFrame(
        {
            "department": [f"Department {i % 40}" for i in range(n)],
            "mdo": [f"Office {i}" for i in range(n)],
            "onboarded": onboarded,
            "active": active,
            "user_completions": completers,
            "enrolments": enrolments,
            "completions": completions,
            "hours": np.round(completions * 1.67, 2),
            "attempted": completions,
            "passed": completers,
        }
    )
    prepared = ed.prepare(departments=("big.csv", frame.to_csv(index=False).encode()))
    start = time.perf_counter()
    edition = ed.publish(database, prepared, JAN)
    elapsed = time.perf_counter() - start
    content = ed.load_content(database, edition.id)
    assert content.departments is not None
    pd.testing.assert_frame_equal(content.departments.frame, prepared.departments.frame)  # type: ignore[union-attr]
    assert elapsed < 60  # measured: see README (Editions)


KILLED_PUBLISH = """
import sys
from scoring import editions as ed
database = ed.open_editions(sys.argv[1])
table = open(sys.argv[2], "rb").read()
ed.publish(database, ed.prepare(departments=("jan.csv", table)), "2026-01-31")
print("committed", flush=True)
"""


def test_a_process_killed_mid_publish_leaves_the_previous_edition(
    database: Database, database_url: str, dataset: Dataset, config: ModelConfig, tmp_path: Path
) -> None:
    table, _, _ = grown_table(dataset, config)
    (tmp_path / "jan.csv").write_bytes(table)
    marker = tmp_path / "rows-written"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUBLISH, database_url, str(tmp_path / "jan.csv")],
        cwd=REPO,
        env={**__import__("os").environ, ed.PAUSE_ENV: str(marker)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), proc.communicate()[1][-2000:]
        # Every row of the new edition is written, not committed: the other sessions still see
        # only December.
        assert [e.as_of.isoformat() for e in ed.list_editions(database)] == ["2025-12-31"]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Wait until the server has dropped the killed session's transaction (PostgreSQL).
    data = ed.edition_data(database)
    assert not data.is_nowcast and data.departments_as_of.isoformat() == "2025-12-31"
    [only] = ed.list_editions(database)
    with database.read() as conn:
        for table_ in (edition_departments, edition_rankings, edition_totals):
            orphans = conn.execute(
                sa.select(sa.func.count()).where(table_.c.edition_id != only.id)
            ).scalar_one()
            assert orphans == 0
    if database.path is not None:
        check = sqlite3.connect(database.path)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
    # The next publish goes through (no lock left behind).
    ed.publish(database, ed.prepare(departments=("jan.csv", table)), JAN)
    assert ed.edition_data(database).is_nowcast


def test_preview_shows_the_nowcast_without_publishing(
    database: Database, dataset: Dataset, config: ModelConfig
) -> None:
    from scoring.nowcast import anchored_model

    table, totals, _ = grown_table(dataset, config)
    prepared = ed.prepare(departments=("jan.csv", table), totals=("t.csv", totals))
    token = ed.state_token(database)
    data = ed.edition_data(database, preview=(prepared, JAN))
    assert data.is_nowcast and data.departments_edition == ed.PREVIEW_ID
    nowcast = anchored_model(config, data).nowcast
    assert nowcast is not None and (nowcast.score, nowcast.rank) == (42.44, 7)
    assert ed.state_token(database) == token and len(ed.list_editions(database)) == 1
    # A previewed ranking of the same date as the newest table replaces the published one.
    ranking = ed.prepare(ranking=("r.csv", ranking_bytes(dataset, {"BIHAR": 1.0})))
    moved = ed.edition_data(database, preview=(ranking, "2025-12-31"))
    assert moved.dataset.ranking.set_index("state").loc["BIHAR", "score"] == 40.09


def test_only_a_data_admin_publishes_when_signed_in(database: Database, dataset: Dataset) -> None:
    from scoring.roles import NotAllowed, Role
    from scoring.store import Actor

    prepared = ed.prepare(ranking=("r.csv", ranking_bytes(dataset)))
    planner = Actor("planner@bihar.gov.in", Role.PLANNER)
    with pytest.raises(NotAllowed, match="the role planner may not publish_edition"):
        ed.publish(database, prepared, JAN, user=planner)
    admin = Actor("data.admin@bihar.gov.in", Role.DATA_ADMIN)
    edition = ed.publish(database, prepared, JAN, user=admin)
    assert edition.published_by == "data.admin@bihar.gov.in"
    with pytest.raises(NotAllowed, match="the role planner may not withdraw_edition"):
        ed.withdraw(database, JAN, user=planner)
    assert ed.withdraw(database, JAN, user=admin).withdrawn_by == "data.admin@bihar.gov.in"


def test_with_the_model_files_are_checked_as_uploads_are(
    dataset: Dataset, config: ModelConfig
) -> None:
    ranking = ranking_bytes(dataset, {"BIHAR": 1.5})
    prepared = ed.prepare(ranking=("r.csv", ranking), config=config, current=dataset)
    assert prepared.report["focus"] == {
        "state": "BIHAR",
        "category": "C",
        "score": 40.59,
        "rank": 7,
        "rank_mismatch": [],
    }
    without = ranking_bytes(dataset).replace(b"BIHAR,C,39.09\n", b"")
    with pytest.raises(ScoringInputError, match="focus state 'BIHAR' is not in the ranking"):
        ed.prepare(ranking=("r.csv", without), config=config)
    table, totals, _ = grown_table(dataset, config)
    checked = ed.prepare(
        departments=("d.csv", table), totals=("t.csv", totals), config=config, current=dataset
    )
    assert checked.report["departments"]["totals"]["user_completions"] == 78_215 + 55_000
    assert checked.totals is not None and checked.totals["active"] == 90_110 + 55_000
