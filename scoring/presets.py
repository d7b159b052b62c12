"""Ready-made scenarios from the source documents, and AI + Cybersecurity course bundles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from scoring.config import Assumptions
from scoring.errors import ScoringInputError
from scoring.scenario import Lever, LeverKind, Scenario

WATER_RESOURCES = "Water Resources Department, Bihar"
HOME = "Home Department Bihar"
# The IPS mandate binds a few hundred officers, not every one of the department's 30,646
# onboarded accounts (most are constables and staff). Half of them completing a course is an
# ambitious but plausible push; it is also the hygiene KPI's threshold (at least half the users
# active), so the department's units count as "live" organisations once it is met.
HOME_SHARE = 50.0
# Experience bands of Annexure 3, junior to senior.
BANDS: tuple[str, ...] = ("MTS & equivalent", "0 - 9 Years", "9 - 16 Years", "16 Years and above")
AI, CYBER = "AI", "Cybersecurity"


@dataclass(frozen=True)
class Preset:
    """A scenario from a source document: levers plus the assumptions it implies."""

    id: str
    levers: tuple[Lever, ...]
    assumptions: dict[str, Any] = field(default_factory=dict)

    @property
    def scenario(self) -> Scenario:
        return Scenario(levers=self.levers)


def karmayogi_directive(departments: pd.DataFrame) -> Preset:
    """Every employee takes one AI and one Cybersecurity course by 31 March 2026: every
    department reaches 100% of onboarded users with a completion, two courses each."""
    listed = departments.loc[~departments["is_remainder"].astype(bool), "department"]
    names = list(dict.fromkeys(listed.astype(str)))  # first-seen order, no repeats
    levers = tuple(Lever(name, LeverKind.REACH, 100.0) for name in names)
    return Preset("directive", levers, {"courses_per_completer": 2})


def water_resources_memo() -> Preset:
    """The Water Resources Department memo: officers take two to three relevant courses."""
    return Preset(
        "water", (Lever(WATER_RESOURCES, LeverKind.REACH, 100.0),), {"courses_per_completer": 2.5}
    )


def home_department_push(share: float = HOME_SHARE) -> Preset:
    """The Home Department push implied by the IPS digital-monitoring mandate (30,646 onboarded,
    434 active on the department's main unit): each of its units reaches `share` percent."""
    return Preset(
        "home", (Lever(HOME, LeverKind.REACH, float(share)),), {"courses_per_completer": 2}
    )


PRESET_IDS: tuple[str, ...] = ("directive", "water", "home")
_BUILDERS: dict[str, Callable[[pd.DataFrame], Preset]] = {
    "directive": karmayogi_directive,
    "water": lambda _: water_resources_memo(),
    "home": lambda _: home_department_push(),
}


def preset(preset_id: str, departments: pd.DataFrame) -> Preset:
    builder = _BUILDERS.get(preset_id)
    if builder is None:
        raise ScoringInputError(
            f"no preset called {preset_id!r}; use one of {', '.join(PRESET_IDS)}"
        )
    return builder(departments)


@dataclass(frozen=True)
class CourseBundle:
    """One AI and one Cybersecurity course for an experience band, by their lengths."""

    band: str
    ai_minutes: float
    cyber_minutes: float

    @property
    def hours_per_course(self) -> float:
        return (self.ai_minutes + self.cyber_minutes) / 2 / 60


def band_courses(courses: pd.DataFrame, band: str, topic: str) -> pd.DataFrame:
    """The recommended courses of a band and topic; a course listed twice counts once."""
    rows = courses[(courses["band"] == band) & (courses["topic"] == topic)]
    return rows.drop_duplicates(subset=["course", "provider"]).reset_index(drop=True)


def _minutes(rows: pd.DataFrame, chosen: str | None, band: str, topic: str) -> float:
    if rows.empty:
        raise ScoringInputError(f"no recommended {topic} course for the band {band!r}")
    if chosen is None:
        return float(rows["minutes"].mean())
    match = rows[rows["course"] == chosen]
    if match.empty:
        raise ScoringInputError(f"{chosen!r} is not a recommended {topic} course for {band!r}")
    return float(match["minutes"].iloc[0])


def course_bundle(
    courses: pd.DataFrame,
    band: str,
    ai_course: str | None = None,
    cyber_course: str | None = None,
) -> CourseBundle:
    """One AI plus one Cybersecurity course for `band`: the chosen courses, or for a topic with
    no choice the mean length of the band's recommended courses."""
    ai = _minutes(band_courses(courses, band, AI), ai_course, band, AI)
    cyber = _minutes(band_courses(courses, band, CYBER), cyber_course, band, CYBER)
    return CourseBundle(band, ai, cyber)


def available_bands(courses: pd.DataFrame) -> list[str]:
    """Bands with both an AI and a Cybersecurity course, junior to senior."""
    present = set(courses.loc[courses["topic"] == AI, "band"]) & set(
        courses.loc[courses["topic"] == CYBER, "band"]
    )
    known = [b for b in BANDS if b in present]
    return known + sorted(present - set(known))


def default_band(bands: list[str]) -> str:
    """The band offered first: "0 - 9 Years" (the second band) is the largest group of
    employees, and the config's default hours per course come from it."""
    return bands[min(1, len(bands) - 1)]


def bundle_or_means(
    courses: pd.DataFrame, band: str, ai_course: str | None, cyber_course: str | None
) -> tuple[CourseBundle, bool]:
    """The chosen courses of a band, or, when a chosen course is not recommended for it (the
    band changed under the choice), the band's means; the flag says the choice was dropped."""
    try:
        return course_bundle(courses, band, ai_course, cyber_course), False
    except ScoringInputError:
        return course_bundle(courses, band), True


def hours_as_number(*candidates: float | str) -> float:
    """Hours per course to offer when leaving "the unit's own": the first candidate that is a
    number (the scenario's, then the model file's), else the model's built-in default."""
    for value in candidates:
        if not isinstance(value, str):
            return float(value)
    default = Assumptions.model_fields["hours_per_course"].default
    return float(default)
