"""The values of a scenario still to review: those a machine drafted (``draft: true``).

``realpolitik draft`` marks every value it proposes with ``draft: true`` in its provenance;
the analyst clears the flag (or deletes it) once the value is checked. ``validate`` lists what
is left, so a drafted scenario can run but never passes for a reviewed one unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Provenance, Scenario

__all__ = ["DraftedValue", "drafted_values"]


@dataclass(frozen=True)
class DraftedValue:
    """One drafted value: where it sits (``actor USA capability``) and how it was drafted."""

    where: str
    method: str

    def __str__(self) -> str:
        return f"{self.where} ({self.method})" if self.method else self.where


def _items(where: str, prov: dict[str, Provenance]) -> list[DraftedValue]:
    return [
        DraftedValue(f"{where} {field}", p.method or "")
        for field, p in prov.items()
        if p.draft and not field.startswith("evidence")
    ]


def drafted_values(sc: Scenario) -> list[DraftedValue]:
    """Every value whose provenance says ``draft: true``, in file order."""
    out: list[DraftedValue] = []
    for a in sc.actors:
        out += _items(f"actor {a.id}", a.provenance)
    for i in sc.issues:
        out += _items(f"issue {i.id}", i.provenance)
    for s in sc.stances:
        out += _items(f"stance {s.actor} on {s.issue}", s.provenance)
    return out
