"""Errors raised at the edge of the engine: bad config, bad tables, bad scenario input."""

from __future__ import annotations


class ScoringInputError(ValueError):
    """Input the engine refuses; `problems` holds one human-readable line per problem."""

    def __init__(self, problems: list[str] | str, source: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__(prefix + "; ".join(self.problems))
