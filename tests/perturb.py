"""Inputs one ulp away and the cases the tie-rule property tests run on (issue 13).

Import as ``from perturb import nudge, load_case`` (``tests/`` is on pytest's pythonpath).
A discrete choice must not hinge on the last bit of a float: the SMP and exchange tests run
every shipped case as is and with every input moved by one ulp (``np.nextafter``), and
require the same decisions.
"""

from __future__ import annotations

import numpy as np

from realpolitik.scenario import Scenario
from realpolitik.scenario.io import load

from shared_data import REPO, shared

#: The shipped example scenarios (``issues-*.yaml`` are issue lists for ``draft``, not scenarios).
EXAMPLES = sorted(p for p in (REPO / "examples").glob("*.yaml")
                  if not p.name.startswith("issues-"))


def _ulp(v: float, toward: float) -> float:
    return float(np.nextafter(v, toward)) if v != toward else v


def nudge(sc: Scenario, direction: float) -> Scenario:
    """Every position, salience and capability one ulp away: positions toward the issue's
    middle (so they stay on the scale), saliences toward 0.5, capabilities up (``direction``
    +1) or down (−1)."""
    issues = {i.id: i for i in sc.issues}
    stances = []
    for st in sc.stances:
        mid = (issues[st.issue].low + issues[st.issue].high) / 2
        upd = {"position": _ulp(st.position, mid), "salience": _ulp(st.salience, 0.5)}
        if st.salience == 0:
            upd.pop("salience")
        if st.capability is not None:
            upd["capability"] = _ulp(st.capability, direction * np.inf)
        stances.append(st.model_copy(update=upd))
    actors = [a.model_copy(update={"capability": _ulp(a.capability, direction * np.inf)})
              for a in sc.actors]
    return sc.model_copy(update={"stances": stances, "actors": actors})


def new_names(sc: Scenario, seed: int) -> dict[str, str]:
    """The random bijection :func:`relabel` renames the actors by (old id → new id)."""
    ids = [a.id for a in sc.actors]
    perm = np.random.default_rng(seed).permutation(len(ids))
    return dict(zip(ids, (f"a{k:03d}" for k in perm), strict=True))


def relabel(sc: Scenario, seed: int) -> Scenario:
    """The same scenario with every actor renamed through a random bijection (ids ``a000`` …
    in a shuffled order, so sorting by id orders the actors differently) and the actors listed
    in another random order; stances and vetoes follow the new names. Nothing a model may use
    changes but the names and the order."""
    new = new_names(sc, seed)
    order = np.random.default_rng(seed + 1).permutation(len(sc.actors))
    actors = [sc.actors[k].model_copy(update={"id": new[sc.actors[k].id]}) for k in order]
    stances = [st.model_copy(update={"actor": new[st.actor]}) for st in sc.stances]
    issues = [i if i.veto is None else i.model_copy(update={"veto": tuple(new[v] for v in i.veto)})
              for i in sc.issues]
    return Scenario.model_validate({**sc.model_dump(), "actors": [a.model_dump() for a in actors],
                                    "stances": [st.model_dump() for st in stances],
                                    "issues": [i.model_dump() for i in issues]})


def load_case(kind: str, name: str) -> Scenario:
    """A shipped example (``kind="example"``, file name under ``examples/``) or a case under
    ``../shared/data/cases/<kind>/`` (skips when ../shared is absent)."""
    if kind == "example":
        return load(REPO / "examples" / name)
    return load(shared("data", "cases", kind, name))
