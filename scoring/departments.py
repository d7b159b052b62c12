"""Department and MDO figures for browsing: ratios, department sums, search, headroom, totals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.config import COLUMNS

# Derived columns shown beside the stored counts (never stored in the data): name -> (numerator,
# denominator). "headroom" is a count, not a ratio: the users still without a completion.
RATIOS: dict[str, tuple[str, str]] = {
    "active_pct": ("active", "onboarded"),
    "completers_pct": ("user_completions", "onboarded"),
    "completion_rate": ("completions", "enrolments"),
    "pass_rate": ("passed", "attempted"),
}


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is 0: a unit with nothing in the
    denominator has no ratio, not a zero one."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (numerator / denominator.where(denominator > 0)).astype(float)


def with_ratios(units: pd.DataFrame) -> pd.DataFrame:
    """A copy of department or MDO rows with the RATIOS columns and `headroom`."""
    out = units.copy()
    for name, (numerator, denominator) in RATIOS.items():
        out[name] = ratio(out[numerator], out[denominator])
    out["headroom"] = out["onboarded"] - out["user_completions"]
    return out


def by_department(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per department (in order of first appearance): `department`, `mdos` (how many
    rows it has) and the sums of the count columns. The unlisted remainder is its own row."""
    grouped = rows.groupby("department", sort=False)
    sums = grouped[list(COLUMNS)].sum()
    sums.insert(0, "mdos", grouped.size())
    return sums.reset_index()


def _largest_first(units: pd.DataFrame) -> pd.DataFrame:
    return units.sort_values("onboarded", ascending=False, kind="stable").reset_index(drop=True)


def department_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Departments with their sums and ratios, most onboarded users first."""
    return _largest_first(with_ratios(by_department(rows)))


def mdo_table(rows: pd.DataFrame) -> pd.DataFrame:
    """MDO rows with their ratios, most onboarded users first."""
    return _largest_first(with_ratios(rows))


def department_mdos(rows: pd.DataFrame, department: str) -> pd.DataFrame:
    """The drill-down of one department: its MDOs with ratios, most onboarded users first."""
    return mdo_table(rows[rows["department"] == department])


def department_names(rows: pd.DataFrame) -> list[str]:
    """Every department name once, sorted (for a picker)."""
    return sorted(str(name) for name in rows["department"].unique())


def find_units(rows: pd.DataFrame, query: str, *, whole_departments: bool) -> pd.DataFrame:
    """Rows whose department or MDO name contains `query` (case-insensitive; an empty query
    keeps every row). With `whole_departments`, a department matching by its own name or by any
    of its MDOs comes whole, so that its sums stay the department's."""
    needle = query.strip().casefold()
    if not needle:
        return rows
    hit = rows["department"].str.casefold().str.contains(needle, regex=False) | rows[
        "mdo"
    ].str.casefold().str.contains(needle, regex=False)
    if whole_departments:
        return rows[rows["department"].isin(rows.loc[hit, "department"])]
    return rows[hit]


def headroom_leaders(rows: pd.DataFrame, n: int) -> pd.DataFrame:
    """The `n` departments with the most headroom (onboarded users without a completion),
    largest first, with their sums and ratios."""
    return with_ratios(by_department(rows)).nlargest(n, "headroom").reset_index(drop=True)


@dataclass(frozen=True)
class Totals:
    """The state's totals over every row (the unlisted remainder included, so they match the
    published ones) and how many listed departments and MDOs there are."""

    onboarded: float
    active: float
    completers: float
    completions: float
    departments: int
    mdos: int

    @property
    def active_share(self) -> float | None:
        """Active users / onboarded; None when nobody is onboarded."""
        return self.active / self.onboarded if self.onboarded > 0 else None

    @property
    def completer_share(self) -> float | None:
        """Users with a completion / onboarded; None when nobody is onboarded."""
        return self.completers / self.onboarded if self.onboarded > 0 else None


def totals(rows: pd.DataFrame) -> Totals:
    sums = rows[list(COLUMNS)].sum()
    listed = rows[~rows["is_remainder"].astype(bool)]
    return Totals(
        onboarded=float(sums["onboarded"]),
        active=float(sums["active"]),
        completers=float(sums["user_completions"]),
        completions=float(sums["completions"]),
        departments=int(listed["department"].nunique()),
        mdos=len(listed),
    )


@dataclass(frozen=True)
class Remainder:
    """The row holding published totals minus the listed rows, and how many rows are listed."""

    name: str
    listed_rows: int
    onboarded: float
    active: float
    completers: float
    completions: float


def remainder(rows: pd.DataFrame) -> Remainder | None:
    """The unlisted remainder of a department table; None when the listed rows add up."""
    flags = rows["is_remainder"].astype(bool)
    rest = rows[flags]
    if rest.empty:
        return None
    sums = rest[list(COLUMNS)].sum()
    return Remainder(
        name=str(rest["department"].iloc[0]),
        listed_rows=int((~flags).sum()),
        onboarded=float(sums["onboarded"]),
        active=float(sums["active"]),
        completers=float(sums["user_completions"]),
        completions=float(sums["completions"]),
    )
