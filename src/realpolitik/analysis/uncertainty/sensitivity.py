r"""Sensitivity: which input moves the forecast most.

* :func:`tornado` — one at a time: each uncertain input is set to the low and the high end of
  its 90% range (its 5% and 95% quantiles) with every other input at its coded value; the
  **swing** is the spread of the three outcomes (low, coded, high). Bars are ranked by swing,
  per issue.
* :func:`drop_actor` / :func:`drop_issue` — the forecast without each actor (its stances
  removed) or without each issue (per-issue models do not change; models that bargain over
  issues jointly, such as the exchange model or SMP, do).
* :func:`sobol` — variance-based indices computed by SALib [1]_ [2]_: the first-order index
  :math:`S_i = V[E(Y|X_i)]/V(Y)` (the share of the outcome's variance due to input
  :math:`X_i` alone) and the total index :math:`S_{Ti} = E[V(Y|X_{\sim i})]/V(Y)` (including
  every interaction), from Saltelli's sampling scheme on the inputs' uniform scores mapped
  through their distributions (:mod:`realpolitik.analysis.uncertainty.sampling`), with bootstrap
  confidence half-widths.

Every function returns a tidy :class:`pandas.DataFrame`; :func:`one_at_a_time` is the tornado's
arrays without one (pandas is imported only where a frame is built: the forecast's knife-edge
check runs on the arrays, and a small forecast need not pay for pandas).

References
----------
.. [1] Herman, J. & Usher, W. (2017). SALib: an open-source Python library for sensitivity
   analysis. *J. Open Source Software* 2(9), 97.
.. [2] Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Design
   and estimator for the total sensitivity index. *Computer Physics Communications* 181(2),
   259–270.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ...models import create
from ...scenario import Scenario
from ...scenario.shocks import remove_actor, remove_issue
from .evaluate import evaluate
from .sampling import Inputs, inputs

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["tornado", "one_at_a_time", "swing", "drop_actor", "drop_issue", "sobol"]


def _seeds(seed: int, size: int) -> list[np.random.SeedSequence]:
    """The same generator for every row: differences come from the inputs alone."""
    return [np.random.SeedSequence(seed)] * size


def _evaluate_blocks(
    spec: Inputs,
    values: np.ndarray,
    model: str,
    params: Mapping[str, Any] | None,
    seed: int,
    progress: bool,
    what: str,
) -> np.ndarray:
    from .evaluate import BATCHED

    if model in BATCHED:
        return evaluate(spec, values, model, params, _seeds(seed, len(values)))
    from .sweep import progress_bar  # here: it imports the process pool's machinery

    out = []
    with progress_bar(progress) as bar:
        task = bar.add_task(what, total=len(values))
        for start in range(0, len(values), 50):
            block = values[start : start + 50]
            out.append(evaluate(spec, block, model, params, _seeds(seed, len(block))))
            bar.advance(task, len(block))
    return np.concatenate(out) if out else np.empty((0, len(spec.scenario.issues)))


def one_at_a_time(
    scenario: Scenario,
    model: str,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    quantiles: tuple[float, float] = (0.05, 0.95),
    progress: bool = False,
    swung: Sequence[int] | None = None,
) -> tuple[Inputs, np.ndarray, np.ndarray]:
    """The tornado's runs as arrays: ``(spec, ends, y)``.

    ``spec`` the scenario's uncertain inputs (``m`` of them), ``ends`` ``(2, m)`` each input's
    low and high quantile, ``y`` ``(2m + 1, k issues)`` the outcomes: row 0 at the coded values,
    rows ``2q + 1`` and ``2q + 2`` with input ``q`` at its low and its high end. ``swung``
    (indexes into ``spec.items``) swings only those inputs; the other inputs' rows are NaN and
    cost nothing.
    """
    spec = inputs(scenario)
    m = len(spec)
    qs = range(m) if swung is None else sorted(set(swung))
    values = np.repeat(spec.coded[None], 2 * len(qs) + 1, 0)
    ends = spec.ppf(np.array([[quantiles[0]] * m, [quantiles[1]] * m]))
    for r, q in enumerate(qs):
        values[2 * r + 1, q], values[2 * r + 2, q] = ends[0, q], ends[1, q]
    runs = _evaluate_blocks(spec, values, model, params, seed, progress, "tornado")
    if swung is None:
        return spec, ends, runs
    y = np.full((2 * m + 1, runs.shape[1]), np.nan)
    y[0] = runs[0]
    for r, q in enumerate(qs):
        y[2 * q + 1], y[2 * q + 2] = runs[2 * r + 1], runs[2 * r + 2]
    return spec, ends, y


def swing(trio: np.ndarray) -> float:
    """The spread of an input's three outcomes (coded, low end, high end); NaN if none is
    finite."""
    return float(np.nanmax(trio) - np.nanmin(trio)) if np.isfinite(trio).any() else np.nan


def tornado(
    scenario: Scenario,
    model: str,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    quantiles: tuple[float, float] = (0.05, 0.95),
    progress: bool = False,
) -> pd.DataFrame:
    """One-at-a-time swings of every uncertain input, ranked per issue.

    Returns columns ``issue, rank, input, field, actor, input_issue, value, low, high,
    outcome, outcome_low, outcome_high, swing`` (``value`` is the coded value, ``low`` and
    ``high`` the input's quantiles; ``outcome`` the forecast at the coded values).

    Examples
    --------
    >>> from realpolitik.scenario import Actor, Issue, Scenario, Stance
    >>> sc = Scenario(name="toy", actors=[Actor(id="A", capability=9),
    ...     Actor(id="B", capability=1)], issues=[Issue(id="x")],
    ...     stances=[Stance(actor="A", issue="x", position=20, salience=1),
    ...              Stance(actor="B", issue="x", position=80, salience=1)],
    ...     uncertainty={"position": 10})
    >>> tornado(sc, "compromise")[["rank", "input", "swing"]].round(2).values.tolist()
    [[1, 'A position x', 16.2], [2, 'B position x', 1.8]]
    """
    import pandas as pd

    spec, ends, y = one_at_a_time(scenario, model, params, seed, quantiles, progress)
    rows = []
    for j, iid in enumerate(scenario.issue_ids):
        for q, x in enumerate(spec.items):
            trio = y[[0, 2 * q + 1, 2 * q + 2], j]
            rows.append(
                {
                    "issue": iid,
                    "input": x.name,
                    "field": x.field,
                    "actor": x.actor,
                    "input_issue": x.issue,
                    "value": x.value,
                    "low": ends[0, q],
                    "high": ends[1, q],
                    "outcome": trio[0],
                    "outcome_low": trio[1],
                    "outcome_high": trio[2],
                    "swing": swing(trio),
                }
            )
    df = pd.DataFrame(
        rows,
        columns=[
            "issue",
            "input",
            "field",
            "actor",
            "input_issue",
            "value",
            "low",
            "high",
            "outcome",
            "outcome_low",
            "outcome_high",
            "swing",
        ],
    )
    df = df.sort_values(
        ["issue", "swing", "input"],
        ascending=[True, False, True],
        kind="stable",
        key=lambda c: c.map(scenario.issue_ids.index) if c.name == "issue" else c,
    )
    df.insert(1, "rank", df.groupby("issue", sort=False).cumcount() + 1)
    return df.reset_index(drop=True)


def _point(
    scenario: Scenario, model: str, params: Mapping[str, Any] | None, seed: int
) -> dict[str, float]:
    res = create(model, **dict(params or {})).run(scenario, rng=seed)
    return {k: np.nan if v is None else float(v) for k, v in res.outcomes().items()}


def _drop_frame(
    scenario: Scenario,
    base: dict[str, float],
    variants: list[tuple[str, dict[str, float] | None, str]],
    what: str,
) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for name, out, note in variants:
        for iid in scenario.issue_ids:
            new = np.nan if out is None else out.get(iid, np.nan)
            rows.append(
                {
                    what: name,
                    "issue": iid,
                    "outcome": base[iid],
                    "without": new,
                    "change": new - base[iid],
                    "note": note if out is None or iid not in out else "",
                }
            )
    return pd.DataFrame(rows, columns=[what, "issue", "outcome", "without", "change", "note"])


def drop_actor(
    scenario: Scenario, model: str, params: Mapping[str, Any] | None = None, seed: int = 0
) -> pd.DataFrame:
    """The forecast without each actor: columns ``actor, issue, outcome, without, change,
    note``. An issue left with fewer than two participants is dropped (``without`` NaN)."""
    base = _point(scenario, model, params, seed)
    variants: list[tuple[str, dict[str, float] | None, str]] = []
    for a in scenario.actor_ids:
        try:
            sc = remove_actor(scenario, a, drop_thin_issues=True)
        except ValueError as e:
            variants.append((a, None, str(e)))
            continue
        variants.append((a, _point(sc, model, params, seed), "fewer than two participants left"))
    return _drop_frame(scenario, base, variants, "actor")


def drop_issue(
    scenario: Scenario, model: str, params: Mapping[str, Any] | None = None, seed: int = 0
) -> pd.DataFrame:
    """The other issues' forecasts without each issue: ``issue_dropped, issue, outcome,
    without, change, note`` (rows for the dropped issue itself have ``without`` NaN)."""
    base = _point(scenario, model, params, seed)
    variants: list[tuple[str, dict[str, float] | None, str]] = []
    for iid in scenario.issue_ids:
        if len(scenario.issues) < 2:
            variants.append((iid, None, "the only issue"))
            continue
        variants.append(
            (iid, _point(remove_issue(scenario, iid), model, params, seed), "the dropped issue")
        )
    return _drop_frame(scenario, base, variants, "issue_dropped")


def sobol(
    scenario: Scenario,
    model: str,
    params: Mapping[str, Any] | None = None,
    samples: int = 512,
    seed: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """Sobol first-order and total indices of every uncertain input, per issue (SALib).

    ``samples`` is Saltelli's base sample size N (a power of 2); the model runs
    N·(m + 2) times for m inputs. Returns ``issue, input, S1, S1_conf, ST, ST_conf``, ranked
    by ``ST`` per issue; indices are NaN for an issue whose forecast does not vary.
    """
    import pandas as pd
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    spec = inputs(scenario)
    cols = ["issue", "input", "S1", "S1_conf", "ST", "ST_conf"]
    if len(spec) == 0:
        return pd.DataFrame(columns=cols)
    problem = {"num_vars": len(spec), "names": spec.names, "bounds": [[0.0, 1.0]] * len(spec)}
    # SALib tests ``if seed:``, so an int 0 would mean "no seed" (its bootstrap intervals then
    # come from numpy's global state); a Generator is a seed whatever its number, and
    # default_rng(default_rng(s)) is default_rng(s), so every other seed gives what it gave.
    u = sample.sample(problem, samples, calc_second_order=False, seed=np.random.default_rng(seed))
    y = _evaluate_blocks(spec, spec.ppf(u), model, params, seed, progress, "sobol")
    rows = []
    for j, iid in enumerate(scenario.issue_ids):
        yj = y[:, j]
        if not np.isfinite(yj).all() or np.var(yj) == 0:
            res = dict.fromkeys(["S1", "S1_conf", "ST", "ST_conf"], np.full(len(spec), np.nan))
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = analyze.analyze(
                    problem,
                    yj,
                    calc_second_order=False,
                    seed=np.random.default_rng(seed),
                    print_to_console=False,
                )
        part = pd.DataFrame(
            {"issue": iid, "input": spec.names, **{k: np.asarray(res[k], float) for k in cols[2:]}}
        )
        rows.append(part.sort_values(["ST", "input"], ascending=[False, True], kind="stable"))
    return pd.concat(rows, ignore_index=True)[cols]
