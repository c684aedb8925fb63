"""How sure is a forecast: input distributions (``sampling``), Monte Carlo draws
(``montecarlo``), sweeps over scenarios × runs × draws with checkpoints (``sweep``) and which
input matters most (``sensitivity``). Imports ``scenario``, ``models``, ``forecast`` and
``analysis.strategy`` (drop-one uses its scenario edits); nothing above ``analysis``."""
