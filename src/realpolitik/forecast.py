"""Run one or several models on a scenario and keep everything needed to reproduce it.

A :class:`Forecast` is the record: per model and issue the outcome (and per-round
trajectories for dynamic models), plus the scenario's content hash, every model's parameters,
the seed and the engine version. ``to_dict`` gives the JSON contract documented in
``docs/json-schema.md``; ``to_frame`` a tidy DataFrame.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import ValidationError

from ._version import __version__
from .jsonsafe import jsonable
from .models import ModelResult, UnknownModel, create, get, names
from .scenario import Problem, Scenario, ScenarioError
from .scenario.problems import option_problems

if TYPE_CHECKING:
    import pandas as pd  # imported where a frame is built: it is slow to import

__all__ = [
    "Forecast",
    "forecast",
    "split_params",
    "default_models",
    "default_draw_models",
    "default_sets",
    "SCHEMA",
    "DEFAULT_SEED",
    "DEFAULT_MODELS",
]

SCHEMA = "realpolitik.forecast/1"

#: The seed every command and function uses unless told otherwise (0 is a seed).
DEFAULT_SEED = 0

#: What a forecast runs by default: the two reference models analysts read first, the three
#: strategic models the project exists for, and the Nash bargaining solution (only where a
#: status quo gives it a disagreement point; a veto that pins it is flagged, not hidden).
DEFAULT_MODELS = ("compromise", "median", "eum", "exchange", "smp", "nash")


def default_models(scenario: Scenario, dynamic: bool = True) -> list[str]:
    """The models a forecast of ``scenario`` runs when none are named.

    ``dynamic=False`` gives every registered static model instead (the cheap set Monte Carlo
    runs by default). Models that need a status quo are left out when no issue codes one.
    """
    return _defaults(dynamic, any(i.status_quo is not None for i in scenario.issues))


def _defaults(dynamic: bool, has_status_quo: bool) -> list[str]:
    pool = DEFAULT_MODELS if dynamic else names(static_only=True)
    return [m for m in pool if has_status_quo or not get(m).needs_status_quo]


def default_draw_models(scenario: Scenario) -> list[str]:
    """The models ``forecast --draws`` runs when none are named: every static model (what
    Monte Carlo ran by default until the strategic models' draws were batched), then the
    point forecast's other models (EUM, exchange, SMP) — the static ones keep their place, so
    a ``--draws`` record only gains entries."""
    static = default_models(scenario, dynamic=False)
    return static + [m for m in default_models(scenario) if m not in static]


def default_sets() -> list[list[str]]:
    """Every list :func:`default_models` and :func:`default_draw_models` can give, whatever
    the scenario."""
    out = [_defaults(d, sq) for d in (True, False) for sq in (True, False)]
    for sq in (True, False):
        static = _defaults(False, sq)
        out.append(static + [m for m in _defaults(True, sq) if m not in static])
    return out


def model_rng(seed: int, model: str) -> np.random.Generator:
    """The generator a model gets: independent of which other models run, and of their order."""
    return np.random.default_rng(
        np.random.SeedSequence(seed, spawn_key=(zlib.crc32(model.encode()),))
    )


def split_params(models: list[str], params: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Route ``KEY=VALUE`` parameters to models.

    ``model.key`` goes to that model only; a bare ``key`` goes to every selected model that
    has such a parameter, and is an error if none has.
    """
    out: dict[str, dict[str, Any]] = {m: {} for m in models}
    problems = []
    for key, value in params.items():
        if "." in key and key.split(".", 1)[0] in out:
            m, k = key.split(".", 1)
            out[m][k] = value
            continue
        takers = [m for m in models if key in get(m).Params.model_fields]
        if not takers:
            problems.append(
                Problem(
                    f"no selected model has a parameter {key!r} (models: {', '.join(models)})",
                    field=f"params {key}",
                )
            )
        for m in takers:
            out[m][key] = value
    if problems:
        raise ScenarioError(problems)
    return out


@dataclass(frozen=True)
class Forecast:
    """The record of one forecast run (see the module docstring)."""

    scenario: Scenario
    results: tuple[ModelResult, ...]
    seed: int
    engine_version: str = __version__

    def result(self, model: str) -> ModelResult:
        return next(r for r in self.results if r.model == model)

    def outcome(self, model: str, issue: str) -> float | None:
        return self.result(model).outcome(issue)

    def to_dict(self, rounds: bool = True) -> dict[str, Any]:
        """The JSON contract (``docs/json-schema.md``): extend it, never rename it."""
        sc = self.scenario
        issues = [
            {
                "id": i.id,
                "name": i.label,
                "low": i.low,
                "high": i.high,
                "low_label": i.low_label,
                "high_label": i.high_label,
                "status_quo": i.status_quo,
                "known_outcome": i.outcome.model_dump() if i.outcome else None,
            }
            for i in sc.issues
        ]
        rows = []
        for r in self.results:
            for f in r.issues:
                row: dict[str, Any] = {"model": r.model, "issue": f.issue, "outcome": f.outcome}
                if rounds and f.rounds is not None:
                    row["rounds"] = f.rounds
                if f.details:
                    row["details"] = f.details
                rows.append(row)
        doc = {
            "schema": SCHEMA,
            "engine": {"name": "realpolitik", "version": self.engine_version},
            "scenario": {
                "name": sc.name,
                "hash": sc.content_hash(),
                "salience_scale": sc.salience_scale,
                "actors": [
                    {"id": a.id, "name": a.label, "groups": list(a.groups)} for a in sc.actors
                ],
                "issues": issues,
            },
            "seed": self.seed,
            "models": [
                {
                    "model": r.model,
                    "params": r.params,
                    **({"rounds": r.rounds} if rounds and r.rounds is not None else {}),
                    **({"details": r.details} if r.details else {}),
                }
                for r in self.results
            ],
            "forecasts": rows,
        }
        return jsonable(doc)

    def to_frame(self) -> pd.DataFrame:
        """Tidy outcomes: one row per model × issue (columns model, issue, outcome, …)."""
        import pandas as pd

        issue = {i.id: i for i in self.scenario.issues}
        rows = [
            {
                "model": r.model,
                "issue": f.issue,
                "outcome": f.outcome,
                "low": issue[f.issue].low,
                "high": issue[f.issue].high,
                "status_quo": issue[f.issue].status_quo,
                "known_outcome": _known(issue[f.issue]),
            }
            for r in self.results
            for f in r.issues
        ]
        return pd.DataFrame(
            rows,
            columns=["model", "issue", "outcome", "low", "high", "status_quo", "known_outcome"],
        )

    def rounds_frame(self) -> pd.DataFrame:
        """Per-round trajectories of dynamic models (model, issue, round, …).

        Besides the round's scalars (e.g. EUM's median and mean) each actor's position in that
        round is a column ``position.<actor>``: from the issue's own rounds (EUM, SMP) or, for
        models that bargain over all issues at once (exchange), from the joint round's
        ``voting`` positions (round 0: the coded positions). An actor absent from an issue
        has NaN there.
        """
        import pandas as pd

        rows = []
        for r in self.results:
            joint = r.rounds or []
            for f in r.issues:
                for k, rec in enumerate(f.rounds or []):
                    flat = {kk: v for kk, v in rec.items() if np.isscalar(v)}
                    pos = rec.get("positions")
                    if not isinstance(pos, Mapping) and k < len(joint):
                        voting = joint[k].get("voting") or {}
                        pos = {a: v[f.issue] for a, v in voting.items() if f.issue in v}
                    if not pos and k == 0:  # the initial state: the coded positions
                        pos = {st.actor: st.position for st in self.scenario.stances
                               if st.issue == f.issue}
                    for a, v in (pos or {}).items():
                        flat[f"position.{a}"] = v
                    rows.append({"model": r.model, "issue": f.issue, "round": k, **flat})
        return pd.DataFrame(rows)


def _known(issue: Any) -> float | None:
    return None if issue.outcome is None else float(issue.outcome.value)


def forecast(
    scenario: Scenario,
    models: str | Iterable[str] | None = None,
    params: Mapping[str, Any] | None = None,
    seed: int | None = DEFAULT_SEED,
    trace: bool = False,
) -> Forecast:
    """Run ``models`` (default: :data:`DEFAULT_MODELS`) on ``scenario``.

    Parameters
    ----------
    scenario : Scenario
    models : a model name or a list of them (see ``realpolitik models``). Default: compromise,
        median, EUM, exchange, SMP and Nash, less those that need a status quo when the
        scenario codes none (:func:`default_models`).
    params : ``{"key": value}`` for every selected model that has ``key``, or
        ``{"model.key": value}`` for one model.
    seed : int
        Seeds every stochastic model (each gets its own stream derived from the seed and its
        name). Default :data:`DEFAULT_SEED` (0), as for every command; ``None`` means 0 too.
    trace : bool, default False
        Keep each round's full detail in models that can record it (``trace`` parameter, e.g.
        the expected-utility model's P and EU matrices, dyads and offers); otherwise their
        rounds are a cheap summary. A ``trace`` given in ``params`` wins.

    Examples
    --------
    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> sc = Scenario(name="toy", actors=[Actor(id="A", capability=3),
    ...     Actor(id="B", capability=1)], issues=[Issue(id="x")],
    ...     stances=[Stance(actor="A", issue="x", position=0, salience=1),
    ...              Stance(actor="B", issue="x", position=100, salience=1)])
    >>> forecast(sc, ["compromise", "median"], seed=1).to_frame()[["model", "outcome"]]
            model  outcome
    0  compromise     25.0
    1      median      0.0
    """
    if isinstance(models, str):  # one name, not its letters
        models = [models]
    chosen = list(models) if models else default_models(scenario)
    unknown = [m for m in chosen if m not in names()]
    if unknown:
        raise ScenarioError(Problem(str(UnknownModel(m)), field="models") for m in unknown)
    routed = split_params(chosen, params or {})
    if trace:
        for m in chosen:
            if "trace" in get(m).Params.model_fields:
                routed[m].setdefault("trace", True)
    if seed is None:
        seed = DEFAULT_SEED
    results = []
    for m in chosen:
        try:
            model = create(m, **routed[m])
        except ValidationError as err:
            raise option_problems(err, f"params {m}.") from None
        results.append(model.run(scenario, rng=model_rng(seed, m)))
    return Forecast(scenario, tuple(results), seed)
