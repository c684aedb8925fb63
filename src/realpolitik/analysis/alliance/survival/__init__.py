"""Will the alliance hold? Dyadic alliance spells from ATOP, their endings, and survival models.

Modules, in the order the data flow through them:

* :mod:`.spells` — dyadic alliance spells from the ATOP dyad-years and how each ended
  (abrogation-like end, a member's state death as a competing end, right-censoring at 2018);
* :mod:`.covariates` — per dyad-year covariates, each lagged one year (no look-ahead);
* :mod:`.table` — the assembled dyad-year table, cached on the input files' hashes;
* :mod:`.models` — Kaplan–Meier, Cox (grouped-time PH), discrete-time logit, boosted trees;
* :mod:`.validate` — rolling-origin out-of-sample scores with event-clustered bootstrap intervals;
* :mod:`.fits` — the yearly refits (one per year, any dyad), warm-started and cached;
* :mod:`.forecast` — any dyad, any year, from a model fitted only on earlier data;
* :mod:`.opeds` — the 2003 and 2006 op-eds' claims as forecasts that can be scored;
* :mod:`.questions` — their question as forecast-ledger records: op-eds, model, base rate, ATOP;
* :mod:`.figures` — the pictures' data: KM by type, hazard ratios, a dyad's yearly line;
* :mod:`.thesis` — hazard ratios for congruence and risk sharing, with robustness checks.
* :mod:`.ph` — proportional-hazards checks of the thesis's Cox fit (effects × log age);
* :mod:`.risks` — competing risks: Aalen–Johansen incidence of abrogation and state
  death beside 1 − KM, and cause-specific hazard ratios.

See ``docs/survival.md`` for the figures and the verdict.
"""
