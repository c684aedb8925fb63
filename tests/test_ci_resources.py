"""CI runs the browser and database tests or fails: `.ci/browser.sh` and the fixtures'
:func:`ci.missing` turn a missing resource into a failure when ``CI=true``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ci import in_ci, missing

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "browser.sh"


def _browser_sh(tmp_path: Path, ci: str | None, sourced: bool) -> subprocess.CompletedProcess:
    """Run the script where Chromium is absent and apt-get fails (a fake on PATH)."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "apt-get").write_text("#!/bin/sh\nexit 100\n")
    (fake / "apt-get").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PATH=f"{fake}:/usr/bin:/bin", RP_CHROMIUM=str(tmp_path / "no-chromium"))
    if ci is not None:
        env["CI"] = ci
    cmd = f'source "{SCRIPT}"; echo "status=$?"' if sourced else f'bash "{SCRIPT}"'
    return subprocess.run(["bash", "-c", cmd], env=env, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("sourced", [False, True])
def test_browser_script_fails_under_ci_when_chromium_cannot_be_installed(tmp_path, sourced):
    r = _browser_sh(tmp_path, "true", sourced)
    status = int(r.stdout.split("status=")[1]) if sourced else r.returncode
    assert status != 0, r.stderr
    assert "CI=true" in r.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("sourced", [False, True])
def test_browser_script_only_warns_outside_ci(tmp_path, sourced):
    r = _browser_sh(tmp_path, None, sourced)
    status = int(r.stdout.split("status=")[1]) if sourced else r.returncode
    assert status == 0, r.stderr
    assert "will be skipped" in r.stderr


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("", False),
                                             ("false", False)])
def test_missing_resource_fails_under_ci_and_skips_elsewhere(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected
    outcome = pytest.fail.Exception if expected else pytest.skip.Exception
    with pytest.raises(outcome, match="chromium"):
        missing("no chromium here")
