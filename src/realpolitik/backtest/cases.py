"""The case library: scenarios whose issues have known outcomes, to score models on.

A *case* is a scenario in which at least one issue records ``outcome: {value, date, source}``.
Three kinds exist:

* **Shipped cases** — small YAML scenarios of our own, packaged in ``realpolitik/cases/`` so a
  pip-installed copy can backtest with no files at hand: ``emission-1994`` (Bueno de
  Mesquita's EC car-emission case, outcome 8.833 years), ``korea-2003`` and ``korea-2006``
  (the U.S.–ROK alliance scenarios coded from the two op-eds, with the historical outcomes of
  their issues). They are byte-identical copies of ``examples/*.yaml`` (a test keeps them so).
* **User cases** — any scenario file that ``realpolitik.scenario.io.load`` reads and that
  records outcomes (YAML, tidy CSV, …), or a folder of such files.
* **Datasets** — a DEU III file (Arregui & Perarnaud 2022; CC BY 4.0, CORA
  doi:10.34810/data53; user-supplied, not shipped): one issue per row, each with its outcome.
  Member states' capabilities are their Council votes (:data:`DEU_CAPABILITY`, Treaty of
  Nice); the Commission's and Parliament's weights have no treaty value, so they are explicit
  parameters (:func:`deu_capability`) that a backtest can sweep.

References
----------
1. Arregui, J. & Perarnaud, C. (2022). A new dataset on legislative decision-making in the
   European Union: the DEU III dataset. *J. European Public Policy* 29(1), 12–22.
2. Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
   Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, 71–104.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..scenario import Scenario
from ..scenario.io import detect_format, load
from ..scenario.io.deu import DEU_CAPABILITY

__all__ = [
    "Case",
    "shipped_names",
    "shipped",
    "load_cases",
    "deu_capability",
    "DEFAULT_DEU_WEIGHTS",
]

#: Commission and Parliament weight of the default DEU table (that of the largest member state).
DEFAULT_DEU_WEIGHTS = (29.0, 29.0)


@dataclass(frozen=True)
class Case:
    """A scenario with known outcomes, where it came from and (for datasets) issue clusters.

    ``variant`` names a parameterisation of the same data (e.g. ``com=29,ep=29`` for the DEU
    weights); ``clusters`` maps issue id → cluster (the legislative proposal of a DEU issue)
    for the clustered bootstrap.
    """

    name: str
    scenario: Scenario
    origin: str
    variant: str = ""
    clusters: dict[str, str] | None = None

    @property
    def label(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name

    def resolved_issues(self) -> list[str]:
        """Ids of the issues with a known outcome."""
        return [i.id for i in self.scenario.issues if i.outcome is not None]


def _shipped_dir() -> resources.abc.Traversable:
    return resources.files("realpolitik") / "cases"


def shipped_names() -> list[str]:
    """Names of the cases shipped in the package (sorted)."""
    return sorted(
        p.name[: -len(".yaml")] for p in _shipped_dir().iterdir() if p.name.endswith(".yaml")
    )


def shipped(name: str | None = None) -> list[Case]:
    """The shipped case ``name``, or all of them."""
    names = shipped_names() if name is None else [name]
    out = []
    for n in names:
        res = _shipped_dir() / f"{n}.yaml"
        if not res.is_file():
            raise KeyError(f"no shipped case {n!r}; shipped: {', '.join(shipped_names())}")
        with resources.as_file(res) as path:
            out.append(Case(n, load(path), origin=f"package:{n}"))
    return out


def deu_capability(
    commission: float = DEFAULT_DEU_WEIGHTS[0],
    parliament: float = DEFAULT_DEU_WEIGHTS[1],
    table: dict[str, float] | None = None,
) -> dict[str, float]:
    """The DEU capability table: Council votes for member states, given Commission/EP weights.

    >>> t = deu_capability(commission=10, parliament=50)
    >>> (t["com"], t["ep"], t["de"], t["mt"])
    (10.0, 50.0, 29, 3)
    """
    out = dict(DEU_CAPABILITY if table is None else table)
    out["com"], out["ep"] = float(commission), float(parliament)
    return out


def _deu_clusters(sc: Scenario) -> dict[str, str]:
    # DEU issue ids are <proposal>i<k> (d00032i1, d00032i2, ...): cluster by the proposal
    return {i.id: i.id.rsplit("i", 1)[0] if "i" in i.id[1:] else i.id for i in sc.issues}


def _load_file(path: Path, deu_weights: list[tuple[float, float]] | None) -> list[Case]:
    if detect_format(path) != "deu":
        return [Case(path.stem, load(path), origin=str(path))]
    out = []
    for com, ep in deu_weights or [DEFAULT_DEU_WEIGHTS]:
        sc = load(path, format="deu", capability=deu_capability(com, ep))
        variant = f"com={com:g},ep={ep:g}"
        out.append(Case(path.stem, sc, str(path), variant, _deu_clusters(sc)))
    return out


def load_cases(
    specs: list[str] | None = None, deu_weights: list[tuple[float, float]] | None = None
) -> list[Case]:
    """Cases from shipped names, scenario files or folders (default: every shipped case).

    Parameters
    ----------
    specs : each a shipped case name (``korea-2003``), a file, or a folder (every file in it).
    deu_weights : ``(commission, parliament)`` weights; a DEU file gives one case per pair.

    Examples
    --------
    >>> [c.name for c in load_cases()]
    ['emission-1994', 'korea-2003', 'korea-2006']
    """
    if not specs:
        return shipped()
    known = set(shipped_names())
    out: list[Case] = []
    for spec in specs:
        p = Path(spec)
        if spec in known and not p.exists():
            out.extend(shipped(spec))
        elif p.is_dir():
            for f in sorted(x for x in p.iterdir() if x.is_file() and not x.name.startswith(".")):
                out.extend(_load_file(f, deu_weights))
        elif p.exists():
            out.extend(_load_file(p, deu_weights))
        else:
            raise FileNotFoundError(
                f"{spec}: no such file or folder, and not a shipped case "
                f"({', '.join(sorted(known))})"
            )
    return out
