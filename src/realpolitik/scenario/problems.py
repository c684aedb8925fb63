"""Located input problems: one message per problem, pointing at file, line and field.

A user's mistake is never a traceback. Readers collect every :class:`Problem` they find and
raise one :class:`ScenarioError` carrying all of them; the CLI prints them and exits 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["Problem", "ScenarioError", "Key", "Locator", "option_problems"]

#: A problem's logical address in a scenario, e.g. ``("stance", "USA", "nk_policy", "position")``
#: or ``("actor", "USA", "capability")``. Readers map keys to file lines with a :class:`Locator`.
Key = tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One problem in the input: what is wrong and where."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    key: Key = ()

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}" if where else self.field
        return f"{where}: {self.message}" if where else self.message


class ScenarioError(ValueError):
    """Raised when an input has one or more problems; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        #: the input as read (a scenario document, possibly invalid) when a reader got that far
        self.draft: dict[str, Any] | None = None
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid scenario")


def option_problems(err: Any, prefix: str) -> ScenarioError:
    """A pydantic ``ValidationError`` of command-line options as one :class:`ScenarioError`.

    Each error becomes ``"<msg> (got <input>)"`` on field ``prefix + "<loc>"``, e.g.
    ``option_problems(err, "--param eum.")`` → field ``--param eum.rounds``.
    """
    return ScenarioError(
        Problem(f"{e['msg']} (got {e.get('input')!r})", field=prefix + ".".join(map(str, e["loc"])))
        for e in err.errors()
    )


@dataclass
class Locator:
    """Maps problem keys to (line, field) in one file; longest matching key prefix wins."""

    file: str | None = None
    lines: dict[Key, int] = field(default_factory=dict)

    def mark(self, key: Key, line: int) -> None:
        """Record that the thing addressed by ``key`` is written on ``line``."""
        self.lines.setdefault(key, line)

    def locate(self, problem: Problem) -> Problem:
        """Return ``problem`` with this file and the best-known line filled in."""
        line = problem.line
        if line is None:
            for n in range(len(problem.key), 0, -1):
                if problem.key[:n] in self.lines:
                    line = self.lines[problem.key[:n]]
                    break
        return replace(problem, file=problem.file or self.file, line=line)

    def error(self, problems: Iterable[Problem]) -> ScenarioError:
        """A :class:`ScenarioError` with every problem located in this file."""
        return ScenarioError(self.locate(p) for p in problems)
