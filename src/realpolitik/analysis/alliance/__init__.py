"""Alliances: cohesion from a scenario (``cohesion``: interest congruence, risk sharing,
dynamics), from real data (``cohesion_data``: the dyad-year panel over ``data``), the
similarity measures behind it (``similarity``), their plain-language names (``glossary``) and
whether an alliance survives (``survival``: ATOP spells, hazard models, validation, forecasts).
Imports ``scenario``, ``models`` and ``data``; never ``analysis.uncertainty``/``strategy`` or
anything above ``analysis``."""
