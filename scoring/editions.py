"""Data editions in the database: publish, list, show, withdraw, and the edition in force turned
into the engine's Dataset (with the anchor's department table and both dates)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection

from scoring import db
from scoring.config import COLUMNS, ModelConfig
from scoring.data import (
    DATA_DIR,
    MAX_TABLE_BYTES,
    Dataset,
    DepartmentTable,
    load_dataset,
    parse_courses,
    parse_departments,
    parse_ranking,
    parse_totals,
    read_table,
)
from scoring.db import (
    Database,
    edition_departments,
    edition_rankings,
    edition_totals,
    editions,
    guard,
)
from scoring.errors import ScoringInputError
from scoring.roles import Action, check
from scoring.store import Actor
from scoring.uploads import check_departments, check_ranking

LOCAL_USER = "local"
SEED_META_KEY = "bundled_edition_seeded"
SEED_NOTE = "Bundled data (data/manifest.yaml)"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
EARLIEST = dt.date(2000, 1, 1)  # the platform is far younger: an earlier date is a typo
# Set only by the test that kills a publishing process: the path of a file to create once the
# rows are written but not committed, after which the process waits to be killed.
PAUSE_ENV = "IGOT_TEST_PUBLISH_PAUSE_FILE"
ROLES = ("ranking", "departments", "totals")


@dataclass(frozen=True)
class EditionFile:
    role: str  # ranking | departments | totals
    name: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Edition:
    """One published (or withdrawn) edition, without its rows."""

    id: int
    as_of: dt.date
    has_ranking: bool
    has_departments: bool
    status: str
    published_at: dt.datetime
    published_by: str
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    note: str
    files: tuple[EditionFile, ...]
    report: dict[str, Any]
    in_force: tuple[str, ...] = ()  # the parts ("ranking", "departments") now in force

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(
            p
            for p, has in (("ranking", self.has_ranking), ("departments", self.has_departments))
            if has
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "as_of": self.as_of.isoformat(),
            "parts": list(self.parts),
            "status": self.status,
            "in_force": list(self.in_force),
            "published_at": self.published_at.isoformat(timespec="seconds"),
            "published_by": self.published_by,
            "withdrawn_at": self.withdrawn_at.isoformat(timespec="seconds")
            if self.withdrawn_at
            else None,
            "withdrawn_by": self.withdrawn_by,
            "note": self.note,
            "files": [f.__dict__ for f in self.files],
            "report": self.report,
        }


@dataclass(frozen=True)
class Prepared:
    """Validated tables ready to publish (or to preview without publishing)."""

    ranking: pd.DataFrame | None
    departments: DepartmentTable | None
    totals: pd.Series | None
    files: tuple[EditionFile, ...]
    report: dict[str, Any]


@dataclass(frozen=True)
class EditionContent:
    edition: Edition
    ranking: pd.DataFrame | None
    departments: DepartmentTable | None
    totals: pd.Series | None


@dataclass(frozen=True)
class EditionData:
    """What the engine runs on: the ranking in force and the newest department table (in
    `dataset`, whose `as_of` is that table's date), and the table the anchor is measured from."""

    dataset: Dataset
    ranking_as_of: dt.date
    departments_as_of: dt.date
    anchor_table: DepartmentTable
    anchor_departments_as_of: dt.date
    ranking_edition: int
    departments_edition: int
    anchor_edition: int
    warnings: tuple[str, ...] = field(default=())

    @property
    def exact_anchor(self) -> bool:
        """A department table exists for the ranking's own date."""
        return self.anchor_departments_as_of == self.ranking_as_of

    @property
    def is_nowcast(self) -> bool:
        """The department table is newer than the one the anchor uses."""
        return self.departments_as_of > self.anchor_departments_as_of

    def dates(self) -> dict[str, str]:
        return {
            "ranking_as_of": self.ranking_as_of.isoformat(),
            "departments_as_of": self.departments_as_of.isoformat(),
            "anchor_departments_as_of": self.anchor_departments_as_of.isoformat(),
        }


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def parse_as_of(text: str | dt.date) -> dt.date:
    """An edition's date: ISO (2026-01-31), not before 2000 and not after tomorrow (UTC)."""
    if isinstance(text, dt.date):
        value = text
    else:
        try:
            value = dt.date.fromisoformat(str(text).strip())
        except ValueError:
            raise ScoringInputError(
                f"{str(text)[:40]!r} is not a date; write it as YYYY-MM-DD", "as-of date"
            ) from None
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    if not EARLIEST <= value <= tomorrow:
        raise ScoringInputError(
            f"{value.isoformat()} is outside {EARLIEST.isoformat()} to {tomorrow.isoformat()}",
            "as-of date",
        )
    return value


def prepare(
    ranking: tuple[str, bytes] | None = None,
    departments: tuple[str, bytes] | None = None,
    totals: tuple[str, bytes] | None = None,
    categories: Iterable[str] = ("A", "B", "C"),
    config: ModelConfig | None = None,
    current: Dataset | None = None,
) -> Prepared:
    """Validate files (name, content) for an edition; raise ScoringInputError naming the file,
    row and field. With the model `config`, exactly as the Data page checks uploads
    (scoring.uploads): the ranking must hold the focus state and the table must be scorable,
    measured against `current` (default: the bundled data set); without it (seeding the
    bundled data), the same parsers alone."""
    if ranking is None and departments is None:
        raise ScoringInputError("an edition needs a ranking, a department table or both")
    if totals is not None and departments is None:
        raise ScoringInputError("published totals belong to a department table: give both")
    files = tuple(
        EditionFile(role, name, sha256(content), len(content))
        for role, given in zip(ROLES, (ranking, departments, totals), strict=True)
        if given is not None
        for name, content in [given]
    )
    if config is not None:
        categories = [c.id for c in config.categories]
        if current is None:
            current = load_dataset(DATA_DIR, categories)
    report: dict[str, Any] = {}
    parsed_ranking = None
    if ranking is not None:
        name, content = ranking
        if config is not None and current is not None:
            checked = check_ranking(content, name, current, config)
            parsed_ranking = checked.dataset.ranking
            report["focus"] = {
                "state": checked.focus,
                "category": checked.category,
                "score": checked.score,
                "rank": checked.rank,
                "rank_mismatch": list(checked.rank_mismatch),
            }
        else:
            parsed_ranking = parse_ranking(read_table(content, name), name, list(categories))
        report["ranking"] = {
            "rows": len(parsed_ranking),
            "states_by_category": {
                str(c): int(n)
                for c, n in parsed_ranking["category"].value_counts().sort_index().items()
            },
            "published_ranks": "rank" in parsed_ranking.columns,
        }
    parsed_totals = None
    table = None
    if departments is not None:
        name, content = departments
        if config is not None and current is not None:
            table_check = check_departments(
                content,
                name,
                totals[1] if totals else None,
                totals[0] if totals else "totals",
                current,
                config,
            )
            table, parsed_totals = table_check.dataset.departments, table_check.totals
        else:
            if totals is not None:
                parsed_totals = parse_totals(read_table(totals[1], totals[0]), totals[0])
            table = parse_departments(read_table(content, name), parsed_totals, name)
        listed = table.frame[~table.frame["is_remainder"]]
        report["departments"] = {
            "rows": len(listed),
            "departments": int(listed["department"].nunique()),
            "totals_given": parsed_totals is not None,
            "remainder_row": bool(table.frame["is_remainder"].any()),
            "totals": {c: float(v) for c, v in table.totals().items()},
        }
    return Prepared(parsed_ranking, table, parsed_totals, files, report)


def prepare_files(
    ranking: str | Path | None = None,
    departments: str | Path | None = None,
    totals: str | Path | None = None,
    config: ModelConfig | None = None,
    current: Dataset | None = None,
) -> Prepared:
    """`prepare` from file paths (the command line)."""

    def read(path: str | Path | None) -> tuple[str, bytes] | None:
        if path is None:
            return None
        path = Path(path)
        if path.is_dir():
            raise ScoringInputError("is a folder, not a CSV file", str(path))
        try:
            with path.open("rb") as handle:
                # One byte over the cap is enough for read_table to name the limit.
                return path.name, handle.read(MAX_TABLE_BYTES + 1)
        except OSError as exc:
            raise ScoringInputError(f"cannot read the file ({exc.strerror})", str(path)) from None

    return prepare(read(ranking), read(departments), read(totals), config=config, current=current)


def publish(
    database: Database,
    prepared: Prepared,
    as_of: str | dt.date,
    user: str | Actor = LOCAL_USER,
    note: str = "",
) -> Edition:
    """Publish validated tables as one edition, in one transaction: every session sees all of
    it or none of it, and an edition of the same date published earlier stays underneath (a
    withdrawal brings it back)."""
    date = parse_as_of(as_of)
    who = _data_admin(user, "publish")
    with guard(database.where), database.write() as conn:
        edition_id = _publish(conn, prepared, date, who, note)
    return get_edition_by_id(database, edition_id)


def _data_admin(user: str | Actor, action: str) -> str:
    """The publisher's name; with sign-in (an Actor), only an admin may change the data that
    every session sees. A plain name is the command line's or the local app's (no sign-in)."""
    if isinstance(user, Actor):
        check(user.role, Action.PUBLISH_EDITION if action == "publish" else Action.WITHDRAW_EDITION)
        return user.user
    return str(user).strip()[:320] or LOCAL_USER


def _publish(conn: Connection, prepared: Prepared, as_of: dt.date, user: str, note: str) -> int:
    edition_id = int(
        conn.execute(
            editions.insert()
            .values(
                as_of=as_of,
                has_ranking=prepared.ranking is not None,
                has_departments=prepared.departments is not None,
                status=PUBLISHED,
                published_at=db.utcnow(),
                published_by=user,
                note=str(note)[:2000],
                files=json.dumps([f.__dict__ for f in prepared.files]),
                report=json.dumps(prepared.report),
            )
            .returning(editions.c.id)
        ).scalar_one()
    )
    if prepared.ranking is not None:
        has_rank = "rank" in prepared.ranking.columns
        conn.execute(
            edition_rankings.insert(),
            [
                {
                    "edition_id": edition_id,
                    "row": i,
                    "state": str(r["state"]),
                    "category": str(r["category"]),
                    "score": float(r["score"]),
                    "rank": int(r["rank"]) if has_rank else None,
                }
                for i, r in enumerate(prepared.ranking.to_dict("records"))
            ],
        )
    if prepared.departments is not None:
        frame = prepared.departments.frame
        records = frame.rename(columns={"id": "mdo_id"})[
            ["mdo_id", "department", "mdo", "is_remainder", *COLUMNS]
        ].to_dict("records")
        for i, rec in enumerate(records):
            rec["edition_id"] = edition_id
            rec["row"] = i
            rec["is_remainder"] = bool(rec["is_remainder"])
            for c in COLUMNS:
                rec[c] = float(rec[c])
        conn.execute(edition_departments.insert(), records)
    if prepared.totals is not None:
        conn.execute(
            edition_totals.insert().values(
                edition_id=edition_id, **{c: float(prepared.totals[c]) for c in COLUMNS}
            )
        )
    pause = os.environ.get(PAUSE_ENV)
    if pause:
        Path(pause).write_text(str(edition_id))
        time.sleep(120)  # the test kills the process here, before the commit
    return edition_id


def _edition(row: Any, in_force: tuple[str, ...] = ()) -> Edition:
    try:
        files = tuple(EditionFile(**f) for f in json.loads(row["files"] or "[]"))
        report = json.loads(row["report"] or "{}")
    except (ValueError, TypeError):
        files, report = (), {"problem": "the stored file list or report is damaged"}
    return Edition(
        id=int(row["id"]),
        as_of=row["as_of"],
        has_ranking=bool(row["has_ranking"]),
        has_departments=bool(row["has_departments"]),
        status=str(row["status"]),
        published_at=row["published_at"],
        published_by=str(row["published_by"]),
        withdrawn_at=row["withdrawn_at"],
        withdrawn_by=row["withdrawn_by"],
        note=str(row["note"]),
        files=files,
        report=report,
        in_force=in_force,
    )


def _in_force(rows: Iterable[Any]) -> dict[int, tuple[str, ...]]:
    """Per edition id, the parts in force: for each date and part, the latest published one."""
    winners: dict[tuple[dt.date, str], int] = {}
    for row in rows:
        if row["status"] != PUBLISHED:
            continue
        for part, has in (("ranking", row["has_ranking"]), ("departments", row["has_departments"])):
            key = (row["as_of"], part)
            if has and int(row["id"]) > winners.get(key, -1):
                winners[key] = int(row["id"])
    out: dict[int, set[str]] = {}
    for (_, part), edition_id in winners.items():
        out.setdefault(edition_id, set()).add(part)
    return {k: tuple(p for p in ("ranking", "departments") if p in v) for k, v in out.items()}


def list_editions(database: Database, include_withdrawn: bool = True) -> list[Edition]:
    """Every edition, newest date first (then newest published first)."""
    with guard(database.where), database.read() as conn:
        rows = (
            conn.execute(
                sa.select(editions).order_by(editions.c.as_of.desc(), editions.c.id.desc())
            )
            .mappings()
            .all()
        )
    force = _in_force(rows)
    return [
        _edition(r, force.get(int(r["id"]), ()))
        for r in rows
        if include_withdrawn or r["status"] == PUBLISHED
    ]


def get_edition_by_id(database: Database, edition_id: int) -> Edition:
    for edition in list_editions(database):
        if edition.id == edition_id:
            return edition
    raise ScoringInputError(f"no edition #{edition_id}")


def get_edition(database: Database, as_of: str | dt.date) -> Edition:
    """The latest published edition of a date."""
    date = parse_as_of(as_of)
    found = [e for e in list_editions(database, False) if e.as_of == date]
    if not found:
        raise ScoringInputError(f"no published edition dated {date.isoformat()}{_known(database)}")
    return found[0]


def latest(database: Database) -> Edition:
    """The newest published edition (by date, then by publication)."""
    found = list_editions(database, False)
    if not found:
        raise ScoringInputError("no edition is published")
    return found[0]


def _known(database: Database) -> str:
    dates = sorted({e.as_of.isoformat() for e in list_editions(database, False)})
    return f"; published: {', '.join(dates)}" if dates else "; none is published"


def load_content(database: Database, edition_id: int) -> EditionContent:
    """An edition's tables as they were validated when published."""
    edition = get_edition_by_id(database, edition_id)
    with guard(database.where), database.read() as conn:
        ranking = _ranking(conn, edition_id) if edition.has_ranking else None
        totals_row = (
            conn.execute(sa.select(edition_totals).where(edition_totals.c.edition_id == edition_id))
            .mappings()
            .first()
        )
        totals = (
            pd.Series({c: float(totals_row[c]) for c in COLUMNS}, dtype=float)
            if totals_row is not None
            else None
        )
        table = _departments(conn, edition_id) if edition.has_departments else None
    return EditionContent(edition, ranking, table, totals)


def _ranking(conn: Connection, edition_id: int) -> pd.DataFrame:
    rows = conn.execute(
        sa.select(
            edition_rankings.c.state,
            edition_rankings.c.category,
            edition_rankings.c.score,
            edition_rankings.c.rank,
        )
        .where(edition_rankings.c.edition_id == edition_id)
        .order_by(edition_rankings.c.row)
    ).all()
    frame = pd.DataFrame(rows, columns=["state", "category", "score", "rank"])
    frame["score"] = frame["score"].astype(float)
    if frame["rank"].isna().any():
        return frame.drop(columns="rank")
    frame["rank"] = frame["rank"].astype(int)
    return frame


def _departments(conn: Connection, edition_id: int) -> DepartmentTable:
    columns = ["mdo_id", "department", "mdo", "is_remainder", *COLUMNS]
    rows = conn.execute(
        sa.select(*[edition_departments.c[c] for c in columns])
        .where(edition_departments.c.edition_id == edition_id)
        .order_by(edition_departments.c.row)
    ).all()
    frame = pd.DataFrame(rows, columns=columns).rename(columns={"mdo_id": "id"})
    frame["is_remainder"] = frame["is_remainder"].astype(bool)
    for c in COLUMNS:
        frame[c] = frame[c].astype(float)
    return DepartmentTable(frame)


def rankings_in_force(database: Database) -> list[tuple[dt.date, pd.DataFrame]]:
    """The ranking in force for each date that has one, oldest first: the months of history."""
    found = [e for e in list_editions(database, False) if "ranking" in e.in_force]
    with guard(database.where), database.read() as conn:
        return [(e.as_of, _ranking(conn, e.id)) for e in reversed(found)]


def tables_in_force(database: Database) -> list[tuple[dt.date, DepartmentTable]]:
    """The department table in force for each date that has one, oldest first."""
    found = [e for e in list_editions(database, False) if "departments" in e.in_force]
    with guard(database.where), database.read() as conn:
        return [(e.as_of, _departments(conn, e.id)) for e in reversed(found)]


def withdraw(database: Database, as_of: str | dt.date, user: str | Actor = LOCAL_USER) -> Edition:
    """Withdraw the latest published edition of a date; what was in force before it returns.
    The last published ranking or department table cannot be withdrawn (nothing would remain)."""
    date = parse_as_of(as_of)
    who = _data_admin(user, "withdraw")
    with guard(database.where), database.write() as conn:
        rows = (
            conn.execute(
                sa.select(editions).where(editions.c.status == PUBLISHED).order_by(editions.c.id)
            )
            .mappings()
            .all()
        )
        mine = [r for r in rows if r["as_of"] == date]
        if not mine:
            raise ScoringInputError(f"no published edition dated {date.isoformat()}")
        target = mine[-1]
        rest = [r for r in rows if r["id"] != target["id"]]
        for part in ("ranking", "departments"):
            if target[f"has_{part}"] and not any(r[f"has_{part}"] for r in rest):
                raise ScoringInputError(
                    f"the edition of {date.isoformat()} holds the only published {part}: "
                    "publish another before withdrawing it"
                )
        conn.execute(
            editions.update()
            .where(editions.c.id == target["id"], editions.c.status == PUBLISHED)
            .values(status=WITHDRAWN, withdrawn_at=db.utcnow(), withdrawn_by=who)
        )
        edition_id = int(target["id"])
    return get_edition_by_id(database, edition_id)


def state_token(database: Database) -> tuple[int, int]:
    """Changes whenever an edition is published or withdrawn: a cheap cache key for pages."""
    with guard(database.where), database.read() as conn:
        row = conn.execute(
            sa.select(
                sa.func.coalesce(sa.func.max(editions.c.id), 0),
                sa.func.count().filter(editions.c.status == WITHDRAWN),
            )
        ).one()
    return int(row[0]), int(row[1])


# -- the bundled edition -----------------------------------------------------------------------


def _manifest(data_dir: Path) -> dict[str, Any]:
    try:
        manifest = yaml.safe_load((data_dir / "manifest.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScoringInputError(f"cannot read the data manifest ({exc})", str(data_dir)) from None
    if not isinstance(manifest, Mapping):
        raise ScoringInputError("the data manifest is not a mapping", str(data_dir))
    return dict(manifest)


def ensure_seeded(database: Database, data_dir: Path = DATA_DIR) -> bool:
    """Publish the bundled data (data/manifest.yaml) as the first edition, once per database:
    several processes may start at once, the write lock lets one do it. Returns True if this
    call published it. A withdrawn bundled edition is not published again."""
    if database.get_meta(SEED_META_KEY) is not None:
        return False
    manifest = _manifest(data_dir)

    def load(key: str) -> tuple[str, bytes]:
        name = str(manifest[key])
        return name, (data_dir / name).read_bytes()

    prepared = prepare(load("ranking"), load("departments"), load("totals"))
    as_of = manifest["as_of"]
    with guard(database.where), database.write() as conn:
        seeded = conn.execute(sa.select(db.meta.c.value).where(db.meta.c.key == SEED_META_KEY))
        if seeded.first() is not None:
            return False
        edition_id = _publish(conn, prepared, parse_as_of(as_of), LOCAL_USER, SEED_NOTE)
        conn.execute(db.meta.insert().values(key=SEED_META_KEY, value=str(edition_id)))
    return True


def open_editions(url: str | None = None) -> Database:
    """The shared database, with the bundled edition seeded: what the app and the CLI call."""
    database = db.open_database(url)
    ensure_seeded(database)
    return database


@functools.lru_cache(maxsize=4)
def _bundled_extras(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Recommended courses (not part of an edition) and the bundled table's repair log."""
    manifest = _manifest(data_dir)
    courses = parse_courses(read_table(data_dir / manifest["courses"], manifest["courses"]))
    repairs = read_table(data_dir / manifest["repairs"], manifest["repairs"])
    return courses, repairs


# -- what the engine runs on ------------------------------------------------------------------


PREVIEW_ID = 2**62  # above every real id: a previewed edition wins its date, as if just published


def edition_data(
    database: Database,
    as_of: str | dt.date | None = None,
    data_dir: Path = DATA_DIR,
    preview: tuple[Prepared, str | dt.date] | None = None,
) -> EditionData:
    """The ranking and department tables in force on a date (default: the newest edition's):
    the latest published ranking dated on or before it, the newest department table dated on
    or before it, and for the anchor the table of the ranking's own date (or, flagged, the
    nearest one). `as_of`, when given, must be the date of a published edition. `preview`
    (validated tables and their date) shows what publishing them would give, writing nothing."""
    published = list_editions(database, False)
    entries: list[dict[str, Any]] = [
        {
            "id": e.id,
            "as_of": e.as_of,
            "status": PUBLISHED,
            "has_ranking": e.has_ranking,
            "has_departments": e.has_departments,
            "note": e.note,
        }
        for e in published
    ]
    if preview is not None:
        prepared, preview_date = preview
        entries.append(
            {
                "id": PREVIEW_ID,
                "as_of": parse_as_of(preview_date),
                "status": PUBLISHED,
                "has_ranking": prepared.ranking is not None,
                "has_departments": prepared.departments is not None,
                "note": "preview",
            }
        )
    if not entries:
        raise ScoringInputError("no edition is published")
    entries.sort(key=lambda e: (e["as_of"], e["id"]), reverse=True)
    force = _in_force(entries)
    if as_of is None:
        date = entries[0]["as_of"]
    else:
        date = parse_as_of(as_of)
        if not any(e["as_of"] == date for e in entries):
            raise ScoringInputError(
                f"no published edition dated {date.isoformat()}{_known(database)}"
            )
    rankings = [e for e in entries if "ranking" in force.get(e["id"], ()) and e["as_of"] <= date]
    tables = [e for e in entries if "departments" in force.get(e["id"], ())]
    if not rankings:
        raise ScoringInputError(f"no ranking is published on or before {date.isoformat()}")
    if not tables:
        raise ScoringInputError("no department table is published")
    ranking_entry = rankings[0]
    ranking_date = ranking_entry["as_of"]
    newest = [t for t in tables if t["as_of"] <= date] or tables[::-1]
    current = newest[0]
    warnings: list[str] = []
    same = [t for t in tables if t["as_of"] == ranking_date]
    if same:
        anchor = same[0]
    else:
        before = [t for t in tables if t["as_of"] < ranking_date]
        anchor = before[0] if before else tables[-1]
        warnings.append(
            f"no department table is dated {ranking_date.isoformat()} (the ranking's date): "
            f"the anchor uses the table of {anchor['as_of'].isoformat()}, so the model's "
            "differences are measured from another date than the published score"
        )
    if current["as_of"] < anchor["as_of"]:
        current = anchor
    courses, repairs = _bundled_extras(Path(data_dir))
    with guard(database.where), database.read() as conn:

        def table_of(entry: dict[str, Any]) -> DepartmentTable:
            if entry["id"] == PREVIEW_ID and preview is not None:
                assert preview[0].departments is not None
                return preview[0].departments
            return _departments(conn, entry["id"])

        if ranking_entry["id"] == PREVIEW_ID and preview is not None:
            assert preview[0].ranking is not None
            ranking = preview[0].ranking
        else:
            ranking = _ranking(conn, ranking_entry["id"])
        table = table_of(current)
        anchor_table = table if anchor["id"] == current["id"] else table_of(anchor)
    if current["note"] != SEED_NOTE:
        repairs = repairs.iloc[0:0]
    dataset = Dataset(ranking, table, courses, current["as_of"], repairs)
    return EditionData(
        dataset=dataset,
        ranking_as_of=ranking_date,
        departments_as_of=current["as_of"],
        anchor_table=anchor_table,
        anchor_departments_as_of=anchor["as_of"],
        ranking_edition=ranking_entry["id"],
        departments_edition=current["id"],
        anchor_edition=anchor["id"],
        warnings=tuple(warnings),
    )
