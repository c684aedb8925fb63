"""How sure is a forecast: input distributions (``sampling``), one model on a batch of draws
(``evaluate``), sweeps over scenarios × runs × draws with checkpoints (``sweep``), Monte Carlo
forecasts (``montecarlo``) and which input matters most (``sensitivity``), each importing only
the ones before it. Imports ``scenario``, ``models``, ``forecast``; nothing above ``analysis``
and nothing beside it (``strategy`` and ``alliance`` may use this package)."""
