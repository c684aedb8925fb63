"""The vendored Vega, Vega-Lite and Vega-Embed builds (``static/``; see its README).

Reports inline them, so a report opens with no network; the web app serves the same files.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["SCRIPTS", "script", "inline_scripts", "LICENCE_NOTICE"]

#: Load order: vega-embed needs vega and vega-lite as globals.
SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

LICENCE_NOTICE = (
    "Vega 6.4.0, Vega-Lite 6.4.1 and Vega-Embed 7.3.0 (c) University of Washington Interactive "
    "Data Lab, BSD-3-Clause; Vega bundles d3 modules (c) Mike Bostock, ISC. Full licences: "
    "realpolitik/report/static/LICENSE.*"
)


@cache
def script(name: str) -> str:
    """The text of one vendored script (``name`` from :data:`SCRIPTS`)."""
    if name not in SCRIPTS:
        raise KeyError(name)
    return (resources.files("realpolitik.report") / "static" / name).read_text("utf-8")


def inline_scripts() -> str:
    """All three scripts, safe to put inside ``<script>`` elements (no ``</script``)."""
    return "\n".join(re.sub(r"</(script)", r"<\\/\1", script(n), flags=re.I) for n in SCRIPTS)
