"""KTAB's pseudo-random stream, to replay KTAB's stochastic SMP runs draw for draw.

KTAB (``kutils/libsrc/prng.cpp``) draws 64-bit words from the standard 64-bit Mersenne
Twister, MT19937-64 [1]_, passes each through the bijection
q(s) = (s + a)(2s + 3) mod 2⁶⁴ with a = 0xE08C1D668B756F83, and maps it to [0, 1] as
q / (2⁶⁴ − 1). Our own stochastic runs use a :class:`numpy.random.Generator`; this class
exists only so a test can reproduce an oracle produced by KTAB with a given ``prngSeed``.

References
----------
.. [1] Nishimura, T. (2000). Tables of 64-bit Mersenne twisters. *ACM Transactions on
   Modeling and Computer Simulation* 10(4), 348–357.
"""

from __future__ import annotations

__all__ = ["MT19937_64", "KtabPRNG"]

_MASK = (1 << 64) - 1
_N, _M = 312, 156
_UPPER, _LOWER = 0xFFFFFFFF80000000, 0x7FFFFFFF
_MATRIX_A = 0xB5026F5AA96619E9
_Q_SHIFT = 0xE08C1D668B756F83


class MT19937_64:
    """The standard 64-bit Mersenne Twister (C++ ``std::mt19937_64``)."""

    def __init__(self, seed: int):
        mt = [seed & _MASK]
        for i in range(1, _N):
            mt.append((6364136223846793005 * (mt[-1] ^ (mt[-1] >> 62)) + i) & _MASK)
        self._mt, self._i = mt, _N

    def _twist(self) -> None:
        mt = self._mt
        for i in range(_N):
            x = (mt[i] & _UPPER) | (mt[(i + 1) % _N] & _LOWER)
            mt[i] = mt[(i + _M) % _N] ^ (x >> 1) ^ (_MATRIX_A if x & 1 else 0)
        self._i = 0

    def next(self) -> int:
        """The next 64-bit output."""
        if self._i >= _N:
            self._twist()
        y = self._mt[self._i]
        self._i += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & _MASK


class KtabPRNG:
    """KTAB's ``PRNG::uniform(0, 1)``: call the instance for the next draw on [0, 1]."""

    def __init__(self, seed: int):
        self._mt = MT19937_64(seed)

    def __call__(self) -> float:
        s = self._mt.next()
        q = ((s + _Q_SHIFT) * (2 * s + 3)) & _MASK
        return float(q) / float(_MASK)
