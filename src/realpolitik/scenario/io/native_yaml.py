"""realpolitik's native YAML format: human-friendly, every number traceable.

Any number may be written plain (``capability: 100``) or with provenance
(``capability: {value: 100, source: seed-2003, quote: "..."}``). Stances are nested by
actor, then issue; a stance's own ``source``/``quote``/``note`` apply to the whole stance.
Parsed with PyYAML's safe loader (no code execution). See the README for a full example;
:mod:`.native_yaml_write` writes the format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..build import ScenarioBuilder
from ..model import Scenario
from ..problems import Problem, ScenarioError
from .common import MAX_DEPTH, read_text

__all__ = ["read_yaml", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_PROV_KEYS = ("source", "quote", "note", "line", "method", "draft")
_UNC_KEYS = ("range", "dist", "sd")


class _LineDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """Safe loader that remembers the line of every mapping and of each of its keys.

    It also bounds the input's power over the parser: nesting deeper than ``MAX_DEPTH`` is
    refused while composing (PyYAML composes and constructs recursively), and a scalar the
    constructors cannot convert (a 5,000-digit integer, a date with month 13) becomes a
    located :class:`~yaml.constructor.ConstructorError` instead of a bare ``ValueError``.
    """

    duplicates: list[tuple[Any, int]]
    depth: int = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as e:
            if isinstance(e, yaml.YAMLError):
                raise
            why = str(e).split(";")[0]  # drop Python's advice (sys.set_int_max_str_digits)
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r:.40}: {why}", node.start_mark
            ) from None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    d = _LineDict(loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for key_node, _ in node.value:
        try:
            key = loader.construct_object(key_node, deep=True)
            hash(key)
        except (yaml.YAMLError, TypeError):
            continue
        line = key_node.start_mark.line + 1
        if key in d.key_lines and key != "<<":  # PyYAML would silently keep the last value
            loader.__dict__.setdefault("duplicates", []).append((key, line))
        d.key_lines.setdefault(key, line)
    return d


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(obj: Any, key: Any = None) -> int | None:
    """The line of a parsed mapping, or of one of its keys if given and known."""
    if key is not None and key in getattr(obj, "key_lines", {}):
        return int(obj.key_lines[key])
    return getattr(obj, "line", None)


def _mark_fields(b: ScenarioBuilder, key: tuple[str, ...], raw: Any) -> None:
    """Note the line of each field of a record, so problems point at the field's own line."""
    for k, ln in getattr(raw, "key_lines", {}).items():
        b.mark((*key, str(k)), ln)


def _mapping(b: ScenarioBuilder, value: Any, what: str, line: int | None) -> dict[str, Any]:
    """``value`` as a dict; a located problem (and ``{}``) if it is not a mapping."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return dict(value)
    b.problem(f"{what} must be a mapping, got {value!r}", line=line, field=what)
    return {}


def _split_value(
    raw: Any, field: str, prov: dict[str, Any], unc: dict[str, Any] | None = None
) -> Any:
    """``{value: x, source: .., range: [lo, hi], dist: ..}`` → x; provenance and uncertainty
    are recorded under ``field``."""
    if isinstance(raw, dict) and "value" in raw:
        extra = {k: v for k, v in raw.items() if k in _PROV_KEYS}
        if extra:
            prov[field] = extra
        u = {k: v for k, v in raw.items() if k in _UNC_KEYS}
        if u and unc is not None:
            rng = u.pop("range", None)
            if isinstance(rng, list) and len(rng) == 2:
                u["low"], u["high"] = rng
            elif rng is not None:
                u["range"] = rng  # reported as an unknown field by validation
            unc[field] = u
        return raw["value"]
    return raw


def read_yaml(path: str | Path) -> Scenario:
    """Read a native YAML scenario; raises :class:`ScenarioError` listing every problem."""
    name = str(path)
    text = read_text(path)
    loader = None
    try:
        loader = _Loader(text)  # a SafeLoader: no Python objects, no code execution
        doc = loader.get_single_data()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        msg = getattr(e, "problem", None) or str(e)
        if isinstance(e, yaml.reader.ReaderError):  # a control character, located by offset
            line = text.count("\n", 0, e.position) + 1
            msg = f"control character U+{e.character:04X} is not allowed in YAML" if isinstance(
                e.character, int) else str(e.reason)
        if "could not determine a constructor for the tag" in msg:
            msg = (
                f"tag {msg.split('tag', 1)[1].strip()} is not allowed: realpolitik reads "
                "plain YAML only (no Python objects, no code)"
            )
        raise ScenarioError([Problem(f"not valid YAML: {msg}", file=name, line=line)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(doc, dict):
        raise ScenarioError(
            [Problem("expected a YAML mapping with actors, issues and stances", file=name, line=1)]
        )
    b = ScenarioBuilder(name)
    for key, ln in getattr(loader, "duplicates", []):
        b.problem(
            f"duplicate key {key!r} (YAML would silently keep only the last one)",
            line=ln,
            field=str(key),
        )
    for key in ("actors", "issues", "stances"):
        if key not in doc:
            b.problem(f"missing section {key!r}", line=1, field=key)
    known = {
        "realpolitik",
        "name",
        "description",
        "date",
        "salience_scale",
        "sources",
        "actors",
        "issues",
        "spaces",
        "stances",
        "uncertainty",
        "meta",
    }
    for key in doc:
        b.mark((str(key),), _line(doc, key) or 1)
        b.mark(("scenario", str(key)), _line(doc, key) or 1)
        if key not in known:
            b.problem(
                f"unknown section {key!r} (known: {', '.join(sorted(known))})",
                line=_line(doc, key),
                field=str(key),
            )
    for src in _records(b, doc, "sources"):
        b.source(dict(src), _line(src))
    for a in _records(b, doc, "actors"):
        _read_actor(b, a)
    for i in _records(b, doc, "issues"):
        _read_issue(b, i)
    for sp in _records(b, doc, "spaces"):
        b.space(dict(sp), _line(sp))
    _read_stances(b, doc.get("stances"), _line(doc, "stances"))
    meta = _mapping(b, doc.get("meta"), "meta", _line(doc, "meta"))
    unc = _mapping(b, doc.get("uncertainty"), "uncertainty", _line(doc, "uncertainty"))
    return b.build(
        name=doc.get("name", Path(name).stem),
        description=doc.get("description", ""),
        salience_scale=doc.get("salience_scale"),
        meta=meta,
        date=None if doc.get("date") is None else str(doc["date"]),
        **({"uncertainty": unc} if unc else {}),
    )


def _records(b: ScenarioBuilder, doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        b.problem(f"section {key!r} must be a list", line=_line(doc, key), field=key)
        return []
    good = []
    for n, item in enumerate(items):
        if isinstance(item, dict):
            good.append(item)
        else:
            b.problem(
                f"{key}[{n}] must be a mapping, got {item!r}", line=_line(doc, key), field=key
            )
    return good


def _read_actor(b: ScenarioBuilder, raw: dict[str, Any]) -> None:
    a = dict(raw)
    prov = _mapping(b, a.pop("provenance", None), "provenance", _line(raw, "provenance"))
    _mark_fields(b, ("actor", str(a.get("id"))), raw)
    if "capability" in a:  # (if absent, the model reports it as missing)
        unc: dict[str, Any] = {}
        a["capability"] = _split_value(a["capability"], "capability", prov, unc)
        if unc:
            a["uncertainty"] = unc
    if isinstance(a.get("groups"), str):
        a["groups"] = [a["groups"]]
    a["provenance"] = prov
    b.actor(a, _line(raw))


def _read_issue(b: ScenarioBuilder, raw: dict[str, Any]) -> None:
    i = dict(raw)
    prov = _mapping(b, i.pop("provenance", None), "provenance", _line(raw, "provenance"))
    _mark_fields(b, ("issue", str(i.get("id"))), raw)
    for f in ("low", "high"):
        if "scale" in raw:
            b.mark(("issue", str(i.get("id")), f), _line(raw, "scale") or _line(raw) or 1)
    scale = i.pop("scale", None)
    if scale is not None:
        if isinstance(scale, list) and len(scale) == 2:
            i["low"], i["high"] = scale
        else:
            b.problem(
                f"issue {i.get('id')!r}: scale must be [low, high], got {scale!r}",
                line=_line(raw, "scale"),
                field="scale",
            )
    if "status_quo" in i:
        i["status_quo"] = _split_value(i["status_quo"], "status_quo", prov)
    i["provenance"] = prov
    b.issue(i, _line(raw))


def _read_stances(b: ScenarioBuilder, stances: Any, line: int | None) -> None:
    if stances is None:
        return
    if not isinstance(stances, dict):
        b.problem(
            "section 'stances' must map actor id → issue id → {position, salience}",
            line=line,
            field="stances",
        )
        return
    for actor, by_issue in stances.items():
        if not isinstance(by_issue, dict):
            b.problem(
                f"stances of {actor!r} must map issue id → {{position, salience}}",
                line=_line(stances, actor),
                field=str(actor),
            )
            continue
        for issue, rec in by_issue.items():
            line = _line(rec) or _line(by_issue)
            if not isinstance(rec, dict):
                b.problem(
                    f"stance of {actor!r} on {issue!r} must be a mapping with position "
                    f"and salience, got {rec!r}",
                    line=line,
                    field=f"{actor}.{issue}",
                )
                continue
            s = {k: v for k, v in rec.items() if k not in _PROV_KEYS}
            prov = _mapping(b, s.pop("provenance", None), "provenance", _line(rec, "provenance"))
            _mark_fields(b, ("stance", str(actor), str(issue)), rec)
            whole = {k: rec[k] for k in _PROV_KEYS if k in rec}
            if whole:
                prov["stance"] = whole
            unc: dict[str, Any] = {}
            for f in ("position", "salience", "capability"):
                if f in s:
                    s[f] = _split_value(s[f], f, prov, unc)
            if unc:
                s["uncertainty"] = unc
            b.stance({"actor": str(actor), "issue": str(issue), **s, "provenance": prov}, line)
