"""Real-world datasets for alliance cohesion: UN votes, ATOP, COW NMC, state lists, events.

Each submodule loads one dataset into a tidy :class:`pandas.DataFrame` with documented
columns: :mod:`~realpolitik.data.unvotes`, :mod:`~realpolitik.data.atop`,
:mod:`~realpolitik.data.nmc`, :mod:`~realpolitik.data.states`,
:mod:`~realpolitik.data.countrycodes`, :mod:`~realpolitik.data.events`,
:mod:`~realpolitik.data.cameo`.

Every loader takes an explicit ``path`` or a ``data_dir``; the default directory is
``$REALPOLITIK_DATA``, else ``../shared/data/ir`` relative to the current working directory.
Nothing is downloaded. A missing or malformed file raises :class:`DataError`, whose message
names the file and the problem.
"""

from realpolitik.data._io import DATA_ENV_VAR, DataError, data_dir

__all__ = ["DATA_ENV_VAR", "DataError", "data_dir"]
