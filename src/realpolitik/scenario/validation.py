"""Semantic validation of a scenario: every problem, each with a key a reader can locate.

Type errors (a position that is not a number, a missing field) are pydantic's job, per record;
this module checks what only the whole scenario can tell: ids that repeat or are unknown,
values outside their scales, issues with too few participants, uncertainty ranges that do not
contain their value. :class:`~realpolitik.scenario.Scenario` runs it on construction;
:class:`~realpolitik.scenario.build.ScenarioBuilder` runs it on a draft to report everything
at once, located in the input file.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .problems import Problem

if TYPE_CHECKING:  # types only: the model imports this module to validate on construction
    from .model import Issue, Scenario, Uncertainty

__all__ = ["find_problems", "find_warnings", "is_number"]


def _dupes(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in ids if x in seen or seen.add(x)]  # type: ignore[func-returns-value]


def find_warnings(sc: Scenario) -> list[Problem]:
    """Things that are valid but probably a mistake (the user is told, the run goes on).

    A salience scale of 100 whose every salience is at most 1 reads like 0–1 saliences
    declared on the wrong scale: each would count as at most 1 % of the actor's attention.
    """
    sal = [s.salience for s in sc.stances]
    if sc.salience_scale == 100 and sal and max(sal) <= 1 and any(x > 0 for x in sal):
        return [
            Problem(
                f"salience scale is 100 but every salience is at most 1 (largest "
                f"{max(sal):g}): if saliences are on 0–1, declare salience_scale: 1",
                field="salience_scale",
                key=("salience_scale",),
            )
        ]
    return []


def find_problems(sc: Scenario) -> list[Problem]:
    """Every semantic problem in a scenario, each with a key a reader can locate.

    Checks: duplicate and unknown ids, capability ≥ 0, scale low < high, positions and status
    quo inside the scale, salience inside the declared scale, at least two participants per
    issue, spaces referring to known issues, veto players who are participants.
    """
    out: list[Problem] = []
    if not sc.actors:
        out.append(Problem("the scenario has no actors", field="actors", key=("actors",)))
    if not sc.issues:
        out.append(Problem("the scenario has no issues", field="issues", key=("issues",)))
    for d in _dupes([a.id for a in sc.actors]):
        out.append(Problem(f"duplicate actor id {d!r}", field="id", key=("actor", d, "duplicate")))
    for d in _dupes([i.id for i in sc.issues]):
        out.append(Problem(f"duplicate issue id {d!r}", field="id", key=("issue", d, "duplicate")))
    for a in sc.actors:
        for u in a.uncertainty.values():
            out.extend(
                _uncertainty_problems(
                    u,
                    a.capability,
                    (0.0, math.inf),
                    f"capability of {a.id!r}",
                    ("actor", a.id, "capability"),
                )
            )
        if a.capability < 0:
            out.append(
                Problem(
                    f"capability of {a.id!r} is negative ({a.capability:g})",
                    field="capability",
                    key=("actor", a.id, "capability"),
                )
            )
    issues = {i.id: i for i in sc.issues}
    for i in sc.issues:
        if not i.low < i.high:
            out.append(
                Problem(
                    f"issue {i.id!r}: scale low ({i.low:g}) must be below high ({i.high:g})",
                    field="scale",
                    key=("issue", i.id, "scale"),
                )
            )
        for name, v in (
            ("status_quo", i.status_quo),
            ("outcome", i.outcome.value if i.outcome else None),
        ):
            if v is not None and i.low < i.high and not i.low <= v <= i.high:
                out.append(
                    Problem(
                        f"issue {i.id!r}: {name} {v:g} is outside the scale "
                        f"[{i.low:g}, {i.high:g}]",
                        field=name,
                        key=("issue", i.id, name),
                    )
                )
    out.extend(_stance_problems(sc, issues))
    out.extend(_veto_problems(sc))
    for sp in sc.spaces:
        for iid in sp.issues:
            if iid not in issues:
                out.append(
                    Problem(
                        f"space {sp.id!r} names unknown issue {iid!r}",
                        field="issues",
                        key=("space", sp.id),
                    )
                )
    return out


def _veto_problems(sc: Scenario) -> list[Problem]:
    """A declared veto must name participants of its issue, each once, and at least one."""
    out: list[Problem] = []
    actor_ids = {a.id for a in sc.actors}
    for i in sc.issues:
        if i.veto is None:
            continue
        key = ("issue", i.id, "veto")
        present = {s.actor for s in sc.stances if s.issue == i.id}
        if not i.veto:
            out.append(Problem(f"issue {i.id!r}: veto lists no actor (omit it to give every "
                               "participant a veto)", field="veto", key=key))
        for d in _dupes(list(i.veto)):
            out.append(Problem(f"issue {i.id!r}: veto names {d!r} twice", field="veto", key=key))
        for a in dict.fromkeys(i.veto):
            if a not in actor_ids:
                out.append(Problem(f"issue {i.id!r}: veto names unknown actor {a!r}",
                                   field="veto", key=key))
            elif a not in present:
                out.append(Problem(f"issue {i.id!r}: veto player {a!r} takes no stance on "
                                   "this issue", field="veto", key=key))
    return out


def _uncertainty_problems(
    u: Uncertainty, value: float | None, lim: tuple[float, float], what: str, key: tuple[str, ...]
) -> list[Problem]:
    out = []
    if value is None:
        return [
            Problem(f"uncertainty given for {what}, which has no value", field=key[-1], key=key)
        ]
    if u.low is not None and u.high is not None and not u.low <= value <= u.high:
        out.append(
            Problem(
                f"{what}: range [{u.low:g}, {u.high:g}] does not contain the coded value {value:g}",
                field=key[-1],
                key=key,
            )
        )
    for bound in (u.low, u.high):
        if bound is not None and not lim[0] <= bound <= lim[1]:
            out.append(
                Problem(
                    f"{what}: range bound {bound:g} is outside the valid range "
                    f"[{lim[0]:g}, {lim[1]:g}]",
                    field=key[-1],
                    key=key,
                )
            )
            break
    return out


def _stance_problems(sc: Scenario, issues: dict[str, Issue]) -> list[Problem]:
    out: list[Problem] = []
    actor_ids = {a.id for a in sc.actors}
    dup_actors = set(_dupes([a.id for a in sc.actors]))
    dup_issues = set(_dupes([i.id for i in sc.issues]))
    seen: set[tuple[str, str]] = set()
    count: dict[str, int] = dict.fromkeys(issues, 0)
    for s in sc.stances:
        key = ("stance", s.actor, s.issue)
        if s.actor not in actor_ids:
            out.append(Problem(f"unknown actor {s.actor!r}", field="actor", key=key))
        if s.issue not in issues:
            out.append(Problem(f"unknown issue {s.issue!r}", field="issue", key=key))
            continue
        if (s.actor, s.issue) in seen and s.actor not in dup_actors and s.issue not in dup_issues:
            # (a duplicate actor or issue id is reported once, not once per stance)
            out.append(
                Problem(f"duplicate stance of {s.actor!r} on {s.issue!r}", key=(*key, "duplicate"))
            )
        seen.add((s.actor, s.issue))
        count[s.issue] += 1
        i = issues[s.issue]
        if i.low < i.high and not i.low <= s.position <= i.high:
            out.append(
                Problem(
                    f"position {s.position:g} of {s.actor!r} on {s.issue!r} is "
                    f"outside the issue's scale [{i.low:g}, {i.high:g}]",
                    field="position",
                    key=(*key, "position"),
                )
            )
        if not 0 <= s.salience <= sc.salience_scale:
            out.append(
                Problem(
                    f"salience {s.salience:g} of {s.actor!r} on {s.issue!r} is "
                    f"outside the declared salience scale [0, {sc.salience_scale}]",
                    field="salience",
                    key=(*key, "salience"),
                )
            )
        for f, u in s.uncertainty.items():
            value = s.capability if f == "capability" else getattr(s, f)
            lim = {
                "position": (i.low, i.high),
                "salience": (0.0, float(sc.salience_scale)),
                "capability": (0.0, math.inf),
            }[f]
            out.extend(
                _uncertainty_problems(
                    u, value, lim, f"{f} of {s.actor!r} on {s.issue!r}", (*key, f)
                )
            )
        if s.capability is not None and s.capability < 0:
            out.append(
                Problem(
                    f"capability {s.capability:g} of {s.actor!r} on {s.issue!r} is negative",
                    field="capability",
                    key=(*key, "capability"),
                )
            )
    for iid, c in count.items():
        if c < 2:
            out.append(
                Problem(
                    f"issue {iid!r} has {c} participating actor(s); at least two are needed",
                    field="stances",
                    key=("issue", iid),
                )
            )
    return out


def is_number(x: Any) -> bool:
    """True for a real, finite number (bool excluded)."""
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
