"""The model registry: names → model classes. ``@register`` a class to make it available."""

from __future__ import annotations

from typing import Any, TypeVar

from .base import Model

__all__ = ["register", "get", "create", "names", "UnknownModel"]

_REGISTRY: dict[str, type[Model]] = {}
M = TypeVar("M", bound=type[Model])


class UnknownModel(KeyError):
    """A model name that is not registered."""

    def __str__(self) -> str:
        return f"unknown model {self.args[0]!r}; known: {', '.join(names())}"


def register(cls: M) -> M:
    """Class decorator: register ``cls`` under ``cls.name`` (names are unique)."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"model name {cls.name!r} is already registered")
    _REGISTRY[cls.name] = cls
    return cls


def get(name: str) -> type[Model]:
    """The model class registered as ``name``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownModel(name) from None


def create(name: str, **params: Any) -> Model:
    """An instance of model ``name`` with validated parameters."""
    return get(name)(**params)


def names(static_only: bool = False) -> list[str]:
    """Registered model names in registration order."""
    return [n for n, c in _REGISTRY.items() if not (static_only and c.dynamic)]
