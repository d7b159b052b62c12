"""Load and validate the data tables (ranking, department rows, published totals, courses)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from scoring.config import COLUMNS
from scoring.errors import DataError, ScoringInputError, quoted
from scoring.limits import (
    MAX_COUNT,
    MAX_DEPARTMENT_ROWS,
    MAX_MANIFEST_BYTES,
    MAX_NAME,
    MAX_PER_USER,
    MAX_STATES,
    MAX_TABLE_BYTES,
    check_date,
    read_capped,
)

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MAX_ROWS = MAX_DEPARTMENT_ROWS  # any table read here; the ranking is capped lower (MAX_STATES)
MANIFEST_FILES = ("ranking", "departments", "totals", "courses", "repairs")
MAX_COURSE_MINUTES = 10_000  # the recommended courses run 30-300 minutes; 10,000 is a week's work
REMAINDER_ID = "unlisted-remainder"
REMAINDER_NAME = "Unlisted MDOs (published total minus listed rows)"
RANKING_COLUMNS = ("state", "category", "score")
DEPARTMENT_TEXT_COLUMNS = ("department", "mdo")
COUNT_COLUMNS = tuple(c for c in COLUMNS if c != "hours")
# Pairs (smaller, larger) that every department row must respect.
ROW_BOUNDS = (
    ("active", "onboarded"),
    ("user_completions", "onboarded"),
    ("user_completions", "active"),
    ("completions", "enrolments"),
    ("passed", "attempted"),
)


@dataclass(frozen=True)
class DepartmentTable:
    """Department rows of the focus state, with the unlisted remainder as the last row."""

    frame: pd.DataFrame  # id, department, mdo, is_remainder, then COLUMNS

    @functools.cached_property
    def values(self) -> np.ndarray:
        """The count columns as one read-only float array (M, C), computed once."""
        values = self.frame[list(COLUMNS)].to_numpy(dtype=float)
        values.flags.writeable = False
        return values

    @functools.cached_property
    def is_remainder(self) -> np.ndarray:
        flags = self.frame["is_remainder"].to_numpy(dtype=bool)
        flags.flags.writeable = False
        return flags

    @property
    def ids(self) -> list[str]:
        return self.frame["id"].tolist()

    @functools.cached_property
    def match_keys(self) -> MatchKeys:
        """Case-folded names for finding a lever's target, computed once (read-only)."""
        frame = self.frame
        arrays = (
            ~frame["is_remainder"].to_numpy(dtype=bool),
            frame["department"].str.casefold().to_numpy(dtype=object),
            frame["id"].str.casefold().to_numpy(dtype=object),
            frame["mdo"].str.casefold().to_numpy(dtype=object),
        )
        for array in arrays:
            array.flags.writeable = False
        return MatchKeys(*arrays)

    @functools.cached_property
    def headroom(self) -> pd.DataFrame:
        """`department_headroom` of these rows, computed once; callers must not change it."""
        return department_headroom(self.frame)

    @functools.cached_property
    def unit_counts(self) -> dict[str, tuple[float, float]]:
        """Onboarded users and users with a completion of every listed department and MDO id
        (the remainder row is neither), computed once."""
        listed = self.frame[~self.frame["is_remainder"].astype(bool)]
        counts = {
            str(name): (float(onboarded), float(completers))
            for name, onboarded, completers in zip(
                self.headroom["department"],
                self.headroom["onboarded"],
                self.headroom["user_completions"],
                strict=True,
            )
        }
        for mdo_id, onboarded, completers in zip(
            listed["id"], listed["onboarded"], listed["user_completions"], strict=True
        ):
            # One row per MDO id; a department named like another unit's id keeps its total.
            counts.setdefault(str(mdo_id), (float(onboarded), float(completers)))
        return counts

    def totals(self) -> pd.Series:
        return self.frame[list(COLUMNS)].sum()

    def remainder(self) -> pd.Series:
        rows = self.frame[self.frame["is_remainder"]]
        return rows[list(COLUMNS)].sum()


@dataclass(frozen=True)
class MatchKeys:
    """Per row of a department table: usable as a lever target (not the remainder), and the
    case-folded department, MDO id and MDO name."""

    usable: np.ndarray
    departments: np.ndarray
    ids: np.ndarray
    mdos: np.ndarray


def department_headroom(departments: pd.DataFrame) -> pd.DataFrame:
    """Listed departments with onboarded users, users with a completion and headroom (the users
    still without one), largest headroom first: the order levers are offered in."""
    listed = departments[~departments["is_remainder"].astype(bool)]
    frame = listed.groupby("department", sort=False)[["onboarded", "user_completions"]].sum()
    frame["headroom"] = frame["onboarded"] - frame["user_completions"]
    frame = frame.reset_index().sort_values(
        ["headroom", "department"], ascending=[False, True], kind="stable"
    )
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class Dataset:
    """Everything the engine needs besides the model config."""

    ranking: pd.DataFrame  # state, category, score, rank
    departments: DepartmentTable
    courses: pd.DataFrame
    as_of: dt.date
    repairs: pd.DataFrame


def read_table(source: str | Path | bytes, name: str, max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """Read a CSV into all-text cells, with size, row-count and encoding checks."""
    raw = source if isinstance(source, bytes) else read_capped(source, MAX_TABLE_BYTES, name)
    if len(raw) > MAX_TABLE_BYTES:
        # Just over the limit (a capped read of a device stops at limit + 1): bytes, not "20.0 MB".
        size = (
            f"{len(raw) / 1e6:.1f} MB"
            if len(raw) > MAX_TABLE_BYTES * 1.01
            else f"{len(raw):,} bytes"
        )
        raise DataError(f"file is {size}; the limit is {MAX_TABLE_BYTES / 1e6:.0f} MB", name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8", name
        ) from None
    if not text.strip():
        raise DataError("the file is empty", name)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable CSV"
        raise DataError(f"not a readable CSV: {first}", name) from None
    if len(frame) > max_rows:
        raise DataError(f"{len(frame):,} rows; the limit is {max_rows:,}", name)
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    return frame


def _require_columns(frame: pd.DataFrame, needed: Iterable[str], name: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(frame.columns) or 'none'}",
            name,
        )
    duplicated = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if duplicated:
        raise DataError(f"column(s) given twice: {', '.join(duplicated)}", name)


def clean_name(value: str) -> str:
    # Control characters would break tables and terminals; everything else (Devanagari,
    # punctuation) is kept as typed and never interpreted.
    return re.sub(r"[\x00-\x1f\x7f]", "", str(value)).strip()


def parse_number(
    cell: str, column: str, row: int, label: str, problems: list[str], integer: bool
) -> float:
    text = str(cell).strip().replace(",", "")
    where = f"row {row}{label}: {column}"
    if text == "":
        problems.append(f"{where} is blank")
        return 0.0
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{where} is {quoted(cell)}, not a number")
        return 0.0
    if not np.isfinite(value):
        problems.append(f"{where} is {quoted(cell)}, not a finite number")
        return 0.0
    if value < 0:
        problems.append(f"{where} is negative ({quoted(text, 30)[1:-1]})")
    elif value > MAX_COUNT:
        problems.append(f"{where} is {value:,.0f}, above the limit of {MAX_COUNT:,}")
        return 0.0
    elif integer and value != int(value):
        problems.append(f"{where} must be a whole number, got {quoted(text, 30)[1:-1]}")
    return value


def raise_problems(problems: list[str], name: str) -> None:
    """Raise every problem at once (ScoringInputError keeps the first MAX_PROBLEMS, shortened)."""
    if problems:
        raise DataError(problems, name)


def parse_ranking(
    frame: pd.DataFrame, name: str = "ranking", categories: Iterable[str] = ("A", "B", "C")
) -> pd.DataFrame:
    """Validate a ranking table: state, category, score, and optionally the published rank."""
    _require_columns(frame, RANKING_COLUMNS, name)
    if len(frame) > MAX_STATES:
        raise DataError(
            f"{len(frame):,} states; a ranking has 36 States/UTs and the limit is {MAX_STATES}",
            name,
        )
    allowed = set(categories)
    problems: list[str] = []
    rows = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        state = clean_name(rec["state"]).upper()
        label = f" ({state[:60]})" if state else ""
        if not state:
            problems.append(f"row {i}: state is blank")
        elif len(state) > MAX_NAME:
            problems.append(f"row {i}: state name longer than {MAX_NAME} characters")
        elif state in seen:
            problems.append(f"row {i}{label}: state already given in row {seen[state]}")
        seen.setdefault(state, i)
        category = clean_name(rec["category"]).upper()
        if category not in allowed:
            problems.append(
                f"row {i}{label}: category {quoted(rec['category'], 20)} is not one of "
                f"{', '.join(sorted(allowed))}"
            )
        score = parse_number(rec["score"], "score", i, label, problems, integer=False)
        if score > 100:
            problems.append(f"row {i}{label}: score {score} is above 100")
        rank = None
        if "rank" in frame.columns and str(rec["rank"]).strip():
            rank = parse_number(rec["rank"], "rank", i, label, problems, integer=True)
            if rank == 0:
                problems.append(f"row {i}{label}: rank must be 1 or more")
        rows.append({"state": state, "category": category, "score": score, "rank": rank})
    if not rows:
        problems.append("no rows")
    raise_problems(problems, name)
    out = pd.DataFrame(rows)
    if out["rank"].isna().any():
        out = out.drop(columns="rank")
    else:
        out["rank"] = out["rank"].astype(int)
    return out


def inconsistent_figures(values: dict[str, float] | pd.Series) -> list[str]:
    """What makes one row of figures impossible (a department row, the published totals or the
    unlisted remainder): a part larger than its whole, or more per onboarded user than anyone
    could do (MAX_PER_USER). Figures are named so the user can find them."""
    out = [
        f"{small} ({values[small]:,.10g}) is more than {large} ({values[large]:,.10g})"
        for small, large in ROW_BOUNDS
        if values[small] > values[large]
    ]
    onboarded = float(values["onboarded"])
    for column, per_user in MAX_PER_USER.items():
        value = float(values[column])
        if value > per_user * onboarded:
            if onboarded <= 0:
                out.append(f"{column} ({value:,.10g}) with no onboarded users")
            else:
                out.append(
                    f"{column} ({value:,.10g}) is more than {per_user:,.0f} per onboarded user "
                    f"({onboarded:,.0f} onboarded)"
                )
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-") or "mdo"


def parse_departments(
    frame: pd.DataFrame, totals: pd.Series | None = None, name: str = "departments"
) -> DepartmentTable:
    """Validate department rows; with published totals, add the unlisted remainder row."""
    _require_columns(frame, (*DEPARTMENT_TEXT_COLUMNS, *COLUMNS), name)
    problems: list[str] = []
    records = []
    has_ids = "id" in frame.columns
    seen_ids: dict[str, int] = {}
    next_suffix: dict[str, int] = {}
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        department = clean_name(rec["department"])
        mdo = clean_name(rec["mdo"])
        label = f" ({mdo[:60]})" if mdo else ""
        for column, value in (("department", department), ("mdo", mdo)):
            if not value:
                problems.append(f"row {i}{label}: {column} is blank")
            elif len(value) > MAX_NAME:
                problems.append(f"row {i}{label}: {column} longer than {MAX_NAME} characters")
        before = len(problems)
        values = {
            c: parse_number(rec[c], c, i, label, problems, integer=c in COUNT_COLUMNS)
            for c in COLUMNS
        }
        if len(problems) == before:  # compare figures only when all of them parsed
            problems += [f"row {i}{label}: {p}" for p in inconsistent_figures(values)]
        mdo_id = clean_name(rec["id"]) if has_ids else ""
        if has_ids and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", mdo_id):
            problems.append(
                f"row {i}{label}: id {quoted(rec['id'])} must be lower-case letters, digits and "
                "dashes"
            )
        if not has_ids:
            base = _slug(mdo)
            mdo_id = base
            # Resume numbering where this base left off: 50,000 rows with one name would otherwise
            # try 1, 2, 3 ... for every row (quadratic).
            n = next_suffix.get(base, 2)
            while mdo_id in seen_ids:
                mdo_id = f"{base}-{n}"
                n += 1
            next_suffix[base] = n
        if mdo_id in seen_ids and has_ids:
            problems.append(f"row {i}{label}: id {mdo_id!r} already used in row {seen_ids[mdo_id]}")
        seen_ids.setdefault(mdo_id, i)
        records.append(
            {"id": mdo_id, "department": department, "mdo": mdo, "is_remainder": False, **values}
        )
    if not records:
        problems.append("no rows")
    raise_problems(problems, name)
    table = pd.DataFrame(records)
    if totals is not None:
        table = _with_remainder(table, totals, name)
    return DepartmentTable(table.reset_index(drop=True))


def _with_remainder(table: pd.DataFrame, totals: pd.Series, name: str) -> pd.DataFrame:
    sums = table[list(COLUMNS)].sum()
    remainder = (totals[list(COLUMNS)].astype(float) - sums).round(2)
    negative = [
        f"{c} (rows {sums[c]:,.2f} > total {totals[c]:,.2f})" for c in COLUMNS if remainder[c] < 0
    ]
    if negative:
        raise DataError(
            "the rows add up to more than the published total in " + ", ".join(negative), name
        )
    if (remainder == 0).all():
        return table
    # The remainder is a row like any other: it must be possible (no completers without users).
    impossible = inconsistent_figures(remainder)
    if impossible:
        raise DataError(
            [
                "the published totals leave an impossible remainder for the unlisted MDOs "
                "(published total minus listed rows): " + "; ".join(impossible)
            ],
            name,
        )
    row = {
        "id": REMAINDER_ID,
        "department": REMAINDER_NAME,
        "mdo": REMAINDER_NAME,
        "is_remainder": True,
        **remainder.to_dict(),
    }
    return pd.concat([table, pd.DataFrame([row])], ignore_index=True)


def parse_totals(frame: pd.DataFrame, name: str = "totals") -> pd.Series:
    _require_columns(frame, COLUMNS, name)
    if len(frame) != 1:
        raise DataError(f"expected one row of published totals, found {len(frame)}", name)
    problems: list[str] = []
    rec = frame.iloc[0].to_dict()
    values = {
        c: parse_number(rec[c], c, 2, "", problems, integer=c in COUNT_COLUMNS) for c in COLUMNS
    }
    if not problems:
        problems += [f"row 2: {p}" for p in inconsistent_figures(values)]
    raise_problems(problems, name)
    return pd.Series(values, dtype=float)


def parse_courses(frame: pd.DataFrame, name: str = "courses") -> pd.DataFrame:
    _require_columns(frame, ("topic", "band", "course", "provider", "minutes"), name)
    problems: list[str] = []
    minutes = [
        parse_number(m, "minutes", i, "", problems, integer=True)
        for i, m in enumerate(frame["minutes"], start=2)
    ]
    problems += [
        f"row {i}: minutes {m:,.0f} is above {MAX_COURSE_MINUTES:,}"
        for i, m in enumerate(minutes, start=2)
        if m > MAX_COURSE_MINUTES
    ]
    raise_problems(problems, name)
    out = frame.copy()
    out["minutes"] = np.array(minutes, dtype=int)
    return out


@dataclass(frozen=True)
class Manifest:
    """manifest.yaml of a data folder: the date of the data and one file name per table."""

    as_of: dt.date
    files: dict[str, str]


def parse_manifest(raw: bytes, source: str = "manifest.yaml") -> Manifest:
    """Validate a data folder's manifest: a YAML mapping with `as_of` (a date) and a plain file
    name for each of MANIFEST_FILES."""
    if len(raw) > MAX_MANIFEST_BYTES:
        raise DataError(f"file is larger than {MAX_MANIFEST_BYTES:,} bytes", source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text (byte {exc.start})", source) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise DataError(f"not valid YAML{where}", source) from None
    except ValueError as exc:  # PyYAML builds dates itself: 2026-02-30 raises ValueError
        raise DataError(f"not valid YAML: {exc}", source) from None
    except RecursionError:
        raise DataError("the file is nested too deeply", source) from None
    if not isinstance(data, dict):
        raise DataError(f"must be a mapping with as_of and {', '.join(MANIFEST_FILES)}", source)
    problems: list[str] = []
    files: dict[str, str] = {}
    for key in MANIFEST_FILES:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{key}: give the file name of the {key} table")
        elif "/" in value or "\\" in value or value.startswith(".") or len(value) > MAX_NAME:
            problems.append(f"{key}: {quoted(value)} must be a file name in the data folder")
        else:
            files[key] = value.strip()
    unknown = sorted(str(k) for k in data if k not in (*MANIFEST_FILES, "as_of"))
    if unknown:
        problems.append(f"unknown key(s): {', '.join(quoted(k, 30) for k in unknown[:5])}")
    try:
        as_of = check_date(data.get("as_of"), "as_of")
    except ScoringInputError as exc:
        problems += exc.problems
        as_of = dt.date.min
    raise_problems(problems, source)
    return Manifest(as_of, files)


def load_dataset(
    data_dir: str | Path = DATA_DIR, categories: Iterable[str] = ("A", "B", "C")
) -> Dataset:
    data_dir = Path(data_dir)
    manifest_path = data_dir / "manifest.yaml"
    try:
        raw = read_capped(manifest_path, MAX_MANIFEST_BYTES, str(manifest_path))
    except ScoringInputError as exc:
        raise DataError(
            [f"cannot read the data manifest: {p}" for p in exc.problems], exc.source
        ) from None
    manifest = parse_manifest(raw, str(manifest_path))
    files = manifest.files
    ranking = parse_ranking(
        read_table(data_dir / files["ranking"], files["ranking"], MAX_STATES),
        files["ranking"],
        categories,
    )
    totals = parse_totals(read_table(data_dir / files["totals"], files["totals"]), files["totals"])
    departments = parse_departments(
        read_table(data_dir / files["departments"], files["departments"]),
        totals,
        files["departments"],
    )
    courses = parse_courses(read_table(data_dir / files["courses"], files["courses"]))
    repairs = read_table(data_dir / files["repairs"], files["repairs"])
    return Dataset(ranking, departments, courses, manifest.as_of, repairs)
