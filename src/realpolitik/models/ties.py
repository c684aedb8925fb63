"""One rule for every discrete choice a model makes: a tolerance, then a stated tie rule.

Floating-point results differ in the last bits between CPUs (numpy picks SIMD code paths for
``exp``, ``log`` and ``power`` at run time) and between backends (numpy core vs compiled
kernel). Wherever a model takes a discrete decision on such a number — the best target, the
largest gain, whether one side beats another — a one-ulp difference must not change the
trajectory. So every such decision goes through this module:

* two quantities are **tied** when they differ by no more than ``rtol × scale``, where
  ``scale`` is the magnitude of the quantities being compared (their own magnitude by default,
  or a scale the caller states, such as the issue's range or the largest gain on offer);
* among tied candidates the **lowest index** wins (the order the caller chose: actor order,
  candidate order), and the caller records in the result's ``details`` that a tie decided
  something (see :func:`argmax`'s ``tied`` output).

``RTOL = 1e-9`` is far above floating-point noise (~1e-16 relative per operation, ~1e-13 after
a few hundred operations) and far below any difference a coding of the inputs can express.

The comparison is always written the same way, ``a − b > RTOL × max(scale, tiny)`` ("a is
greater"), ``v ≤ best + tol`` / ``v ≥ best − tol`` ("v is within the tolerance of the best"),
so that a compiled kernel using the scalar functions :func:`greater_scalar` and
:func:`tolerance_scalar` (plain Python, compiled by numba as they are) takes bit-for-bit the
same decisions as the numpy code on the same numbers. ``docs/numerical-determinism.md`` states
the rule and the scales each model compares against.

>>> import numpy as np
>>> argmax(np.array([0.3128064699045723, 0.3128064699045206, 0.1]))
(0, True)
>>> argmax(np.array([1.0, 2.0, 2.0 + 1e-15]))
(1, True)
>>> argmax(np.array([1.0, 3.0, 2.0]))
(1, False)
>>> bool(greater(1.0 + 1e-13, 1.0)), bool(greater(1.1, 1.0))
(False, True)
"""

from __future__ import annotations

import numpy as np

#: Relative tolerance under which two quantities count as equal for a discrete choice.
RTOL = 1e-9
#: Smallest scale a tolerance is taken relative to (a zero scale would make every
#: comparison exact again).
TINY = float(np.finfo(float).tiny)


def tolerance_scalar(scale: float) -> float:
    """``RTOL × max(scale, TINY)`` for one float: the kernels' :func:`tolerance`."""
    return RTOL * max(scale, TINY)


def greater_scalar(a: float, b: float, scale: float) -> bool:
    """``a > b`` beyond the tolerance, for floats: the kernels' :func:`greater`.

    >>> greater_scalar(1.0 + 1e-12, 1.0, 1.0), greater_scalar(1.0 + 1e-8, 1.0, 1.0)
    (False, True)
    """
    return a - b > RTOL * max(scale, TINY)


def tolerance(values: np.ndarray | float, scale: np.ndarray | float | None = None,
              rtol: float = RTOL, axis: int | None = None) -> np.ndarray:
    """Absolute tolerance ``rtol × scale``; ``scale`` defaults to the largest |value|."""
    if scale is None:
        v = np.abs(np.asarray(values, dtype=float))
        scale = v.max(axis=axis, keepdims=axis is not None) if v.size else 0.0
    return rtol * np.maximum(np.asarray(scale, dtype=float), TINY)


def greater(a, b, scale=None, rtol: float = RTOL) -> np.ndarray:
    """``a > b`` beyond the tolerance (elementwise); ``scale`` defaults to max(|a|, |b|)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if scale is None:
        scale = np.maximum(np.abs(a), np.abs(b))
    return a - b > tolerance(0.0, scale, rtol)


def tied(a, b, scale=None, rtol: float = RTOL) -> np.ndarray:
    """``|a − b| ≤ tolerance`` (elementwise): neither is greater than the other."""
    return ~greater(a, b, scale, rtol) & ~greater(b, a, scale, rtol)


def argmax(values: np.ndarray, scale=None, rtol: float = RTOL) -> tuple[int, bool]:
    """Index of the largest value of a 1-d array; ties within the tolerance go to the lowest index.

    Returns ``(index, tied)`` where ``tied`` says another candidate was within the tolerance of
    the winner, i.e. the tie rule (not the numbers) decided. NaNs never win.
    """
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    if not ok.any():
        return 0, False
    top = v[ok].max()
    near = ok & (v >= top - tolerance(v[ok], scale, rtol))
    k = int(np.argmax(near))
    return k, bool(near.sum() > 1)


def argmin(values: np.ndarray, scale=None, rtol: float = RTOL) -> tuple[int, bool]:
    """:func:`argmax` of ``-values``: the smallest value, ties to the lowest index."""
    return argmax(-np.asarray(values, dtype=float), scale, rtol)


def within_best(values: np.ndarray, axis: int, scale, best: str = "min",
                rtol: float = RTOL) -> np.ndarray:
    """Mask of the candidates within the tolerance of the best along ``axis`` (``best`` is
    ``"min"`` or ``"max"``), the tolerance ``rtol × scale`` with ``scale`` stated by the caller
    (broadcast against ``values`` with ``axis`` kept). ``inf`` marks a non-candidate for
    ``"min"`` (``-inf`` for ``"max"``); where there is none, every entry is in the mask.

    >>> within_best(np.array([[3.0, 1.0, 1.0 + 1e-12, 2.0]]), axis=1, scale=1.0).tolist()
    [[False, True, True, False]]
    """
    v = np.asarray(values, dtype=float)
    tol = tolerance(0.0, scale, rtol)
    if best == "min":
        return v <= v.min(axis=axis, keepdims=True) + tol
    return v >= v.max(axis=axis, keepdims=True) - tol


def first_true(mask: np.ndarray, axis: int = -1) -> np.ndarray:
    """The lowest index along ``axis`` where ``mask`` holds (0 where it never does): the tie
    rule, lowest index wins."""
    return np.argmax(mask, axis=axis)


def argmax_batched(values: np.ndarray, axis: int = -1, scale=None,
                   rtol: float = RTOL) -> tuple[np.ndarray, np.ndarray]:
    """:func:`argmax` along ``axis`` of a batch: (indices, tied) arrays without that axis.

    >>> k, t = argmax_batched(np.array([[1.0, 1.0 + 1e-14, 0.0], [0.0, 2.0, 1.0]]))
    >>> k.tolist(), t.tolist()
    ([0, 1], [True, False])
    """
    v = np.asarray(values, dtype=float)
    filled = np.where(np.isnan(v), -np.inf, v)
    top = filled.max(axis=axis, keepdims=True)
    if scale is None:
        scale = np.where(np.isfinite(top), np.abs(top), 0.0)
        scale = np.maximum(scale, np.abs(np.where(np.isfinite(filled), filled, 0.0)).max(
            axis=axis, keepdims=True))
    else:
        scale = np.expand_dims(np.asarray(scale, dtype=float), axis) if np.ndim(scale) else scale
    near = filled >= top - tolerance(0.0, scale, rtol)
    return np.argmax(near, axis=axis), near.sum(axis=axis) > 1
