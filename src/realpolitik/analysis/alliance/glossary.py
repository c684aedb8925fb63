"""Plain-language names and one-line definitions of the cohesion measures, the strain
thresholds, and how far each data source reaches: what a reader of the cohesion page, the
report or a CSV needs to interpret columns such as ``un_s_abs`` or
``atop_val_kappa_quadratic``. The formulas are in :mod:`realpolitik.analysis.alliance.similarity`
(data-based) and :mod:`realpolitik.analysis.alliance.cohesion` (scenario-based)."""

from __future__ import annotations

import re
from typing import Any

from .cohesion import VERDICTS

__all__ = ["MEASURES", "SCENARIO_MEASURES", "explain", "thresholds", "coverage"]

#: data-based measures (columns of the dyad-year panel): (plain name, one-line definition)
MEASURES: dict[str, tuple[str, str]] = {
    "un_n": ("UN roll calls", "roll calls that year on which both states voted "
             "(yes, abstain or no)."),
    "un_agree": ("UN vote agreement", "Voeten's index: 1 = always voted alike, 0 = always "
                 "opposite; an abstention against a yes or no counts as half agreement."),
    "un_s_abs": ("UN vote similarity (S)", "Signorino–Ritter S over yes/abstain/no: 1 = "
                 "identical votes, −1 = opposite votes on every roll call."),
    "un_kappa_nominal": ("UN agreement beyond chance (κ, exact)", "Cohen's κ: share of "
                         "identical votes corrected for chance given each state's habits; "
                         "0 = chance, 1 = always identical."),
    "un_kappa_quadratic": ("UN agreement beyond chance (κ)", "Cohen's weighted κ: like S, but "
                           "corrected for the agreement two states' voting habits give by "
                           "chance; 0 = chance, 1 = perfect, below 0 = worse than chance."),
    "un_pi_nominal": ("UN agreement beyond chance (π)", "Scott's π: κ with the two states' "
                      "pooled vote shares as the chance baseline."),
    "atop_tie": ("Alliance tie (ATOP)", "the pair's strongest obligation that year: 3 = "
                 "defence or offence pact, 2 = neutrality or consultation, 1 = "
                 "non-aggression only, 0 = none."),
    "atop_val_s_abs": ("Alliance-portfolio similarity (S)", "Signorino–Ritter S over both "
                       "states' ties (0–3) with every state in the system: 1 = the same "
                       "allies at the same depth."),
    "atop_val_kappa_quadratic": ("Alliance-portfolio agreement beyond chance (κ)",
                                 "Cohen's weighted κ over the two alliance portfolios: "
                                 "similarity beyond what states with so few or so many "
                                 "allies would share by chance."),
    "burden_share_b": ("Partner's share of military spending", "the second state's share of "
                       "the pair's combined military spending (COW NMC)."),
}

#: scenario-based alliance strain (see realpolitik.analysis.alliance.cohesion)
SCENARIO_MEASURES: dict[str, tuple[str, str]] = {
    "strain": ("Strain", "mean of the strain components, 0 = none … 1 = full."),
    "congruence": ("Interest congruence", "salience-weighted similarity of the partners' "
                   "positions over the issues they share: 1 = identical, −1 = opposite ends."),
    "risk_balance": ("Risk balance", "smallest partner's stake on the security issues over "
                     "the largest (capability × salience): 1 = equal risks, 0 = one carries "
                     "all."),
}


def explain(column: str) -> tuple[str, str]:
    """(plain name, definition) of a panel column; unknown columns keep their name."""
    if column in MEASURES:
        return MEASURES[column]
    if column in SCENARIO_MEASURES:
        return SCENARIO_MEASURES[column]
    return column.replace("_", " "), ""


def thresholds() -> str:
    """The strain verdicts in words: ``"cohesive below 0.25, strained from 0.25 to below
    0.5, at risk from 0.5"``."""
    parts, low = [], None
    for bound, verdict in VERDICTS:
        if low is None:
            parts.append(f"{verdict} below {bound:g}")
        elif bound > 1:
            parts.append(f"{verdict} from {low:g}")
        else:
            parts.append(f"{verdict} from {low:g} to below {bound:g}")
        low = bound
    return ", ".join(parts)


def coverage(series: dict[str, Any]) -> list[dict[str, Any]]:
    """Per data source of a dyad panel document: its name, the years the dataset covers
    and the latest year with a value for this dyad in the requested range (``None``: none).
    """
    from ...data import atop, nmc

    version = series.get("data_version") or {}
    sessions = str((version.get("unvotes") or {}).get("sessions", ""))
    m = re.fullmatch(r"(\d+)-(\d+)", sessions)
    un = (1945 + int(m.group(1)), 1945 + int(m.group(2))) if m else None  # session n: 1945+n
    years = series.get("years") or []

    def last(col: str) -> int | None:
        found = [y["year"] for y in years if y.get(col) is not None]
        return max(found) if found else None

    return [
        {"source": "UN General Assembly votes", "detail": (version.get("unvotes") or {})
         .get("source", ""), "covers": un, "latest": last("un_n")},
        {"source": "ATOP alliances", "detail": (version.get("atop") or {}).get("source", ""),
         "covers": atop.COVERAGE, "latest": last("atop_tie")},
        {"source": "COW military spending", "detail": (version.get("nmc") or {})
         .get("source", ""), "covers": nmc.COVERAGE, "latest": last("burden_share_b")},
    ]
