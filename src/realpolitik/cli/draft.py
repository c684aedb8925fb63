"""``realpolitik draft``: articles → a draft scenario for the analyst to review.

spaCy and the drafting code are imported inside the command, never at CLI start-up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..scenario import Problem, ScenarioError
from .app import app, err, user_errors

__all__ = ["draft"]


@app.command()
@user_errors
def draft(
    articles: Annotated[list[Path], typer.Argument(help="articles: plain text, Markdown or HTML")],
    output: Annotated[Path, typer.Option("--output", "-o", help="draft scenario (.yaml)")],
    issues: Annotated[Path | None, typer.Option(
        "--issues", help="issues file (YAML list 'issues'); default: candidate issues")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="year of the articles (leaders, capabilities)")] = None,
    llm: Annotated[str | None, typer.Option(
        "--llm", help="OpenAI-compatible chat endpoint to ask for positions (never without)")
    ] = None,
    llm_timeout: Annotated[float, typer.Option(
        "--llm-timeout", help="seconds to wait for each LLM reply")] = 60.0,
    evaluate: Annotated[Path | None, typer.Option(
        "--evaluate", help="score the draft against a key (YAML; see docs/draft.md)")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="data folder (default $REALPOLITIK_DATA or ../shared/data/ir)")] = None,
    name: Annotated[str, typer.Option("--name", help="scenario name")] = "draft",
) -> None:
    """Draft actors, evidence, capabilities and saliences from articles, offline."""
    from ..draft.build import draft as run
    from ..draft.issues import read_issues
    from ..draft.text import ArticleError
    from ..scenario.io import save

    drafted_issues = read_issues(issues) if issues is not None else []
    key = None
    if evaluate is not None:
        from ..draft.evaluate import read_key

        key = read_key(evaluate)
    try:
        result = run(list(articles), drafted_issues, year=year,
                     data_dir=None if data is None else str(data), name=name)
    except ArticleError as e:
        raise ScenarioError([Problem(str(e))]) from None
    scenario = result.scenario
    if llm is not None:
        from ..draft.llm import ask_positions

        scenario, errors = ask_positions(scenario, result, llm, timeout=llm_timeout)
        for e in errors:
            err.print(f"error {e}", markup=False)
    save(scenario, output)
    err.print(f"wrote {output}: {len(scenario.actors)} actors × {len(scenario.issues)} issues, "
              f"{len(scenario.stances)} stances (all values draft: true, to review)",
              markup=False)
    if key is not None:
        from ..draft.evaluate import score

        sys.stdout.write(json.dumps(score(scenario, key), indent=2, ensure_ascii=False) + "\n")
