"""The two seed op-eds' claims about the U.S.–ROK alliance, as forecasts that can be scored.

Both op-eds (``../shared/seeds``) argue about one question — will the alliance hold? — and each
answers it. Entered as probabilistic forecasts of the survival model's event (the dyad's ATOP
alliance ends within 5 years of the op-ed's year), so that they can be scored beside the model
(Brier 1950) against what happened:

* spring 2003, "The rot in the alliance has set in beyond repair": the alliance will end —
  coded as P(end within 5 years) = 0.9 (a confident prediction of an end, not a certainty);
* September 2006, "dire predictions of the end of the alliance are not destined to come
  true": it will hold — coded as P = 0.1.

The coding of a verbal claim as a number is ours and stated here; the Brier scores of the two
claims move with it, their order against the model's does not for any coding ≥ 0.5 / ≤ 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OpEd", "OPEDS", "DYAD"]

DYAD = ("USA", "KOR")
"""The alliance both op-eds are about (ISO3; COW 2 and 732)."""


@dataclass(frozen=True)
class OpEd:
    """One op-ed's claim about the alliance, as a forecast of ending within 5 years."""

    year: int
    date: str
    seed: str
    quote: str
    claim: str
    p_end_5y: float
    forecaster: str = ""
    """The op-ed's name in the forecast ledger (as in ``store/pundits.yaml``)."""

    @property
    def label(self) -> str:
        return f"{self.year} op-ed: {self.claim}"


OPEDS = (
    OpEd(2003, "2003-03", "002_36fa93630293b2e9.txt",
         "The rot in the alliance has set in beyond repair.", "will end", 0.9,
         "pundit: op-ed 2003 (beyond repair)"),
    OpEd(2006, "2006-09", "000_994a82a0a741a9a3.txt",
         "dire predictions of the end of the alliance are not destined to come true",
         "will hold", 0.1, "pundit: op-ed 2006 (will hold)"),
)
"""The seed op-eds in date order."""
