"""Competing risks: abrogation and a member's state death, each with its own probability.

A spell ends by abrogation (the event of interest) or by a member's state death (a competing
end: the alliance cannot be abrogated once a member is gone). Two questions, two tools:

**How likely is an alliance to be abrogated within t years?** The cumulative incidence
function (CIF) of each cause, by the Aalen–Johansen estimator [1]_ — in discrete (yearly)
time, with n(s) spells at risk at age s, d_k(s) of them ending by cause k at that age and
S(s) = Π_{u<s} (1 − Σ_k d_k(u)/n(u)) the probability of reaching age s with the alliance alive:

    CIF_k(t) = Σ_{s<t} S(s) · d_k(s) / n(s),      Σ_k CIF_k(t) + S(t) = 1.

``1 − KM`` of abrogation, with state deaths censored, estimates the probability of abrogation
*in a world where no state dies*; it exceeds the CIF whenever state deaths occur, because it
keeps the dead states' alliances at risk of abrogation (Putter, Fiocco & Geskus [2]_, §3).
Ages are years in force: ``t = 5`` is "ended within its first five years" (the hazard of age
s is that of the spell's year s + 1, as in :mod:`.models`).

**What drives each end?** Cause-specific hazards (Prentice et al. [3]_): the same
grouped-time Cox model as the thesis (:func:`.thesis.hazard_ratios`, year-clustered), fitted
once with abrogation as the event and once with state death as the event (abrogations then
censored). State deaths are 213 dyad endings but only 12 independent events (the GDR 1990
holds 115, Czechoslovakia 1992 46); a covariate's state-death hazard ratio is reported as
*estimable* only when the covariate is observed at ≥ :data:`MIN_EVENTS` independent
state-death events and, for a 0/1 covariate, at ≥ :data:`MIN_EVENTS_PER_LEVEL` events at each
value; otherwise the row says why not. Even where estimable, a model of 12 events in 11
calendar years has far fewer events per parameter than the rule of thumb of ten (Peduzzi et
al. [4]_), and a sandwich with so few clusters carrying events understates its variance
(Cameron & Miller [5]_): the state-death ratios are descriptive.

Spells whose start predates ATOP (1815) are counted from 1815 (left truncation not modelled),
as in the Kaplan–Meier curves of :mod:`.figures`.

References
----------
.. [1] Aalen, O. O. & Johansen, S. (1978). An empirical transition matrix for
   non-homogeneous Markov chains based on censored observations. *Scandinavian Journal of
   Statistics* 5(3), 141–150.
.. [2] Putter, H., Fiocco, M. & Geskus, R. B. (2007). Tutorial in biostatistics: competing
   risks and multi-state models. *Statistics in Medicine* 26(11), 2389–2430.
.. [3] Prentice, R. L., Kalbfleisch, J. D., Peterson, A. V., Flournoy, N., Farewell, V. T. &
   Breslow, N. E. (1978). The analysis of failure times in the presence of competing risks.
   *Biometrics* 34(4), 541–554.
.. [4] Peduzzi, P., Concato, J., Feinstein, A. R. & Holford, T. R. (1995). Importance of events
   per independent variable in proportional hazards regression analysis II. *Journal of
   Clinical Epidemiology* 48(12), 1503–1510.
.. [5] Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust
   inference. *Journal of Human Resources* 50(2), 317–372.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .table import SurvivalData

__all__ = ["CAUSES", "REPORT_AGES", "MIN_EVENTS", "MIN_EVENTS_PER_LEVEL", "aalen_johansen",
           "bootstrap_cif", "cumulative_incidence", "cause_specific", "competing_risks"]

CAUSES = ("abrogation", "state_death")
"""The ends of a spell, in the order of the CIF columns (``censored`` is no cause)."""

REPORT_AGES = (1, 5, 10, 20, 50)
"""Years in force at which the CIFs are reported."""

MIN_EVENTS = 5
"""Fewest independent state-death events with a covariate observed for its ratio to count."""

MIN_EVENTS_PER_LEVEL = 3
"""... and, for a 0/1 covariate, the fewest at each of its values."""


def aalen_johansen(duration: np.ndarray, cause: np.ndarray, n_causes: int,
                   weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Discrete-time Aalen–Johansen estimates [1]_ from spell durations and causes.

    Parameters
    ----------
    duration : int array
        Years in force (≥ 1); the spell is at risk at ages 0 … duration − 1.
    cause : int array
        Cause of the end in the last year: 1 … ``n_causes``; 0 for censored.
    n_causes : int
        Number of causes.
    weights : float array, optional
        Frequency weight of each spell (a bootstrap replicate's counts); default 1 each.

    Returns
    -------
    dict of arrays, index t = 0 … max(duration) (t years in force)
        ``at_risk`` (n at age t; 0 at the last index), ``events`` (``n_causes`` × ages:
        d_k at age t), ``survival`` S(t), ``cif`` (``n_causes`` × ages: CIF_k(t)) and
        ``one_minus_km`` (``n_causes`` × ages: 1 − KM of cause k, other causes censored).

    Examples
    --------
    >>> est = aalen_johansen(np.array([1, 2, 2, 3]), np.array([1, 2, 0, 1]), 2)
    >>> est["cif"][0].tolist(), est["survival"].tolist()
    ([0.0, 0.25, 0.25, 0.75], [1.0, 0.75, 0.5, 0.0])
    """
    duration = np.asarray(duration, dtype=np.int64)
    cause = np.asarray(cause, dtype=np.int64)
    if len(duration) and (duration.min() < 1 or cause.min() < 0 or cause.max() > n_causes):
        raise ValueError("durations must be >= 1 and causes in 0..n_causes")
    horizon = int(duration.max()) if len(duration) else 0
    w = None if weights is None else np.asarray(weights, dtype=float)
    total = len(duration) if w is None else float(w.sum())
    # Alive at the start of age s: duration > s.
    at_risk = total - np.cumsum(np.bincount(duration, w, minlength=horizon + 1))
    events = np.zeros((n_causes, horizon + 1))
    for k in range(n_causes):
        hit = cause == k + 1
        events[k] = np.bincount(duration[hit] - 1, None if w is None else w[hit],
                                minlength=horizon + 1)
    alive = at_risk > 1e-9
    hazard = np.where(alive, events / np.where(alive, at_risk, 1.0), 0.0)
    survival = np.concatenate([[1.0], np.cumprod(1.0 - hazard.sum(axis=0))[:-1]])
    cif = np.concatenate([np.zeros((n_causes, 1)),
                          np.cumsum(survival[:-1] * hazard[:, :-1], axis=1)], axis=1)
    km = np.concatenate([np.ones((n_causes, 1)), np.cumprod(1.0 - hazard, axis=1)[:, :-1]],
                        axis=1)
    return {"at_risk": at_risk if w is not None else at_risk.astype(np.int64),
            "events": events, "survival": survival,
            "cif": cif, "one_minus_km": 1.0 - km}


def _causes(spells: pd.DataFrame) -> np.ndarray:
    codes = {name: k + 1 for k, name in enumerate(CAUSES)}
    return np.asarray(spells["ending"].map(codes).fillna(0).to_numpy(dtype=np.int64))


def bootstrap_cif(spells: pd.DataFrame, ages: tuple[int, ...], reps: int = 300,
                  seed: int = 0) -> np.ndarray:
    """95% percentile intervals of each cause's CIF at ``ages``, resampling ending events.

    The dyads ended by one event (:func:`.spells.ending_events`: Yugoslavia 1992, the GDR
    1990) are one cluster; a censored spell is its own. Abrogation events, state-death events
    and censored spells are resampled separately (stratified, as in
    :func:`.validate.bootstrap`), so each replicate has as many independent events of each
    cause as the data. Returns an array ``(len(CAUSES), len(ages), 2)``.
    """
    rng = np.random.default_rng(seed)
    cause = _causes(spells)
    ids = spells["event"].to_numpy()
    cluster = np.where(ids >= 0, ids, -1 - np.arange(len(spells)))
    codes, uniques = pd.factorize(cluster, sort=True)
    kind = np.zeros(len(uniques), dtype=np.int64)
    kind[codes] = cause  # the dyads of one event share its cause (ids are per kind)
    strata = [np.flatnonzero(kind == k) for k in range(len(CAUSES) + 1)]
    duration = spells["duration"].to_numpy()
    idx = np.minimum(np.asarray(ages), int(duration.max()))
    draws = np.empty((reps, len(CAUSES), len(ages)))
    for r in range(reps):
        counts = np.zeros(len(uniques))
        for members in strata:
            if len(members):
                np.add.at(counts, rng.choice(members, len(members)), 1.0)
        draws[r] = aalen_johansen(duration, cause, len(CAUSES), counts[codes])["cif"][:, idx]
    return np.stack([np.quantile(draws, 0.025, axis=0), np.quantile(draws, 0.975, axis=0)],
                    axis=-1)


def cumulative_incidence(spells: pd.DataFrame, ages: tuple[int, ...] = REPORT_AGES,
                         reps: int = 0, seed: int = 0) -> list[dict[str, Any]]:
    """CIF of each cause, survival and 1 − KM at ``ages`` years in force (module docstring);
    with ``reps`` > 0 also each CIF's event-clustered bootstrap interval
    (:func:`bootstrap_cif`, keys ``cif_<cause>_ci``).

    Beyond the longest spell the estimates stay at their last value (no spell is at risk).
    """
    est = aalen_johansen(spells["duration"].to_numpy(), _causes(spells), len(CAUSES))
    ci = bootstrap_cif(spells, ages, reps, seed) if reps > 0 else None
    last = len(est["survival"]) - 1
    rows = []
    for i, age in enumerate(ages):
        t = min(age, last)
        row: dict[str, Any] = {"age": age, "at_risk": int(est["at_risk"][t]) if age <= last
                               else 0, "survival": float(est["survival"][t])}
        for k, name in enumerate(CAUSES):
            row[f"cif_{name}"] = float(est["cif"][k, t])
            if ci is not None:
                row[f"cif_{name}_ci"] = [float(ci[k, i, 0]), float(ci[k, i, 1])]
            row[f"one_minus_km_{name}"] = float(est["one_minus_km"][k, t])
        rows.append(row)
    return rows


def _estimable(rows: pd.DataFrame, cov: str) -> tuple[bool, str, int]:
    """Whether a state-death ratio of ``cov`` is estimable (module docstring), why, and the
    number of independent state-death events with ``cov`` observed."""
    ended = rows[rows["competing"] == 1]
    observed = ended[ended[cov].notna()]
    n = int(observed["event_id"].nunique())
    if n < MIN_EVENTS:
        return False, f"observed at only {n} independent state-death events", n
    values = rows[cov].dropna()
    if len(values) and bool(values.isin([0.0, 1.0]).all()):
        for level in (0.0, 1.0):
            m = int(observed.loc[observed[cov] == level, "event_id"].nunique())
            if m < MIN_EVENTS_PER_LEVEL:
                return False, f"only {m} independent state-death events at {cov} = " \
                              f"{int(level)}", n
    return True, "", n


def cause_specific(rows: pd.DataFrame, covariates: list[str]) -> dict[str, Any]:
    """Hazard ratios of abrogation and of state death, side by side, per covariate."""
    from .thesis import hazard_ratios

    abrogation = hazard_ratios(rows)
    death = hazard_ratios(rows.assign(event=rows["competing"]))
    out = []
    for cov in covariates:
        ok, why, n = _estimable(rows, cov)
        row: dict[str, Any] = {"covariate": cov, "state_death_events_observed": n,
                               "estimable": ok, "note": why}
        for name, frame in (("abrogation", abrogation), ("state_death", death)):
            row[name] = float(frame.loc[cov, "hr"])
            row[f"{name}_ci"] = [float(frame.loc[cov, "lo"]), float(frame.loc[cov, "hi"])]
        out.append(row)
    return {"model": "grouped-time Cox (cloglog, age bands, controls), one fit per cause, "
                     "the other cause censored",
            "interval": "95%, standard errors clustered by calendar year",
            "causes": {"abrogation": dict(abrogation.attrs),
                       "state_death": dict(death.attrs)},
            "covariates": out}


def competing_risks(data: SurvivalData, ages: tuple[int, ...] = REPORT_AGES,
                    models: bool = True, reps: int = 300, seed: int = 0) -> dict[str, Any]:
    """The CIF table of every spell (intervals from ``reps`` event-clustered bootstrap
    replicates, none if 0) and (``models``) the cause-specific hazard ratios."""
    from .thesis import EXPECTED

    spells = data.spells
    doc: dict[str, Any] = {
        "spells": len(spells),
        "ended": {name: int((spells["ending"] == name).sum()) for name in CAUSES},
        "censored": int((spells["ending"] == "censored").sum()),
        "estimator": "Aalen–Johansen (discrete time); 1 − KM with the other cause censored",
        "cif": cumulative_incidence(spells, ages, reps, seed),
        "bootstrap_reps": reps, "seed": seed,
        "interval": "95% percentile, ending events resampled as clusters",
    }
    if models:
        doc["cause_specific"] = cause_specific(data.table, list(EXPECTED))
    return doc
