"""Survival models of alliance dyad-years, registered by name like the bargaining models.

Every model estimates the discrete-time hazard h(t | x) = P(year t is the spell's last |
the spell is alive in t, covariates x measured in t − 1), fitted on the dyad-years of
:mod:`.table`. A spell ends by *abrogation* (``event``); ends by state death are competing
risks and count as censored here (cause-specific hazards: the right treatment of competing
risks for the question "what drives abrogation", Prentice et al. 1978). The probability of
ending within k years, holding the covariates at their values at the origin, is
``1 − Π_{s<k} (1 − h(age + s, x))`` (:func:`ending_within`).

==========  ==========================================================================
name        model
==========  ==========================================================================
km          Kaplan–Meier (life-table) hazard by age alone: the base rate
controls    discrete-time logit, natural spline in age + controls only (no congruence,
            no risk sharing, no changes): the benchmark a thesis covariate must beat
logit       discrete-time logit, spline in age + every covariate
cox         Cox proportional hazards for data grouped in years: complementary log-log
            with one baseline hazard per age band (Prentice & Gloeckler 1978) — the
            exact grouped-time form of Cox's model, with time-varying covariates
cox_once    the same Cox model with each ending event counted once: the dyads ended by one
            multilateral event share a weight of 1 (the 1945 wartime pacts and Yugoslavia
            1992 stop dominating the fit). Added after seeing the 1989 cut, so its scores
            there are not clean out-of-sample evidence (docs/survival.md)
gbm         gradient-boosted trees on dyad-years (scikit-learn HistGradientBoosting),
            age and every covariate, missing values handled natively
==========  ==========================================================================

Missing covariates: the GLMs centre each covariate on its training mean, put 0 where it is
missing and add an is-missing indicator (so a missing value is never read as a real 0); the
trees route missing values themselves. An indicator whose rows hold no ending in the training
data is left out: its maximum-likelihood coefficient is −∞ (separation), and kept it would
forecast that a dyad with a missing value never ends — e.g. every alliance after 2011, when
the rivalry and dispute data stop, in a fit whose training years end there. Such rows are
read at the training mean instead. Combinations of indicators can still be quasi-separated
(after 2014 the IGO data are missing where capabilities are not): the indicators' log hazard
ratios carry a ridge penalty (:data:`MISSING_RIDGE`) that bounds them.

References
----------
.. [1] Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete
   observations. *JASA* 53, 457–481.
.. [2] Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34, 187–220.
.. [3] Prentice, R. L. & Gloeckler, L. A. (1978). Regression analysis of grouped survival data
   with application to breast cancer data. *Biometrics* 34, 57–67.
.. [4] Beck, N., Katz, J. N. & Tucker, R. (1998). Taking time seriously: time-series–cross-
   section analysis with a binary dependent variable. *AJPS* 42(4), 1260–1288.
.. [5] Friedman, J. H. (2001). Greedy function approximation: a gradient boosting machine.
   *Annals of Statistics* 29(5), 1189–1232.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .covariates import CHANGES, CONGRUENCE, CONTROLS, COVARIATES, RISK_SHARING

__all__ = ["REGISTRY", "HazardModel", "make", "ending_within", "KaplanMeier", "GLMHazard",
           "Boosted", "AGE_KNOTS", "AGE_BANDS"]

AGE_KNOTS = (1.0, 4.0, 10.0, 25.0)
"""Interior knots of the age spline (years; placed at quantiles of event ages)."""

AGE_BANDS = (0, 1, 2, 3, 5, 10, 20, 40)

MISSING_RIDGE = 1.0
"""Ridge penalty on the is-missing indicators: a N(0, 1) prior on their log hazard ratios.
Negligible where an indicator is identified (information ≈ its events); it bounds the
coefficients where a combination of indicators has no ending (quasi-separation)."""
"""Lower edges of the age bands with their own baseline hazard in the Cox model."""

SUBSTANTIVE = CONGRUENCE + RISK_SHARING + CHANGES
_CONTROL_COVS = [c for c in CONTROLS if c != "age"]


def one_thread() -> Any:
    """Run BLAS/OpenMP on one thread: the same answer on any machine, and on a shared
    machine many times faster than oversubscribed threads."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


class HazardModel:
    """A model of the dyad-year hazard: ``fit(rows)`` then ``hazard(rows)``."""

    name = "base"

    def fit(self, rows: pd.DataFrame) -> HazardModel:  # pragma: no cover - interface
        raise NotImplementedError

    def hazard(self, rows: pd.DataFrame) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


def _band(age: np.ndarray, edges: tuple[int, ...]) -> np.ndarray:
    return np.searchsorted(np.asarray(edges), age, side="right") - 1


@dataclass
class KaplanMeier(HazardModel):
    """Life-table hazard by exact age up to ``pool_from`` years, pooled beyond [1]_."""

    pool_from: int = 40
    name: str = "km"
    rates: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def fit(self, rows: pd.DataFrame) -> KaplanMeier:
        age = np.minimum(rows["age"].to_numpy(dtype=int), self.pool_from)
        at_risk = np.bincount(age, minlength=self.pool_from + 1).astype(float)
        events = np.bincount(age, weights=rows["event"].to_numpy(dtype=float),
                             minlength=self.pool_from + 1)
        pooled = events.sum() / max(at_risk.sum(), 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.rates = np.where(at_risk > 0, events / at_risk, pooled)
        return self

    def hazard(self, rows: pd.DataFrame) -> np.ndarray:
        age = np.minimum(rows["age"].to_numpy(dtype=int), self.pool_from)
        return np.asarray(self.rates[age], dtype=float)


def _mean_and_slope(eta: np.ndarray, link: str) -> tuple[np.ndarray, np.ndarray]:
    """μ = g⁻¹(η) and dμ/dη for the logit or complementary log-log link."""
    eta = np.clip(eta, -30.0, 30.0)
    if link == "cloglog":
        e = np.exp(eta)
        mu = -np.expm1(-e)
        return mu, e * np.exp(-e)
    mu = 1.0 / (1.0 + np.exp(-eta))
    return mu, mu * (1.0 - mu)


def fit_binomial(x: np.ndarray, y: np.ndarray, link: str = "logit",
                 weights: np.ndarray | None = None, cluster: np.ndarray | None = None,
                 ridge: float | np.ndarray = 1e-6, tol: float = 1e-10, max_iter: int = 50,
                 start: np.ndarray | None = None, step_tol: float = 1e-9
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood binomial GLM by Fisher scoring (IRLS; McCullagh & Nelder 1989,
    §2.5) on the normal equations, with a tiny ridge so collinear columns stay finite.

    Returns the coefficients and their covariance: the inverse information, or with
    ``cluster`` the cluster-robust sandwich (Liang & Zeger 1986) summing scores per cluster.
    ``start`` is a warm start (e.g. last year's fit in a yearly refit): the maximum is the
    same, fewer iterations reach it.
    """
    w = np.ones(len(y)) if weights is None else weights
    penalty = np.diag(np.broadcast_to(np.asarray(ridge, dtype=float), (x.shape[1],)))
    if start is not None:
        beta = np.asarray(start, dtype=float).copy()
        eta = x @ beta
    else:
        beta = np.zeros(x.shape[1])
        mean = np.clip(np.average(y, weights=w), 1e-6, 1 - 1e-6)
        eta = np.full(len(y), np.log(mean / (1 - mean)) if link == "logit"
                      else np.log(-np.log1p(-mean)))
    def loglik(e: np.ndarray, b: np.ndarray) -> float:  # penalised
        m = np.clip(_mean_and_slope(e, link)[0], 1e-15, 1 - 1e-15)
        return float(np.sum(w * (y * np.log(m) + (1 - y) * np.log1p(-m)))
                     - 0.5 * b @ penalty @ b)

    best = loglik(eta, beta) if start is not None else -np.inf
    for it in range(max_iter):
        mu, slope = _mean_and_slope(eta, link)
        var = np.clip(mu * (1.0 - mu), 1e-12, None)
        wt = w * slope**2 / var
        z = eta + (y - mu) / np.where(slope > 1e-300, slope, 1e-300)
        info = (x * wt[:, None]).T @ x + penalty
        new = np.linalg.solve(info, (x * wt[:, None]).T @ z)
        step = new - beta
        for _ in range(30):  # step halving keeps the likelihood rising (no divergence)
            candidate = beta + step
            ll = loglik(x @ candidate, candidate)
            if (it == 0 and start is None) or ll >= best - 1e-12:
                break
            step = step / 2.0
        # Converged when the likelihood and every fitted hazard have stopped moving: Newton's
        # last step is then far below print precision, whatever the starting point.
        moved = float(np.max(np.abs(x @ step))) if len(step) else 0.0
        done = ((it > 0 or start is not None) and abs(ll - best) < tol * (1.0 + abs(ll))
                and moved < step_tol)
        beta, best = candidate, ll
        eta = x @ beta
        if done:
            break
    mu, slope = _mean_and_slope(eta, link)
    var = np.clip(mu * (1.0 - mu), 1e-12, None)
    info = (x * (w * slope**2 / var)[:, None]).T @ x + penalty
    bread = np.linalg.inv(info)
    if cluster is None:
        return beta, bread
    score = x * (w * (y - mu) * slope / var)[:, None]
    codes, _ = pd.factorize(pd.Series(cluster))
    summed = np.zeros((codes.max() + 1, x.shape[1]))
    np.add.at(summed, codes, score)
    g = len(summed)
    meat = summed.T @ summed * g / max(g - 1, 1)
    return beta, bread @ meat @ bread


def event_weights(rows: pd.DataFrame) -> np.ndarray:
    """Weight 1/(dyads ended by the same event) on ending rows, 1 elsewhere: each
    multilateral ending event counts once in the likelihood, not once per dyad."""
    w = np.ones(len(rows))
    ended = rows["event"].to_numpy() == 1
    ids = rows["event_id"].to_numpy()[ended]
    _, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
    w[ended] = 1.0 / counts[inverse]
    return w


def natural_spline(x: np.ndarray, knots: tuple[float, ...]) -> np.ndarray:
    """Restricted (natural) cubic spline basis in ``x`` (Harrell 2001, eq. 2.25): linear
    beyond the outer knots; returns ``len(knots) − 2`` non-linear columns (x itself apart)."""
    k = np.asarray(knots, dtype=float)
    scale = (k[-1] - k[0]) ** 2

    def cube(v: np.ndarray) -> np.ndarray:
        return np.maximum(v, 0.0) ** 3

    cols = []
    for j in range(len(k) - 2):
        term = (cube(x - k[j]) - cube(x - k[-2]) * (k[-1] - k[j]) / (k[-1] - k[-2])
                + cube(x - k[-1]) * (k[-2] - k[j]) / (k[-1] - k[-2]))
        cols.append(term / scale)
    return np.column_stack(cols)


@dataclass
class GLMHazard(HazardModel):
    """Binomial GLM on dyad-years: logit with an age spline, or cloglog with age bands."""

    covariates: list[str]
    link: str = "logit"
    name: str = "logit"
    events_once: bool = False
    means: dict[str, float] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    params: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cov: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def _time_terms(self, age: np.ndarray) -> pd.DataFrame:
        if self.link == "cloglog":
            band = _band(age, AGE_BANDS)
            return pd.DataFrame({f"age_band_{AGE_BANDS[b]}": (band == b).astype(float)
                                 for b in range(len(AGE_BANDS))})
        logage = np.log1p(age)
        spline = natural_spline(age, AGE_KNOTS)
        out = {"const": np.ones(len(age)), "log_age": logage, "age": age}
        out.update({f"age_s{j}": spline[:, j] for j in range(spline.shape[1])})
        return pd.DataFrame(out)

    def design(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The design matrix (training columns; missing → centred 0 + indicator)."""
        age = rows["age"].to_numpy(dtype=float)
        parts = {}
        for c in self.covariates:
            v = rows[c].to_numpy(dtype=float)
            missing = np.isnan(v)
            parts[c] = np.where(missing, 0.0, v - self.means.get(c, 0.0))
            parts[f"{c}_missing"] = missing.astype(float)
        frame = pd.concat([self._time_terms(age),
                           pd.DataFrame(parts, index=range(len(rows)))], axis=1)
        if self.columns:
            frame = frame.reindex(columns=self.columns, fill_value=0.0)
        return frame

    def fit(self, rows: pd.DataFrame, weights: np.ndarray | None = None,
            cluster: np.ndarray | None = None, warm: GLMHazard | None = None) -> GLMHazard:
        """Maximum likelihood on ``rows``; ``warm``: a fitted model to start from (its
        coefficients on the columns both share, 0 on new ones)."""
        self.means = {c: float(np.nanmean(rows[c].to_numpy(dtype=float)))
                      if rows[c].notna().any() else 0.0 for c in self.covariates}
        self.columns = []
        x = self.design(rows)
        keep = x.columns[(x.std(axis=0) > 0) | (x.columns == "const")]
        x = x[keep]
        ended = rows["event"].to_numpy() > 0
        separated = [c for c in x.columns if c.endswith("_missing")
                     and not ended[x[c].to_numpy() > 0].any()]
        x = x.drop(columns=separated)
        seen: set[bytes] = set()
        unique = []
        for col in x.columns:  # identical indicators (same coverage gaps) are one column
            digest = x[col].to_numpy().tobytes()
            if digest not in seen:
                seen.add(digest)
                unique.append(col)
        x = x[unique]
        self.columns = list(x.columns)
        y = rows["event"].to_numpy(dtype=float)
        w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
        if self.events_once:
            w = w * event_weights(rows)
        start = None
        if warm is not None and len(warm.params):
            known = dict(zip(warm.columns, warm.params, strict=True))
            start = np.array([known.get(c, 0.0) for c in self.columns])
        ridge = np.where([c.endswith("_missing") for c in self.columns],
                         MISSING_RIDGE, 1e-6)
        with one_thread():
            self.params, self.cov = fit_binomial(x.to_numpy(), y, self.link, w, cluster,
                                                 ridge=ridge, start=start)
        return self

    def linear_predictor(self, rows: pd.DataFrame, params: np.ndarray | None = None
                         ) -> np.ndarray:
        x = self.design(rows).to_numpy()
        beta = self.params if params is None else params
        return np.asarray(x @ beta.T)

    def hazard(self, rows: pd.DataFrame, params: np.ndarray | None = None) -> np.ndarray:
        eta = np.clip(self.linear_predictor(rows, params), -30, 30)
        if self.link == "cloglog":
            return np.asarray(1.0 - np.exp(-np.exp(eta)))
        return np.asarray(1.0 / (1.0 + np.exp(-eta)))

    def table(self) -> pd.DataFrame:
        """Coefficients, standard errors and 95% intervals by column name."""
        se = np.sqrt(np.clip(np.diag(self.cov), 0, None))
        return pd.DataFrame({"coef": self.params, "se": se, "lo": self.params - 1.96 * se,
                             "hi": self.params + 1.96 * se}, index=self.columns)


@dataclass
class Boosted(HazardModel):
    """Gradient-boosted trees on dyad-years [5]_ (deterministic: fixed seed, no early stop)."""

    covariates: list[str] = field(default_factory=lambda: list(COVARIATES))
    name: str = "gbm"
    max_iter: int = 100
    learning_rate: float = 0.1
    max_depth: int = 3
    seed: int = 0
    estimator: Any = None
    used: list[str] = field(default_factory=list)

    def fit(self, rows: pd.DataFrame) -> Boosted:
        from sklearn.ensemble import HistGradientBoostingClassifier

        self.estimator = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate, max_depth=self.max_depth,
            min_samples_leaf=200, l2_regularization=1.0, early_stopping=False,
            random_state=self.seed)
        # A covariate never observed before the cut (UN votes before 1946) carries nothing.
        self.used = [c for c in self.covariates if rows[c].notna().any()]
        with one_thread():
            self.estimator.fit(rows[self.used].to_numpy(dtype=float),
                               rows["event"].to_numpy(dtype=int))
        return self

    def hazard(self, rows: pd.DataFrame) -> np.ndarray:
        x = rows[self.used].to_numpy(dtype=float)
        return np.asarray(self.estimator.predict_proba(x)[:, 1])


REGISTRY: dict[str, Callable[[], HazardModel]] = {
    "km": KaplanMeier,
    "controls": lambda: GLMHazard(_CONTROL_COVS, "logit", "controls"),
    "logit": lambda: GLMHazard(_CONTROL_COVS + SUBSTANTIVE, "logit", "logit"),
    "cox": lambda: GLMHazard(_CONTROL_COVS + SUBSTANTIVE, "cloglog", "cox"),
    "cox_once": lambda: GLMHazard(_CONTROL_COVS + SUBSTANTIVE, "cloglog", "cox_once",
                                  events_once=True),
    "gbm": Boosted,
}
"""Model constructors by name."""


def make(name: str) -> HazardModel:
    """A fresh model by registry name (ValueError naming the known ones otherwise)."""
    if name not in REGISTRY:
        raise ValueError(f"unknown survival model {name!r}; known: {', '.join(REGISTRY)}")
    return REGISTRY[name]()


def horizon_rows(origin: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """``horizon`` copies of each origin row with age advanced 0…horizon−1 (covariates held)."""
    rep = origin.loc[origin.index.repeat(horizon)].copy()
    step = np.tile(np.arange(horizon), len(origin))
    rep["age"] = rep["age"].to_numpy() + step
    return rep.reset_index(drop=True)


def ending_within(model: HazardModel, origin: pd.DataFrame, horizon: int = 5,
                  hazard: Callable[[pd.DataFrame], np.ndarray] | None = None) -> np.ndarray:
    """P(the spell ends by abrogation within ``horizon`` years of each origin row)."""
    rows = horizon_rows(origin.reset_index(drop=True), horizon)
    flat = np.asarray((hazard or model.hazard)(rows))
    h = flat.reshape(len(origin), horizon, -1)  # a third axis for coefficient draws
    out = 1.0 - np.prod(1.0 - h, axis=1)
    return np.asarray(out[:, 0] if flat.ndim == 1 else out)
