"""Errors raised at the edge of the engine: bad config, bad tables, bad scenario input."""

from __future__ import annotations

import re

# Every message is bounded by construction: a 15 MB cell once made a 15-million-character error
# box that took 19 s to draw. One problem line is at most MAX_PROBLEM_CHARS, a quoted value at most
# MAX_QUOTED_CHARS, and at most MAX_PROBLEMS lines (MAX_MESSAGE_CHARS in all) are kept, then
# "... and N more".
MAX_PROBLEMS = 20
MAX_PROBLEM_CHARS = 300
MAX_MESSAGE_CHARS = 4_000  # all the lines together
MAX_QUOTED_CHARS = 60
MAX_SOURCE_CHARS = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def shorten(text: str, limit: int) -> str:
    """`text` on one line (control characters become a space), cut to `limit` characters."""
    text = _CONTROL.sub(" ", str(text))
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def quoted(value: object, limit: int = MAX_QUOTED_CHARS) -> str:
    """repr() of a value from outside, cut to about `limit` characters with its full length named
    (only the start of a long string is ever copied)."""
    if isinstance(value, str) and len(value) > limit:
        text = _CONTROL.sub(" ", repr(value[:limit]))
        return f"{text[:-1]}…{text[-1]} ({len(value):,} characters)"
    return shorten(repr(value), limit + 2)


def cap_problems(problems: list[str]) -> list[str]:
    """One line per problem, each shortened, at most MAX_PROBLEMS of them and MAX_MESSAGE_CHARS in
    all, plus a count of the rest."""
    lines: list[str] = []
    used = 0
    for problem in problems[:MAX_PROBLEMS]:
        line = shorten(problem, MAX_PROBLEM_CHARS)
        if used + len(line) > MAX_MESSAGE_CHARS - MAX_PROBLEM_CHARS:
            break
        lines.append(line)
        used += len(line) + 2
    extra = len(problems) - len(lines)
    if extra > 0:
        lines.append(f"... and {extra:,} more")
    return lines


class ScoringInputError(ValueError):
    """Input the engine refuses; `problems` holds one human-readable line per problem, each short
    and on one line, and never more than MAX_PROBLEMS of them (plus "... and N more")."""

    def __init__(self, problems: list[str] | str, source: str = "") -> None:
        raw = [problems] if isinstance(problems, str) else [str(p) for p in problems]
        more = 0
        if len(raw) > 1 and re.fullmatch(r"\.\.\. and [\d,]+ more", raw[-1]):
            # Already capped by a caller (e.g. raise_problems): carry its count on.
            more = int(raw.pop()[8:-5].replace(",", ""))
        self.problems = cap_problems(raw)
        if more:
            if self.problems[-1].startswith("... and "):
                more += int(self.problems.pop()[8:-5].replace(",", ""))
            self.problems.append(f"... and {more:,} more")
        self.source = shorten(source, MAX_SOURCE_CHARS)
        prefix = f"{self.source}: " if self.source else ""
        super().__init__(prefix + "; ".join(self.problems))


class ConfigError(ScoringInputError):
    """A model file (config/kpis.yaml or an uploaded one) or its weights and assumptions refused."""


class DataError(ScoringInputError):
    """A data table (ranking, department table, totals, courses, manifest) refused."""


class ScenarioError(ScoringInputError):
    """A scenario (a lever, a link, a saved scenario) refused."""
