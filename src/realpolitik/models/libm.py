"""``exp``, ``log`` and ``power`` that give the same bits on every CPU as the compiled kernels.

numpy chooses SIMD code for ``exp``, ``log`` and ``power`` at run time by CPU (on a machine with
AVX-512 its own vectorised versions, elsewhere the C library's), so the same array gives
results that differ in the last bit from one CPU to another and from a numba kernel, which
calls the C library (``libm``) one number at a time. Those last bits are harmless to decisions
(every discrete choice goes through :mod:`realpolitik.models.ties`) but make the same Monte
Carlo run print different digits with ``backend=numpy`` and ``backend=numba``.

So the numpy cores of the models take these three functions from here: when numba is
installed they are numba ufuncs calling the C library exactly as the kernels do (scalar calls,
the same code path on every CPU), otherwise numpy's own. They are compiled on first use
(``cache=True``: once per machine), never at import.

>>> import numpy as np
>>> f = functions()
>>> float(f.power(np.array(0.25), np.array(0.5)))
0.5
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import numpy as np

__all__ = ["functions", "Functions"]


class Functions(NamedTuple):
    """The elementwise functions (numpy ufuncs: they take ``out=``)."""

    exp: Any
    log: Any
    power: Any
    source: str  # "libm" (numba ufuncs) or "numpy"


def _exp(v: float) -> float:  # pragma: no cover - compiled
    return math.exp(v)


def _log(v: float) -> float:  # pragma: no cover - compiled
    # math.log raises on v <= 0 in Python; compiled, it returns -inf / nan like numpy
    return math.log(v)


def _power(b: float, e: float) -> float:  # pragma: no cover - compiled
    return b**e


@functools.cache
def functions() -> Functions:
    """The functions to use: libm's through numba when numba is installed, else numpy's."""
    try:
        from numba import vectorize
    except ImportError:
        return Functions(np.exp, np.log, np.power, "numpy")
    sig1, sig2 = ["float64(float64)"], ["float64(float64, float64)"]
    return Functions(
        vectorize(sig1, cache=True)(_exp),
        vectorize(sig1, cache=True)(_log),
        vectorize(sig2, cache=True)(_power),
        "libm",
    )
