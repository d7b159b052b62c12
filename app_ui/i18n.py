"""Translation catalogue: i18n/<lang>/<section>.yaml files, looked up as t('section.key')."""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app_ui.format import fmt_num, fmt_pct
from scoring.goal import GoalResult

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "i18n"
LANGUAGES = ("en", "hi")
LANGUAGE_NAMES = {"en": "English", "hi": "हिन्दी"}
RECHECK_SECONDS = 3.0
# Department-table column -> catalogue key of its header, in the order shown.
COLUMN_HEADER_KEYS = {
    "onboarded": "departments.col_onboarded",
    "active": "departments.col_active",
    "user_completions": "departments.col_completers",
    "enrolments": "departments.col_enrolments",
    "completions": "departments.col_completions",
    "hours": "departments.col_hours",
    "attempted": "departments.col_attempted",
    "passed": "departments.col_passed",
}
_stamps: dict[str, tuple[float, tuple[tuple[str, int], ...]]] = {}


def catalogue(lang: str) -> dict[str, str]:
    """Flat {'section.key': text} for a language, from every YAML file in its folder; read again
    when a file changes (checked at most every few seconds: a page asks for hundreds of texts)."""
    now = time.monotonic()
    checked, stamp = _stamps.get(lang, (-1e9, ()))
    if now - checked > RECHECK_SECONDS:
        folder = CATALOGUE_DIR / lang
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml")))
        _stamps[lang] = (now, stamp)
    return _load_catalogue(lang, stamp)


@lru_cache(maxsize=8)
def _load_catalogue(lang: str, stamp: tuple[tuple[str, int], ...]) -> dict[str, str]:
    entries: dict[str, str] = {}
    for path in sorted((CATALOGUE_DIR / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        _flatten(path.stem, data, entries)
    return entries


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}", value, out)
    else:
        out[prefix] = str(node)


def translate(lang: str, key: str, **values: Any) -> str:
    """The text for `key` in `lang` (English if missing there), with {placeholders} filled."""
    text = catalogue(lang).get(key) or catalogue("en").get(key)
    if text is None:
        raise KeyError(f"translation key {key!r} is missing from the catalogue")
    return text.format(**values) if values else text


def date_text(lang: str, day: dt.date) -> str:
    """31 Mar 2026 / 31 मार्च 2026."""
    month = translate(lang, f"common.month.{day.month}")
    return translate(lang, "common.date", day=day.day, month=month, year=day.year)


def goal_reason_text(lang: str, result: GoalResult) -> str:
    """Why a goal is out of reach, in `lang` (the engine's own reason is English)."""
    values = result.reason_values
    if result.reason_code == "ceiling":
        return translate(
            lang,
            "common.goal_reason_ceiling",
            ceiling=fmt_pct(values["ceiling"], 0),
            completers=fmt_num(values["completers"]),
            best=fmt_num(values["best"], 2),
            need=fmt_num(values["need"], 2),
        )
    if result.reason_code == "stalled":
        return translate(lang, "common.goal_reason_stalled")
    return result.reason
