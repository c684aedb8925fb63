"""JSON-safe copies of result records: one rule for every JSON the project writes.

numpy arrays and scalars become Python lists and numbers; NaN, ±inf and pandas' NA become
``None`` (JSON has no NaN); mapping keys become strings; tuples become lists.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["jsonable"]


def jsonable(x: Any) -> Any:
    """A JSON-safe deep copy of ``x`` (see the module docstring).

    Examples
    --------
    >>> jsonable({"a": np.float64(1.5), 2: [np.nan, np.int64(3)], "t": (1, np.inf)})
    {'a': 1.5, '2': [None, 3], 't': [1, None]}
    """
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if x is not None and not isinstance(x, str | int | float | bool):
        import pandas as pd

        try:
            if pd.isna(x):
                return None
        except (TypeError, ValueError):
            pass
    return x
