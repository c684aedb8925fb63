"""Build a validated :class:`Scenario` from raw records, collecting every located problem.

Readers of every format parse their file into plain dicts, note the line each came from,
and hand them to :class:`ScenarioBuilder`. The builder reports *all* problems at once —
type errors per record (pydantic) and semantic ones (:func:`find_problems`) — each pointing
at file, line and field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from .model import Actor, Issue, Scenario, Source, Space, Stance
from .problems import Key, Locator, Problem, ScenarioError
from .validation import find_problems

__all__ = ["ScenarioBuilder"]


def _pydantic_problems(err: ValidationError, key: Key) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"] if x != "value")
        msg = e["msg"]
        if e["type"] == "finite_number":
            msg = "must be a finite number (got NaN or infinity)"
        elif e["type"] in ("float_parsing", "float_type"):
            msg = f"must be a number (got {e.get('input')!r})"
        elif e["type"] == "missing":
            msg = "is required but missing"
        elif e["type"] == "extra_forbidden":
            msg = "is not a known field"
        field = loc or None
        out.append(
            Problem(
                f"{field or 'value'} {msg}" if field else msg,
                field=field,
                key=(*key, loc.split(".")[0]) if loc else key,
            )
        )
    return out


class ScenarioBuilder:
    """Collects raw records with their lines; :meth:`build` validates them all together."""

    def __init__(self, file: str | None = None):
        self.locator = Locator(file=file)
        self.problems: list[Problem] = []
        self.actors: list[Actor] = []
        self.issues: list[Issue] = []
        self.stances: list[Stance] = []
        self.spaces: list[Space] = []
        self.sources: list[Source] = []
        self._failed: dict[str, set[str]] = {"actor": set(), "issue": set()}
        #: every record as read, valid or not: what an editor opens to fix a file's problems
        self.raw: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("actors", "issues", "stances", "spaces", "sources")}

    def problem(self, message: str, line: int | None = None, field: str | None = None) -> None:
        """Record a problem the reader itself found (syntax, layout, encoding…)."""
        self.problems.append(Problem(message, file=self.locator.file, line=line, field=field))

    def _add(
        self, cls: type[BaseModel], raw: dict[str, Any], key: Key, line: int | None, into: list[Any]
    ) -> None:
        if line is not None:
            if self.locator.lines.get(key, line) != line:  # a second record with this id
                self.locator.mark((*key, "duplicate"), line)
            self.locator.mark(key, line)
        try:
            into.append(cls.model_validate(raw))
        except ValidationError as err:
            if key[0] in self._failed:
                self._failed[key[0]].add(key[1])
            self.problems.extend(self.locator.locate(p) for p in _pydantic_problems(err, key))

    def actor(self, raw: dict[str, Any], line: int | None = None) -> None:
        self.raw["actors"].append(raw)
        self._add(Actor, raw, ("actor", str(raw.get("id"))), line, self.actors)

    def issue(self, raw: dict[str, Any], line: int | None = None) -> None:
        self.raw["issues"].append(raw)
        self._add(Issue, raw, ("issue", str(raw.get("id"))), line, self.issues)

    def stance(self, raw: dict[str, Any], line: int | None = None) -> None:
        self.raw["stances"].append(raw)
        key = ("stance", str(raw.get("actor")), str(raw.get("issue")))
        self._add(Stance, raw, key, line, self.stances)

    def space(self, raw: dict[str, Any], line: int | None = None) -> None:
        self.raw["spaces"].append(raw)
        self._add(Space, raw, ("space", str(raw.get("id"))), line, self.spaces)

    def source(self, raw: dict[str, Any], line: int | None = None) -> None:
        self.raw["sources"].append(raw)
        self._add(Source, raw, ("source", str(raw.get("id"))), line, self.sources)

    def mark(self, key: Key, line: int) -> None:
        self.locator.mark(key, line)

    def _consequential(self, p: Problem, bad_scale: bool) -> bool:
        """True for a semantic problem that only echoes one already reported (noise)."""
        failed = bool(self.problems)
        if "participating actor" in p.message and (failed or not self.actors):
            return True
        if p.key[:1] == ("stance",) and len(p.key) >= 3:
            if p.field == "actor" and (
                p.key[1] in self._failed["actor"] or (failed and not self.actors)
            ):
                return True
            if p.field == "issue" and (
                p.key[2] in self._failed["issue"] or (failed and not self.issues)
            ):
                return True
        if (
            p.key in (("actors",), ("issues",))
            and (  # e.g. no row could be read
                self._failed[p.key[0][:-1]]
                or any(q.field in (p.field, None) for q in self.problems)
            )
        ):
            return True
        return bad_scale and p.field == "salience" and "salience scale" in p.message

    def build(self, **fields: Any) -> Scenario:
        """Validate everything collected; raise one :class:`ScenarioError` listing all problems
        (its ``draft`` holds the records as read, for an editor to open and fix)."""
        try:
            return self._build(dict(fields))
        except ScenarioError as e:
            e.draft = {**fields, **self.raw}
            raise

    def _build(self, fields: dict[str, Any]) -> Scenario:
        fields.setdefault("name", "")
        bad_scale = fields.get("salience_scale") not in (1, 100)
        self.locator.mark(("salience_scale",), 1)  # undeclared: the file's first line
        if bad_scale:
            if not any(p.field == "salience_scale" for p in self.problems):
                self.problems.append(
                    self.locator.locate(
                        Problem(
                            "salience_scale must be 1 or 100 "
                            f"(got {fields.get('salience_scale')!r})",
                            field="salience_scale",
                            key=("salience_scale",),
                        )
                    )
                )
            fields["salience_scale"] = 1
        parts: dict[str, Any] = dict(
            actors=tuple(self.actors),
            issues=tuple(self.issues),
            stances=tuple(self.stances),
            spaces=tuple(self.spaces),
            sources=tuple(self.sources),
        )
        draft = Scenario.model_construct(**fields, **parts)
        found = [p for p in find_problems(draft) if not self._consequential(p, bad_scale)]
        for whole in (("actors",), ("issues",)):  # file-level problems: the file's first line
            self.locator.mark(whole, 1)
        problems = self.problems + [self.locator.locate(p) for p in found]
        if problems:
            raise ScenarioError(problems)
        try:
            return Scenario(**fields, **parts)
        except ValidationError as err:
            raise ScenarioError(
                self.locator.locate(p) for p in _pydantic_problems(err, ("scenario",))
            ) from None
