"""``realpolitik survival ledger``: the op-eds' forecasts sealed and scored beside the model's.

Seals, for each seed op-ed, its claim as P(the U.S.–ROK alliance ends within 5 years), the
survival model's probability fitted only on the years before the op-ed, and the Kaplan–Meier
base rate; resolves each question from ATOP; prints the Brier scores from the ledger. Running
it again seals nothing new (:func:`realpolitik.store.ledger.seal_new`).
"""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from ..scenario import Problem, ScenarioError
from .app import OutFormat, err, out, user_errors
from .backtest import DbOption
from .survival import DataOpt, FormatOpt, _load, survival_app

__all__ = ["ledger_cmd"]


def _p(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.2g}" if 0 < abs(x) < 0.01 else f"{x:.3f}"


@survival_app.command("ledger")
@user_errors
def ledger_cmd(
    model: Annotated[str, typer.Option("--model", "-m", help="survival model")] = "cox",
    data: DataOpt = None,
    db: DbOption = None,
    format: FormatOpt = OutFormat.table,
) -> None:
    """Seal the op-eds' forecasts, the model's and the base rate's; resolve from ATOP; score.

    Question: does the U.S.–ROK alliance end by abrogation within 5 years of the op-ed's year?
    Scored by the Brier score. Idempotent: a second run seals nothing new.
    """
    from ..analysis.alliance.survival import forecast as fc
    from ..analysis.alliance.survival import models as mdl
    from ..analysis.alliance.survival import questions as qs
    from ..store import Store, ledger

    if model not in mdl.REGISTRY:
        raise ScenarioError([Problem(f"unknown model {model!r}; known: {list(mdl.REGISTRY)}",
                                     field="--model")])
    try:
        records = qs.ledger_records(_load(data), model)
    except fc.ForecastError as e:
        raise ScenarioError([Problem(str(e), field="survival ledger")]) from None
    questions = list(dict.fromkeys(r["question"] for r in records))
    with Store(db) as store:
        seqs, skipped = ledger.seal_new(store, records)
        scores = ledger.score(store)
        where = store.display_url
    scores = scores[scores["question"].isin(questions)]
    summary = ledger.summarise(scores)
    if format is OutFormat.json:
        doc = {"schema": "realpolitik.survival-ledger/1", "model": model,
               "horizon": fc.HORIZON, "db": where, "questions": questions,
               "sealed": seqs, "already_sealed": skipped,
               "records": records,
               "scores": json.loads(scores.to_json(orient="records", double_precision=15)),
               "summary": json.loads(summary.to_json(orient="records", double_precision=15))}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return
    out.print(f"sealed {len(seqs)} new entr{'y' if len(seqs) == 1 else 'ies'} in {where}"
              + (f" ({skipped} already sealed)" if skipped else ""), markup=False)
    t = Table(title="Will the U.S.–ROK alliance end by abrogation within 5 years? The op-eds, "
              f"the {model} model and the base rate (each fitted before the year), scored "
              "against ATOP", title_justify="left")
    for c in ("question", "forecaster", "P(end ≤5y)", "outcome", "Brier", "backtest"):
        t.add_column(c)
    for r in scores.to_dict(orient="records"):
        t.add_row(r["question"], r["forecaster"], _p(r["value"]), f"{r['outcome']:g}",
                  _p(r["brier"]), "yes" if r["hindsight"] else "no")
    out.print(t)
    unresolved = [q for q in questions if q not in set(scores["question"])]
    if unresolved:
        err.print(f"not resolved yet (the window runs past the data): {', '.join(unresolved)}",
                  markup=False)
    out.print("Brier = (P − outcome)², lower is better (0.25 for a coin flip). 'backtest': the "
              "model's forecast was computed now from the years before the question, out of "
              "sample but not made at the time. See `realpolitik ledger score --by question`.",
              markup=False)
