"""The reader and writer of each scenario format (see :mod:`realpolitik.scenario.io`)."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Scenario
from .decide import read_decide
from .deu import read_deu
from .ktab import read_ktab_csv, read_ktab_xml
from .native_yaml import read_yaml
from .native_yaml_write import dumps_yaml
from .predictioneer import read_predictioneer
from .tidy_csv import dumps_tidy_csv, read_tidy_csv

__all__ = ["READERS", "WRITERS"]

#: Reader of each format, keyed as :data:`~realpolitik.scenario.io.detect.FORMATS` lists them.
READERS: dict[str, Callable[..., Scenario]] = {
    "yaml": read_yaml,
    "csv": read_tidy_csv,
    "predictioneer": read_predictioneer,
    "ktab-csv": read_ktab_csv,
    "ktab-xml": read_ktab_xml,
    "decide": read_decide,
    "deu": read_deu,
}
#: Writer of each writable format.
WRITERS: dict[str, Callable[[Scenario], str]] = {"yaml": dumps_yaml, "csv": dumps_tidy_csv}
