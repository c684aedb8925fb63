"""`data fetch` against a local HTTP server: checksum-verified, atomic, resumable, no network."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.data import DataError
from realpolitik.data.fetch import DATASETS, fetch, sha256

from shared_data import shared


@pytest.fixture
def mirror(tmp_path):
    """Serve the reference copies of every dataset file, laid out as repo/commit/path."""
    root = tmp_path / "mirror"
    for files in DATASETS.values():
        for f in files:
            src = shared("data", "ir", *f.target.split("/"))
            dest = root / f.repo / f.commit / f.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_downloads_and_verifies(mirror, tmp_path):
    _, url = mirror
    seen = []
    paths = fetch("unvotes", tmp_path / "data", base_url=url,
                  progress=lambda f, done, total: seen.append((f, done, total)))
    assert [p.name for p in paths] == ["un_votes.rda", "un_roll_calls.rda",
                                      "un_roll_call_issues.rda"]
    for p, f in zip(paths, DATASETS["unvotes"], strict=True):
        assert sha256(p) == f.sha256
    assert seen and seen[-1][1] == seen[-1][2]  # progress reached the full size
    assert not list((tmp_path / "data").rglob("*.part"))


def test_fetched_data_loads(mirror, tmp_path):
    _, url = mirror
    fetch("nmc", tmp_path / "data", base_url=url)
    from realpolitik.data.nmc import load_nmc

    nmc = load_nmc(data_dir=tmp_path / "data")
    assert {"ccode", "year", "milex"} <= set(nmc.columns)


def test_present_files_are_not_downloaded_again(mirror, tmp_path):
    root, url = mirror
    fetch("atop", tmp_path / "data", base_url=url)
    shutil.rmtree(root)  # the server has nothing now: a second fetch must not need it
    (p,) = fetch("atop", tmp_path / "data", base_url=url)
    assert p.exists()


def test_checksum_mismatch_writes_nothing(mirror, tmp_path):
    root, url = mirror
    (f,) = DATASETS["atop"]
    (root / f.repo / f.commit / f.path).write_bytes(b"tampered")
    with pytest.raises(DataError, match="checksum mismatch"):
        fetch("atop", tmp_path / "data", base_url=url)
    assert not (tmp_path / "data" / f.target).exists()
    assert not list((tmp_path / "data").rglob("*.part"))


def test_unreachable_source_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="download failed"):
        fetch("nmc", tmp_path, base_url="http://127.0.0.1:9", timeout=2)


def test_cli_fetch_and_list(mirror, tmp_path):
    _, url = mirror
    runner = CliRunner()
    r = runner.invoke(app, ["data", "fetch", "states", "--data", str(tmp_path / "d"),
                            "--base-url", url])
    assert r.exit_code == 0, r.output
    assert Path(r.stdout.split()[1]).exists()
    listing = runner.invoke(app, ["data", "list", "--data", str(tmp_path / "d")])
    assert "3/3" in listing.stdout
    bad = runner.invoke(app, ["data", "fetch", "nope", "--data", str(tmp_path)])
    assert bad.exit_code == 2 and "unknown dataset 'nope'" in bad.stderr
