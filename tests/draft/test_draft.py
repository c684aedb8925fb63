"""Drafting the seed op-eds: the drafts validate, point at their lines, and score against the
hand-coded examples turned into keys at test time (no hand-typed answers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shared_data import REPO, shared

pytest.importorskip("spacy")

from realpolitik.draft.build import draft  # noqa: E402
from realpolitik.draft.evaluate import direction_of, key_from_scenario, score  # noqa: E402
from realpolitik.draft.issues import read_issues  # noqa: E402
from realpolitik.scenario import load  # noqa: E402
from realpolitik.scenario.io import dumps  # noqa: E402
from realpolitik.scenario.io.native_yaml import read_yaml  # noqa: E402
from realpolitik.scenario.review import drafted_values  # noqa: E402

SEEDS = {"2006": ("000_994a82a0a741a9a3.txt", 2006), "2003": ("002_36fa93630293b2e9.txt", 2003)}


@pytest.fixture(scope="module")
def drafts():
    out = {}
    for case, (seed, year) in SEEDS.items():
        path = shared("seeds", seed)
        issues = read_issues(REPO / "examples" / f"issues-korea-{case}.yaml")
        result = draft([path], issues, year=year, data_dir=str(shared("data", "ir")))
        key = key_from_scenario(load(REPO / "examples" / f"korea-{case}.yaml"),
                                [path.read_text(encoding="utf-8")])
        out[case] = (path, result, key)
    return out


@pytest.mark.parametrize("case", sorted(SEEDS))
def test_seed_draft_validates_round_trips_and_is_all_draft(drafts, case, tmp_path):
    _, result, _ = drafts[case]
    sc = result.scenario
    assert len(sc.issues) >= 2 and len(sc.stances) >= 4
    out = tmp_path / "draft.yaml"
    out.write_text(dumps(sc), encoding="utf-8")
    assert read_yaml(out) == sc  # lossless: line, method and draft survive YAML
    flagged = {d.where for d in drafted_values(sc)}
    for a in sc.actors:
        assert f"actor {a.id} capability" in flagged
    for s in sc.stances:
        assert {f"stance {s.actor} on {s.issue} position",
                f"stance {s.actor} on {s.issue} salience"} <= flagged


@pytest.mark.parametrize("case", sorted(SEEDS))
def test_every_evidence_quote_is_on_its_line(drafts, case):
    path, result, _ = drafts[case]
    lines = path.read_text(encoding="utf-8").splitlines()
    n = 0
    for s in result.scenario.stances:
        for k, p in s.provenance.items():
            if k.startswith("evidence"):
                assert p.line is not None and p.quote[:40] in lines[p.line - 1]
                n += 1
    assert n >= len(result.scenario.stances)


def test_scores_against_the_hand_coded_examples(drafts):
    hits = covered = 0
    for case in SEEDS:
        _, result, key = drafts[case]
        s = score(result.scenario, key)
        assert s["actor_recall"] >= 0.9, (case, s["actors_missed"])
        assert s["stances_covered"] >= 10
        # measured: 2006 0.71 (12/17), 2003 0.73 (11/15); the issue asks 0.6 (docs/draft.md)
        assert s["evidence_recall_at_3"] >= 0.6, (case, s["stances"])
        hits += sum(x["hit"] for x in s["stances"])
        covered += s["stances_covered"]
    assert hits / covered >= 0.7  # measured 23/32


def test_an_actor_never_named_is_not_counted_against_recall(drafts):
    _, _, key = drafts["2006"]  # China has no role in the 2006 op-ed's text
    in_text = {a["id"]: a["in_text"] for a in key["actors"]}
    assert in_text["China"] is False and in_text["ROK_public"] is True


def test_domestic_actors_and_leaders_resolve(drafts):
    _, result, _ = drafts["2003"]
    actors = {a.id: a for a in result.actors}
    assert "KOR_military" in actors and "KOR_public" in actors
    assert "South Koreans" in actors["KOR_public"].aliases
    assert "Roh" in actors["KOR"].aliases  # "Roh said ..." by surname, through Archigos
    _, result06, _ = drafts["2006"]
    kor = {a.id: a for a in result06.actors}["KOR"]
    assert {"Seoul", "ROK"} <= set(kor.aliases)  # capital metonym, defined abbreviation


def test_direction_thirds():
    assert [direction_of(v, 0, 100) for v in (10, 39.9, 50, 60, 61)] == [
        "low", "low", "middle", "middle", "high"]


def test_cli_starts_without_importing_spacy():
    code = "import sys, realpolitik.cli; assert 'spacy' not in sys.modules, 'spacy imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_cli_draft_evaluate_and_validate(tmp_path):
    from typer.testing import CliRunner

    from realpolitik.cli import app

    seed = shared("seeds", SEEDS["2003"][0])
    key = tmp_path / "key.yaml"
    import yaml

    key.write_text(yaml.safe_dump(key_from_scenario(
        load(REPO / "examples" / "korea-2003.yaml"), [seed.read_text(encoding="utf-8")])))
    out = tmp_path / "d.yaml"
    r = CliRunner().invoke(app, ["draft", str(seed), "--issues",
                                 str(REPO / "examples" / "issues-korea-2003.yaml"), "--year",
                                 "2003", "--data", str(shared("data", "ir")), "--evaluate",
                                 str(key), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert '"actor_recall": 1.0' in r.stdout
    v = CliRunner().invoke(app, ["validate", str(out)])
    assert v.exit_code == 0 and "drafted value" in v.stdout and "needs" not in v.stderr
    bad = CliRunner().invoke(app, ["draft", str(tmp_path / "none.txt"), "-o", str(out)])
    assert bad.exit_code == 2 and "none.txt" in bad.output


def test_markdown_and_html_keep_their_lines(tmp_path):
    from realpolitik.draft.text import read_article

    md = tmp_path / "a.md"
    md.write_text("# Title\n\nFirst *para*\ncontinues here.\n\n- an item\n", encoding="utf-8")
    art = read_article(md, "a")
    assert [(p.text, p.line) for p in art.paragraphs] == [
        ("Title", 1), ("First para continues here.", 3), ("an item", 6)]
    assert art.paragraphs[1].line_at(len("First para c")) == 4
    html = tmp_path / "b.html"
    html.write_text("<html><head><title>T</title><script>x()</script></head>\n<body>\n"
                    "<p>One <b>bold</b> claim.</p>\n<nav>menu</nav>\n<p>Two.</p></body></html>",
                    encoding="utf-8")
    art = read_article(html, "b")
    assert [(p.text, p.line) for p in art.paragraphs] == [("One bold claim.", 3), ("Two.", 5)]
    assert art.title == "T"


def test_issues_file_problems_are_located(tmp_path):
    from realpolitik.scenario import ScenarioError

    f = tmp_path / "i.yaml"
    f.write_text("issues:\n  - id: a\n    scale: [0]\n  - name: no id\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        read_issues(f)
    text = [str(p) for p in e.value.problems]
    assert any(":3" in t and "scale" in t for t in text) and any(":4" in t for t in text)


def test_example_issue_files_match_the_examples():
    for case in SEEDS:
        ex = load(REPO / "examples" / f"korea-{case}.yaml")
        drafted = read_issues(Path(REPO / "examples" / f"issues-korea-{case}.yaml"))
        for d in drafted:
            i = ex.issue(d.issue.id)
            assert (i.name, i.low, i.high, i.low_label, i.high_label, i.anchors) == (
                d.issue.name, d.issue.low, d.issue.high, d.issue.low_label,
                d.issue.high_label, d.issue.anchors)
