"""The translation catalogues: every key used in the app exists in English and Hindi."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from app_ui.l10n import LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [*(ROOT / "app_pages").glob("*.py"), *(ROOT / "app_ui").rglob("*.py"), ROOT / "app.py"]
)
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _calls_to_t(path: Path) -> list[ast.expr]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.args[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "t"
        and node.args
    ]


def used_keys() -> dict[str, list[str]]:
    """Keys passed literally to t(...), with the files using them."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for arg in _calls_to_t(path):
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, []).append(path.relative_to(ROOT).as_posix())
    return found


def used_prefixes() -> dict[str, list[str]]:
    """Fixed beginnings of keys built with an f-string, e.g. t(f"common.pillar.{pillar}")."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for arg in _calls_to_t(path):
            if isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                prefix = str(arg.values[0].value)
                found.setdefault(prefix, []).append(path.relative_to(ROOT).as_posix())
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_sources_use_some_keys() -> None:
    assert len(used_keys()) > 50


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_used_key_exists(lang: str) -> None:
    entries = catalogue(lang)
    missing = {key: files for key, files in used_keys().items() if key not in entries}
    assert not missing, f"keys missing from the {lang} catalogue: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_built_key_has_entries(lang: str) -> None:
    entries = catalogue(lang)
    missing = {
        prefix: files
        for prefix, files in used_prefixes().items()
        if not any(key.startswith(prefix) for key in entries)
    }
    assert not missing, f"no {lang} keys start with: {missing}"


def test_pillar_and_month_keys_are_complete() -> None:
    for lang in LANGUAGES:
        entries = catalogue(lang)
        assert all(f"common.month.{m}" in entries for m in range(1, 13))
        assert all(f"common.pillar.{p}" in entries for p in ("hygiene", "readiness", "consumption"))


def test_english_and_hindi_have_the_same_keys() -> None:
    english, hindi = set(catalogue("en")), set(catalogue("hi"))
    assert not english - hindi, f"only in English: {sorted(english - hindi)}"
    assert not hindi - english, f"only in Hindi: {sorted(hindi - english)}"


def test_placeholders_match_between_languages() -> None:
    english, hindi = catalogue("en"), catalogue("hi")
    differ = {
        key: (placeholders(english[key]), placeholders(hindi[key]))
        for key in english.keys() & hindi.keys()
        if placeholders(english[key]) != placeholders(hindi[key])
    }
    assert not differ, f"placeholders differ: {differ}"


def test_hindi_is_written_in_devanagari() -> None:
    english, hindi = catalogue("en"), catalogue("hi")
    # Texts that are only placeholders, numbers or shared technical terms (KPI, MDO) may match.
    copies = [
        key
        for key in english.keys() & hindi.keys()
        if hindi[key] == english[key]
        and DEVANAGARI.search(english[key] + "x") is None
        and re.search(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}", "", english[key]))
    ]
    assert not copies, f"Hindi texts copied from English: {copies}"
