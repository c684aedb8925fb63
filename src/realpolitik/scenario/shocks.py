"""Shocks: declarative changes to a scenario (the language of ``realpolitik whatif``).

A shock is one line of a small language (on the command line or in a YAML file)::

    USA capability *0.7            # multiply (also ×0.7), add (+5), subtract (-5), set (= 20)
    ROK position nk_policy = 20    # "on" is optional: ROK position on nk_policy = 20
    ROK salience opcon +10
    ROK capability trade = 40      # a per-issue capability
    remove China                   # the actor and its stances
    add actor EU capability 20 nk_policy=30@50 trade=60@20   # ISSUE=POSITION@SALIENCE

Relative changes (×, +, −) are clipped to the value's valid range (the issue's scale,
[0, salience scale], capability ≥ 0); a set value outside it is an error. A value's own
uncertainty range moves with it (the same map applied to its ends, then clipped).
A shocked scenario is a validated :class:`~realpolitik.scenario.Scenario` like any other:
:mod:`realpolitik.analysis.strategy.whatif` forecasts it beside the base,
:mod:`realpolitik.analysis.uncertainty.sensitivity` drops actors and issues with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .model import Actor, Issue, Scenario, Stance, Uncertainty
from .problems import Problem, ScenarioError

__all__ = ["Shock", "parse_shock", "read_shocks", "apply_shocks", "remove_actor", "remove_issue"]

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_CHANGE = re.compile(
    rf"^(?P<actor>\S+)\s+(?P<field>capability|position|salience)"
    rf"(?:\s+(?:on\s+)?(?P<issue>[^\s=*×+]+))?\s*(?P<op>[=*×+-])\s*(?P<num>{_NUM})$"
)
_ADD = re.compile(rf"^add\s+actor\s+(?P<id>\S+)\s+capability\s+(?P<cap>{_NUM})(?P<rest>.*)$")
_STANCE = re.compile(rf"^(?P<issue>[^=\s]+)=(?P<pos>{_NUM})@(?P<sal>{_NUM})$")


@dataclass(frozen=True)
class Shock:
    """One parsed shock. ``kind``: ``change``, ``remove`` or ``add``."""

    text: str
    kind: str
    actor: str
    field: str | None = None
    issue: str | None = None
    op: str | None = None
    value: float = math.nan
    new_actor: Actor | None = None
    new_stances: tuple[Stance, ...] = ()


def _bad(text: str, msg: str) -> ScenarioError:
    return ScenarioError([Problem(f"{msg}: {text!r}", field="shock")])


def parse_shock(text: str) -> Shock:
    """Parse one shock line (see the module docstring).

    Examples
    --------
    >>> parse_shock("USA capability ×0.7").op, parse_shock("ROK position on x = 20").issue
    ('*', 'x')
    >>> parse_shock("add actor EU capability 20 x=30@50").new_stances[0].position
    30.0
    """
    t = " ".join(text.split())
    if m := re.fullmatch(r"remove\s+(\S+)", t):
        return Shock(t, "remove", m.group(1))
    if m := _ADD.match(t):
        aid = m.group("id")
        stances = []
        for tok in m.group("rest").split():
            s = _STANCE.match(tok)
            if not s:
                raise _bad(text, f"expected ISSUE=POSITION@SALIENCE, got {tok!r}")
            stances.append(
                Stance(
                    actor=aid,
                    issue=s.group("issue"),
                    position=float(s.group("pos")),
                    salience=float(s.group("sal")),
                )
            )
        return Shock(
            t,
            "add",
            aid,
            new_actor=Actor(id=aid, capability=float(m.group("cap"))),
            new_stances=tuple(stances),
        )
    if m := _CHANGE.match(t):
        op = "*" if m.group("op") == "×" else m.group("op")
        return Shock(
            t,
            "change",
            m.group("actor"),
            m.group("field"),
            m.group("issue"),
            op,
            float(m.group("num")),
        )
    raise _bad(text, "not a shock (see `realpolitik whatif --help`)")


def _from_mapping(item: Mapping[str, Any]) -> Shock:
    spec = item.get("add_actor")
    if not isinstance(spec, Mapping) or "id" not in spec:
        raise _bad(str(dict(item)), "a mapping shock must be {add_actor: {id, capability, ...}}")
    aid = str(spec["id"])
    actor = Actor(
        id=aid, name=str(spec.get("name", "")), capability=float(spec.get("capability", 0))
    )
    stances = tuple(
        Stance(
            actor=aid, issue=str(iid), position=float(v["position"]), salience=float(v["salience"])
        )
        for iid, v in dict(spec.get("stances", {})).items()
    )
    return Shock(f"add actor {aid}", "add", aid, new_actor=actor, new_stances=stances)


def read_shocks(path: str | Path) -> list[Shock]:
    """Shocks from a YAML file: a list (or ``{shocks: [...]}``) of shock lines or
    ``{add_actor: {id, name, capability, stances: {ISSUE: {position, salience}}}}``."""
    import yaml

    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = doc.get("shocks", []) if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ScenarioError([Problem("expected a list of shocks", file=str(path))])
    return [_from_mapping(x) if isinstance(x, Mapping) else parse_shock(str(x)) for x in items]


def remove_actor(sc: Scenario, actor: str, drop_thin_issues: bool = False) -> Scenario:
    """The scenario without ``actor``; with ``drop_thin_issues`` also without the issues it
    leaves with fewer than two participants (else those are an error)."""
    stances = [s for s in sc.stances if s.actor != actor]
    count = {i.id: sum(s.issue == i.id for s in stances) for i in sc.issues}
    thin = {i for i, c in count.items() if c < 2}
    if thin and drop_thin_issues:
        if len(thin) == len(sc.issues):
            raise ValueError(f"without {actor} no issue keeps two participants")
        sc = remove_issue(sc, *thin)
        stances = [s for s in sc.stances if s.actor != actor]
    return sc.replace(
        actors=tuple(a for a in sc.actors if a.id != actor),
        issues=tuple(_without_veto(i, actor) for i in sc.issues),
        stances=tuple(stances),
    )


def _without_veto(issue: Issue, actor: str) -> Issue:
    """``issue`` with ``actor`` struck from its veto players; if none remain, the default
    (every participant) applies again."""
    if issue.veto is None or actor not in issue.veto:
        return issue
    rest = tuple(a for a in issue.veto if a != actor)
    return issue.model_copy(update={"veto": rest or None})


def remove_issue(sc: Scenario, *issues: str) -> Scenario:
    """The scenario without ``issues`` (their stances and their place in spaces)."""
    gone = set(issues)
    spaces = tuple(
        sp.model_copy(update={"issues": tuple(i for i in sp.issues if i not in gone)})
        for sp in sc.spaces
    )
    return sc.replace(
        issues=tuple(i for i in sc.issues if i.id not in gone),
        stances=tuple(s for s in sc.stances if s.issue not in gone),
        spaces=tuple(sp for sp in spaces if sp.issues),
    )


def _map(op: str, k: float, old: float) -> float:
    return {"=": k, "*": old * k, "+": old + k, "-": old - k}[op]


def _moved(
    u: Uncertainty | None, op: str, k: float, old: float, new: float, lim: tuple[float, float]
) -> Uncertainty | None:
    """The value's own uncertainty moved by the same change (ends mapped, then clipped)."""
    if u is None:
        return None
    shift = op == "="
    ends = [
        None
        if e is None
        else min(max(e + (new - old) if shift else _map(op, k, e), lim[0]), lim[1])
        for e in (u.low, u.high)
    ]
    lo, hi = ends if (ends[0] is None or ends[1] is None or ends[0] <= ends[1]) else ends[::-1]
    lo = None if lo is None else min(lo, new)  # rounding must not push the value outside
    hi = None if hi is None else max(hi, new)
    sd = u.sd if (u.sd is None or op != "*") else u.sd * abs(k)
    return Uncertainty(dist=u.dist, low=lo, high=hi, sd=sd if sd else None)


def _change(sc: Scenario, s: Shock) -> Scenario:
    if s.actor not in sc.actor_ids:
        raise _bad(s.text, f"unknown actor {s.actor!r}")
    if s.issue is None and s.field != "capability":
        raise _bad(s.text, f"{s.field} needs an issue")
    if s.issue is not None and s.issue not in sc.issue_ids:
        raise _bad(s.text, f"unknown issue {s.issue!r}")
    op, field = str(s.op), str(s.field)
    rel = op != "="
    if s.issue is None:  # actor capability
        a = sc.actor(s.actor)
        new = max(_map(op, s.value, a.capability), 0.0) if rel else s.value
        unc: dict[str, Uncertainty | None] = {str(k): v for k, v in a.uncertainty.items()}
        if "capability" in unc:
            unc["capability"] = _moved(
                unc["capability"], op, s.value, a.capability, new, (0.0, math.inf)
            )
        a2 = a.model_copy(update={"capability": new, "uncertainty": unc})
        return sc.replace(actors=tuple(a2 if x.id == a.id else x for x in sc.actors))
    st = sc.stance(s.actor, s.issue)
    if st is None:
        raise _bad(s.text, f"{s.actor} takes no part in {s.issue}")
    iss = sc.issue(s.issue)
    lim = {
        "position": (iss.low, iss.high),
        "salience": (0.0, float(sc.salience_scale)),
        "capability": (0.0, math.inf),
    }[field]
    old = (
        float(getattr(st, field))
        if field != "capability"
        else (sc.actor(s.actor).capability if st.capability is None else st.capability)
    )
    new = _map(op, s.value, old)
    if rel:
        new = min(max(new, lim[0]), lim[1])
    sunc: dict[str, Uncertainty | None] = {str(k): v for k, v in st.uncertainty.items()}
    if field in sunc:
        sunc[field] = _moved(sunc[field], op, s.value, old, new, lim)
    st2 = st.model_copy(update={field: new, "uncertainty": sunc})
    return sc.replace(stances=tuple(st2 if x is st else x for x in sc.stances))


def apply_shocks(scenario: Scenario, shocks: Iterable[Shock | str]) -> Scenario:
    """The scenario after the shocks, in order; a validated :class:`Scenario`."""
    sc = scenario
    for item in shocks:
        s = parse_shock(item) if isinstance(item, str) else item
        try:
            if s.kind == "remove":
                if s.actor not in sc.actor_ids:
                    raise _bad(s.text, f"unknown actor {s.actor!r}")
                sc = remove_actor(sc, s.actor)
            elif s.kind == "add":
                if s.actor in sc.actor_ids:
                    raise _bad(s.text, f"actor {s.actor!r} already exists")
                sc = sc.replace(
                    actors=(*sc.actors, s.new_actor), stances=(*sc.stances, *s.new_stances)
                )
            else:
                sc = _change(sc, s)
        except ScenarioError as e:
            raise ScenarioError(
                [Problem(f"{p.message} (shock {s.text!r})", field="shock") for p in e.problems]
            ) from None
        except ValidationError as e:  # the shocked scenario is invalid
            raise ScenarioError(
                [
                    Problem(
                        f"{x['msg'].removeprefix('Value error, ')} (shock {s.text!r})",
                        field="shock",
                    )
                    for x in e.errors()
                ]
            ) from None
    return sc
