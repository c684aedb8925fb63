"""Model parameters as form fields, generated from each model's pydantic ``Params`` schema.

Every field gets its default, its choices (``Literal``), bounds (``ge``/``le``) and help: the
field's ``description``, else the ``#:`` comment written above it in the source, else the
class docstring's ````name``: …`` sentence; :func:`params_summary` is the docstring's
first sentence, shown once per model. A submitted
form gives back ``MODEL.KEY`` → text only for values that differ from the default, the
``--param MODEL.KEY=VALUE`` form the CLI takes (the models validate them).
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any

__all__ = ["param_fields", "params_summary", "submitted_params"]

PREFIX = "param:"


@cache
def _comments(cls: type) -> dict[str, str]:
    """``#:`` comments above each field in the class bodies of ``cls`` and its bases."""
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        try:
            lines = inspect.getsource(klass).splitlines()
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        for ln in lines:
            s = ln.strip()
            if s.startswith("#:"):
                pending.append(s[2:].strip())
                continue
            m = re.match(r"([A-Za-z_]\w*)\s*:", s)
            if m and pending:
                out[m.group(1)] = " ".join(pending)
            pending = []
    doc = " ".join((inspect.getdoc(cls) or "").split())
    for m in re.finditer(r"``(\w+)``: (.+?)(?= ``\w+``: |$)", doc):  # "``name``: what it does"
        out.setdefault(m.group(1), m.group(2).replace("``", "").strip())
    return out


def params_summary(model: str) -> str:
    """The first sentence of ``model``'s ``Params`` docstring (shown above its fields)."""
    from ..models import get

    cls = get(model).Params
    doc = " ".join((inspect.getdoc(cls) or "").split())
    return doc.split(". ")[0].rstrip(".").replace("``", "") + "." if doc else ""


def _text(x: Any) -> str:
    return "" if x is None else ("true" if x is True else "false" if x is False else str(x))


@cache
def param_fields(model: str) -> tuple[dict[str, Any], ...]:
    """The form fields of ``model``'s parameters: name, kind (select/number/text), default
    (as text), choices, bounds and help."""
    from ..models import get

    cls = get(model).Params
    notes = _comments(cls)
    out = []
    for name, f in cls.model_fields.items():
        ann = f.annotation
        choices: list[str] = []
        if typing.get_origin(ann) is typing.Literal:
            choices = [_text(c) for c in typing.get_args(ann)]
        elif ann is bool:
            choices = ["true", "false"]
        bounds = {}
        for m in f.metadata:
            for key in ("ge", "gt", "le", "lt"):
                if getattr(m, key, None) is not None:
                    bounds[key] = getattr(m, key)
        kind = "select" if choices else "number" if ann in (int, float) else "text"
        out.append({"name": name, "id": f"{model}.{name}", "kind": kind,
                    "default": _text(f.default), "choices": choices,
                    "step": "1" if ann is int else "any",
                    "min": bounds.get("ge", bounds.get("gt")),
                    "max": bounds.get("le", bounds.get("lt")),
                    "help": f.description or notes.get(name, "")})
    return tuple(out)


def submitted_params(form: Mapping[str, Any], models: list[str]) -> dict[str, str]:
    """``MODEL.KEY`` → value for every parameter field of ``models`` set away from its
    default (``param:MODEL.KEY`` form fields)."""
    out: dict[str, str] = {}
    for m in models:
        for f in param_fields(m):
            value = form.get(PREFIX + f["id"])
            if value is None:
                continue
            text = str(value).strip()[:100]
            if text and text != f["default"]:
                out[f["id"]] = text
    return out
