"""The vendored Vega builds: exactly the files documented, matching Altair's versions."""

from __future__ import annotations

import hashlib
import re

import altair as alt

from realpolitik.report.assets import SCRIPTS, inline_scripts, script

SHA256 = {
    "vega.min.js": "8f6a3587cf8d4f42c7e08120e3eb05d067e746d554e39d2dcf52acc0bd5ba28f",
    "vega-lite.min.js": "0b93c8be31080a35ea80ffa71bee3aa559e65f75697d42158d9ef85249236c66",
    "vega-embed.min.js": "943452d808cdd9d985076d24de54c8b3911be70c385ffc14c5a5225e7b25b368",
}


def test_files_are_the_documented_builds():
    for name in SCRIPTS:
        assert hashlib.sha256(script(name).encode("utf-8")).hexdigest() == SHA256[name], name
        assert "sourceMappingURL" not in script(name)  # nothing to fetch when opened offline


def test_versions_match_altair():
    vega = re.search(r'version="([\d.]+)"', script("vega.min.js")).group(1)
    assert vega.split(".")[0] == alt.VEGA_VERSION.lstrip("v").split(".")[0]
    assert f'"{alt.VEGALITE_VERSION.lstrip("v")}"' in script("vega-lite.min.js")
    assert f"v{alt.VEGALITE_VERSION.lstrip('v')}" == alt.SCHEMA_VERSION


def test_inlined_text_cannot_close_its_script_element():
    assert "</script" not in inline_scripts().lower()
