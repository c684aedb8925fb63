"""Writing realpolitik's native YAML (the format :mod:`.native_yaml` reads): provenance and
uncertainty kept on every value, short records on one line, so a round trip loses nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from ..model import Provenance, Scenario
from .native_yaml import FORMAT_VERSION

__all__ = ["dumps_yaml"]



def _with_prov(
    value: Any, prov: dict[str, Provenance], field: str, unc: Mapping[Any, Any] | None = None
) -> Any:
    p = prov.get(field)
    u = (unc or {}).get(field)
    if p is None and u is None:
        return value
    out: dict[str, Any] = {"value": value}
    if p is not None:
        out.update(p.model_dump(exclude_none=True))
    if u is not None:
        d = u.model_dump(exclude_none=True, exclude_defaults=True)
        if "low" in d or "high" in d:
            out["range"] = [d.pop("low", None), d.pop("high", None)]
        if u.dist != "uniform":
            out["dist"] = u.dist
        out.update(d)
    return out


def _to_doc(sc: Scenario) -> dict[str, Any]:
    doc: dict[str, Any] = {"realpolitik": FORMAT_VERSION, "name": sc.name}
    if sc.description:
        doc["description"] = sc.description
    if sc.date:
        doc["date"] = sc.date
    doc["salience_scale"] = sc.salience_scale
    if sc.sources:
        doc["sources"] = [s.model_dump(exclude_defaults=True) for s in sc.sources]
    doc["actors"] = [_actor_doc(a) for a in sc.actors]
    doc["issues"] = [_issue_doc(i) for i in sc.issues]
    if sc.spaces:
        doc["spaces"] = [
            {"id": s.id, **({"name": s.name} if s.name else {}), "issues": list(s.issues)}
            for s in sc.spaces
        ]
    stances: dict[str, dict[str, Any]] = {}
    for s in sc.stances:
        rec: dict[str, Any] = {}
        if "stance" in s.provenance:
            rec.update(s.provenance["stance"].model_dump(exclude_none=True))
        rec["position"] = _with_prov(s.position, s.provenance, "position", s.uncertainty)
        rec["salience"] = _with_prov(s.salience, s.provenance, "salience", s.uncertainty)
        if s.capability is not None:
            rec["capability"] = _with_prov(s.capability, s.provenance, "capability", s.uncertainty)
        other = {
            k: v.model_dump(exclude_none=True)
            for k, v in s.provenance.items()
            if k not in ("stance", "position", "salience", "capability")
        }
        if other:
            rec["provenance"] = other
        stances.setdefault(s.actor, {})[s.issue] = rec
    doc["stances"] = stances
    defaults = sc.uncertainty.model_dump(exclude_defaults=True)
    if defaults:
        doc["uncertainty"] = defaults
    if sc.meta:
        doc["meta"] = sc.meta
    return doc


def _actor_doc(a: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"id": a.id}
    if a.name:
        d["name"] = a.name
    d["capability"] = _with_prov(a.capability, a.provenance, "capability", a.uncertainty)
    if a.groups:
        d["groups"] = list(a.groups)
    if a.country:
        d["country"] = a.country
    if a.notes:
        d["notes"] = a.notes
    other = {
        k: v.model_dump(exclude_none=True) for k, v in a.provenance.items() if k != "capability"
    }
    if other:
        d["provenance"] = other
    return d


def _issue_doc(i: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"id": i.id}
    for f in ("name", "description"):
        if getattr(i, f):
            d[f] = getattr(i, f)
    d["scale"] = [i.low, i.high]
    for f in ("low_label", "high_label"):
        if getattr(i, f):
            d[f] = getattr(i, f)
    if i.anchors:
        d["anchors"] = dict(i.anchors)
    if i.tags:
        d["tags"] = list(i.tags)
    if i.status_quo is not None:
        d["status_quo"] = _with_prov(i.status_quo, i.provenance, "status_quo")
    if i.veto is not None:
        d["veto"] = list(i.veto)
    if i.outcome is not None:
        d["outcome"] = i.outcome.model_dump(exclude_none=True)
    other = {
        k: v.model_dump(exclude_none=True) for k, v in i.provenance.items() if k != "status_quo"
    }
    if other:
        d["provenance"] = other
    return d


def _short_scalar(v: Any) -> bool:
    return isinstance(v, int | float | bool) or v is None or (isinstance(v, str) and len(v) < 24)


class _Dumper(yaml.SafeDumper):
    """Short lists and small mappings of short scalars on one line: ``scale: [0, 100]``."""

    def represent_list(self, data: Any) -> yaml.SequenceNode:
        flow = len(data) <= 6 and all(_short_scalar(v) for v in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    def represent_dict(self, data: Any) -> yaml.MappingNode:
        flow = len(data) <= 4 and all(_short_scalar(v) for v in data.values())
        return self.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(list, _Dumper.represent_list)
_Dumper.add_representer(dict, _Dumper.represent_dict)


def dumps_yaml(sc: Scenario) -> str:
    """The scenario as native YAML text (reads back to an equal scenario)."""
    return yaml.dump(_to_doc(sc), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
