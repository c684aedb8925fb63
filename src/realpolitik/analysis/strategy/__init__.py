"""What an actor could do: shocks and what-if comparisons (``whatif``) and an actor's levers
(``levers``). Imports ``scenario``, ``models``, ``forecast`` and ``analysis.uncertainty``;
nothing above ``analysis``."""
