"""Texts, numbers, dates and plurals in the session's language (en_IN / hi_IN, through Babel).

Texts come from the YAML catalogues in i18n/<lang>/<section>.yaml, looked up as
t('section.key'). They stay YAML rather than gettext catalogues: each text is keyed by its place
on the page (not by its English wording), translators edit one small file per page, and a test
checks that both languages have the same keys; gettext would add a compile step and .mo files for
no gain at this size. Numbers, percentages, dates and plural rules come from Babel's CLDR data, so
Indian digit grouping (13,89,815) and Hindi month names (31 मार्च 2026) are not hand-written.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import time
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from app_ui import session
from scoring.config import KpiSpec
from scoring.goal import GoalResult

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "i18n"
LANGUAGES = ("en", "hi")
LANGUAGE_NAMES = {"en": "English", "hi": "हिन्दी"}
LOCALES = {"en": "en_IN", "hi": "hi_IN"}
# Short month names read well in English ("31 Mar 2026"); Hindi's abbreviations ("दिस॰") do not,
# so Hindi spells the month out ("31 दिसंबर 2025").
DATE_FORMATS = {"en": "d MMM y", "hi": "d MMMM y"}
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


# --- texts ---------------------------------------------------------------------------------


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


def t(key: str, **values: Any) -> str:
    """Translate for the current session language."""
    return translate(session.lang(), key, **values)


def plural_form(count: float, lang: str | None = None) -> str:
    """CLDR plural category of `count` ('one', 'other'...) in the language."""
    return str(Locale.parse(LOCALES[lang or session.lang()]).plural_form(abs(count)))


def tn(key: str, count: float, **values: Any) -> str:
    """The plural form of `key` for `count`: the catalogue holds key.one / key.other (Babel's
    CLDR rules choose; Hindi counts 0 and 1 as 'one'), falling back to key.other."""
    lang = session.lang()
    form = plural_form(count, lang)
    entries = catalogue(lang)
    chosen = f"{key}.{form}" if f"{key}.{form}" in entries else f"{key}.other"
    return translate(lang, chosen, **values)


# --- numbers -------------------------------------------------------------------------------


def fmt_num(value: float | int | None, decimals: int = 0) -> str:
    """A number with Indian grouping and a fixed number of decimals (13,89,815; 39.09);
    '-' for missing."""
    return _fmt_num_in(LOCALES[session.lang()], value, decimals)


def number_formatter(decimals: int = 0) -> Callable[[float | int | None], str]:
    """fmt_num for the cells of a table: the session language read once, not per cell."""
    return functools.partial(_fmt_num_in, LOCALES[session.lang()], decimals=decimals)


def pct_formatter(decimals: int = 1) -> Callable[[float | None], str]:
    """fmt_pct for the cells of a table, '-' for a missing ratio: the session language read
    once, not per cell."""
    locale = LOCALES[session.lang()]

    def pct(ratio: float | None) -> str:
        if ratio is None:
            return "-"
        try:
            value = float(ratio)
        except TypeError:  # pandas' NA in a nullable column
            return "-"
        return "-" if math.isnan(value) else f"{_fmt_num_in(locale, value * 100, decimals)}%"

    return pct


def _fmt_num_in(locale: str, value: float | int | None, decimals: int = 0) -> str:
    if value is None or not math.isfinite(float(value)):
        return "-"
    # Rounded here (half away from zero on the shown digits, as Python's round on the float) and
    # "+ 0.0" turns a negative zero into zero, so -0.004 shows as 0.00, not -0.00.
    return _grouped(round(float(value), decimals) + 0.0, decimals, locale)


@lru_cache(maxsize=32_768)
def _grouped(rounded: float, decimals: int, locale: str) -> str:
    # Babel takes 20-40 us a number (its locale data is looked up on every call) and a page
    # shows the same few thousand figures on every rerun: each is formatted once.
    pattern = "#,##,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(format_decimal(rounded, format=pattern, locale=locale))


# What a typed whole number may hold once its digits are ASCII: digits, and commas between them.
WHOLE_TEXT = re.compile(r"[0-9][0-9,]*")


def parse_whole(text: str, lang: str | None = None) -> int | None:
    """A whole number as people type it: "50000", "50,000", "5,00,000" (Indian grouping) or
    "500,000" (international), in any script's digits ("५०,०००"); None when the text is not one
    (a sign, decimals, letters, or commas in the wrong places such as "1,5")."""
    digits = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    digits = digits.strip()
    if not WHOLE_TEXT.fullmatch(digits):
        return None
    # Babel's strict mode checks the grouping: the session's locale first, then international.
    for locale in (LOCALES[lang or session.lang()], "en"):
        try:
            return int(parse_decimal(digits, locale=locale, strict=True))
        except NumberFormatError:
            continue
    return None


def fmt_pct(ratio: float, decimals: int = 1) -> str:
    """A ratio (0.065) as a percentage (6.5%)."""
    return f"{fmt_num(ratio * 100, decimals)}%"


def fmt_delta(value: float, decimals: int = 2) -> str:
    """A signed change: +3.06, -1.20, 0.00."""
    shown = fmt_num(value, decimals)
    return ("+" + shown) if round(value, decimals) > 0 else shown


def fmt_probability(p: float) -> str:
    """A probability for a chart label, short enough for a narrow bar and never rounded into
    certainty or impossibility: 100%, >99%, 45%, 3.4%, <0.1%; empty for 0."""
    if p <= 0:
        return ""
    if p >= 1:
        return "100%"
    if p >= 0.995:
        return ">99%"
    if p >= 0.1:
        return fmt_pct(p, 0)
    if p >= 0.0005:
        return fmt_pct(p, 1)
    return "<0.1%"


# --- dates and labels ----------------------------------------------------------------------


def date_text(lang: str, day: dt.date) -> str:
    """31 Mar 2026 / 31 मार्च 2026."""
    return str(format_date(day, DATE_FORMATS[lang], locale=LOCALES[lang]))


def local_date(day: dt.date) -> str:
    """A date in the session language."""
    return date_text(session.lang(), day)


def label(en: str, hi: str) -> str:
    """The session language's form of a two-language label (English where Hindi is missing)."""
    return hi if session.lang() == "hi" and hi else en


def kpi_label(kpi: KpiSpec) -> str:
    """A KPI's label in the session language: the engine returns ids, the app adds labels."""
    return label(kpi.label.en, kpi.label.hi)


def kpi_explanation(kpi: KpiSpec) -> str:
    """A KPI's one-line explanation in the session language ("" when the model has none)."""
    return label(kpi.explanation.en, kpi.explanation.hi) if kpi.explanation else ""


def goal_reason(result: GoalResult, lang: str | None = None) -> str:
    """Why a goal is out of reach, in `lang` or the session language (the engine's own reason is
    English)."""
    lang = lang or session.lang()
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


def goal_proof(result: GoalResult, lang: str | None = None) -> str:
    """Whether a plan is proven the fewest, or how far it may be from it: "within N%" of the
    proven lower bound, or that nothing is proven (in `lang` or the session language)."""
    lang = lang or session.lang()
    if result.optimal:
        return translate(lang, "chance.fewest_proven")
    share = result.gap_share
    if share is None or result.gap is None:
        return translate(lang, "chance.fewest_unproven")
    # Never "0.00%" for a gap of a few completers in lakhs: "<0.01%" instead.
    percent = ("<" if share < 0.0001 else "") + fmt_pct(max(share, 0.0001), 2)
    return translate(lang, "chance.fewest_gap", gap=fmt_num(result.gap), percent=percent)


STATE_NAMES = CATALOGUE_DIR.parent / "data" / "state_names.csv"


@lru_cache(maxsize=1)
def _state_names_hi() -> dict[str, str]:
    import csv

    with STATE_NAMES.open(encoding="utf-8", newline="") as handle:
        return {row["state"].strip().upper(): row["name_hi"] for row in csv.DictReader(handle)}


def state_name(state: str) -> str:
    """A State/UT's name in the session language: Devanagari in Hindi (from
    data/state_names.csv), the ranking's own spelling otherwise or when the name is unknown."""
    if session.lang() != "hi":
        return state
    return _state_names_hi().get(state.strip().upper(), state)
