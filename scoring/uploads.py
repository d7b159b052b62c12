"""Uploaded tables checked against the data in use (a new ranking, a new department table with
its published totals), reconciliation of department rows with published totals, and CSV
templates. Plain values only: the app words them in the user's language."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from scoring.config import COLUMNS, ModelConfig
from scoring.data import (
    COUNT_COLUMNS,
    DATA_DIR,
    Dataset,
    DepartmentTable,
    parse_departments,
    parse_ranking,
    parse_totals,
    read_table,
)
from scoring.engine import build_model, ranking_table
from scoring.errors import ScoringInputError
from scoring.safe_csv import to_safe_csv

BUNDLED_ROLES = ("ranking", "departments", "totals", "courses", "repairs")
MATCH_TOLERANCE = 0.005  # hours carry two decimals; a sum within half a cent is equal


def content_key(*parts: bytes | str) -> str:
    """A digest naming uploaded content (files' bytes, names, a date): equal content, equal key."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        # Length first, so that ("ab", "c") and ("a", "bc") never give the same key.
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class RankingCheck:
    """An accepted ranking file: the data set it makes and what the app reports about it."""

    dataset: Dataset
    key: str
    states: int
    per_category: dict[str, int]  # every category of the model, with its number of states
    focus: str
    category: str
    score: float
    rank: int
    rank_mismatch: tuple[str, ...]  # states whose given rank differs from the scores' rank


class Remainder(StrEnum):
    """What the published totals did to an uploaded department table."""

    NO_TOTALS = "no_totals"  # no totals given: the rows are the whole state
    ADDED = "added"  # the rows fall short of the totals: an unlisted remainder row is added
    NONE = "none"  # the rows add up to the totals exactly


@dataclass(frozen=True)
class DepartmentsCheck:
    """An accepted department table (with its totals, if given) and its figures."""

    dataset: Dataset
    key: str
    totals: pd.Series | None
    rows: int  # listed MDO rows (the remainder not counted)
    departments: int
    onboarded: float  # over every row, remainder included
    remainder: Remainder
    remainder_onboarded: float


def check_ranking(raw: bytes, name: str, current: Dataset, config: ModelConfig) -> RankingCheck:
    """The data in use with an uploaded ranking in place of its own.

    Raises ScoringInputError (problems named by row) when the file is refused, also when it
    lacks the focus state."""
    categories = [c.id for c in config.categories]
    ranking = parse_ranking(read_table(raw, name), name, categories)
    candidate = dataclasses.replace(current, ranking=ranking)
    model = build_model(config, candidate)
    counts = ranking["category"].value_counts()
    mismatch: tuple[str, ...] = ()
    if "rank" in ranking.columns:
        checked = ranking_table(model)
        mismatch = tuple(checked.loc[checked["rank"] != checked["computed_rank"], "state"])
    return RankingCheck(
        dataset=candidate,
        key=content_key("ranking", raw),
        states=len(ranking),
        per_category={c: int(counts.get(c, 0)) for c in categories},
        focus=model.focus_state,
        category=model.focus_category,
        score=model.published_score,
        rank=model.published_rank,
        rank_mismatch=mismatch,
    )


def check_departments(
    raw: bytes,
    name: str,
    totals_raw: bytes | None,
    totals_name: str,
    current: Dataset,
    config: ModelConfig,
) -> DepartmentsCheck:
    """The data in use with uploaded department rows (and the remainder up to the published
    totals, when given). Raises ScoringInputError when either file is refused."""
    totals = None
    if totals_raw is not None:
        totals = parse_totals(read_table(totals_raw, totals_name), totals_name)
    table = parse_departments(read_table(raw, name), totals, name)
    candidate = dataclasses.replace(current, departments=table)
    build_model(config, candidate)  # refuses a table the model cannot score
    real = table.frame[~table.frame["is_remainder"]]
    if totals is None:
        remainder = Remainder.NO_TOTALS
    elif table.is_remainder.any():
        remainder = Remainder.ADDED
    else:
        remainder = Remainder.NONE
    return DepartmentsCheck(
        dataset=candidate,
        key=content_key("departments", raw, totals_raw or b""),
        totals=totals,
        rows=len(real),
        departments=int(real["department"].nunique()),
        onboarded=float(table.totals()["onboarded"]),
        remainder=remainder,
        remainder_onboarded=float(table.remainder()["onboarded"]),
    )


def reconciliation(table: DepartmentTable, published: pd.Series | None) -> pd.DataFrame:
    """Per column (index): the sum of the listed rows, the remainder, their total, and, with
    published totals, the published figure and whether the total matches it."""
    frame = table.frame
    listed = frame.loc[~frame["is_remainder"], list(COLUMNS)].sum()
    remainder = table.remainder()
    total = listed + remainder
    out = pd.DataFrame({"listed": listed, "remainder": remainder, "total": total})
    if published is not None:
        out["published"] = published[list(COLUMNS)].astype(float)
        out["matches"] = (out["total"] - out["published"]).abs() < MATCH_TOLERANCE
    return out


def template_csv(kind: str, data: Dataset) -> str:
    """A CSV template for `kind` ("ranking", "departments" or "totals"): headers and one example
    row taken from the data in use."""
    if kind == "ranking":
        row = data.ranking.head(1).copy()
        if "rank" not in row.columns:
            row["rank"] = 1
        return to_safe_csv(row[["state", "category", "score", "rank"]])
    frame = data.departments.frame
    if kind == "departments":
        example = frame[~frame["is_remainder"]].head(1)[["id", "department", "mdo", *COLUMNS]]
    elif kind == "totals":
        example = data.departments.totals().to_frame().T
    else:
        raise ValueError(f"no template for {kind!r}")
    example = example.astype({c: int for c in COUNT_COLUMNS})
    # The example row comes from the data in use, which may be an upload: names are defused.
    return to_safe_csv(example)


def bundled_manifest(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """The bundled data set's manifest: its date and which file plays which role."""
    path = data_dir / "manifest.yaml"
    try:
        manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScoringInputError(f"cannot read the data manifest ({exc})", str(path)) from exc
    missing = [
        role for role in BUNDLED_ROLES if not isinstance(manifest, dict) or role not in manifest
    ]
    if missing:
        raise ScoringInputError(f"the manifest names no file for {', '.join(missing)}", str(path))
    return dict(manifest)


def bundled_totals(data_dir: Path = DATA_DIR) -> pd.Series:
    """The published totals of the bundled department table."""
    name = str(bundled_manifest(data_dir)["totals"])
    return parse_totals(read_table(data_dir / name, name), name)


def bundled_row_counts(data: Dataset) -> dict[str, int]:
    """Rows per file of a data set, in the manifest's order of roles (the totals file is one
    row; the department file's rows do not include the computed remainder)."""
    listed = data.departments.frame
    return {
        "ranking": len(data.ranking),
        "departments": int((~listed["is_remainder"]).sum()),
        "totals": 1,
        "courses": len(data.courses),
        "repairs": len(data.repairs),
    }


def replaced_roles(before: Iterable[str], role: str) -> tuple[str, ...]:
    """The roles of a data set replaced by uploads, in upload order, after `role` is uploaded
    (uploading a role again moves it to the end)."""
    return (*(r for r in before if r != role), role)


def kept_totals(
    role: str, uploaded: pd.Series | None, earlier: pd.Series | None
) -> pd.Series | None:
    """The published totals that go with a data set after an upload of `role`: a department
    upload brings its own (or none); a ranking upload keeps the earlier ones."""
    return uploaded if role == "departments" else earlier
