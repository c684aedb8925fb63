"""Conformance suite: every registered model keeps the promises its metadata makes.

Like Axelrod's ``TestPlayer`` and scikit-learn's ``check_estimator``: the same seed gives
the same result, actor order does not matter, outcomes stay on the issue's scale (and in the
positions' hull where the model claims it), records are JSON-safe, dynamic models report
rounds. A newly registered model is checked here without any further test code.
"""

from __future__ import annotations

import json

import pytest

from realpolitik.forecast import forecast
from realpolitik.models import get, names
from realpolitik.scenario import Actor, Issue, Scenario, Space, Stance

POS = {"A": (10, 80), "B": (35, 60), "C": (50, 20), "D": (90, 45), "E": (70, 70)}
SAL = {"A": (0.9, 0.3), "B": (0.5, 0.6), "C": (0.7, 0.8), "D": (0.4, 0.9), "E": (0.6, 0.2)}
CAP = {"A": 40, "B": 25, "C": 60, "D": 30, "E": 15}


def scenario(order: list[str] | None = None) -> Scenario:
    ids = order or list(POS)
    return Scenario(
        name="conformance", salience_scale=1,
        actors=[Actor(id=a, capability=CAP[a]) for a in ids],
        issues=[Issue(id="p", low=0, high=100, status_quo=30),
                Issue(id="q", low=0, high=100, status_quo=50)],
        spaces=[Space(id="pq", issues=("p", "q"))],
        stances=[Stance(actor=a, issue=iss, position=POS[a][k], salience=SAL[a][k])
                 for a in ids for k, iss in enumerate(("p", "q"))])


@pytest.fixture(params=names(), scope="module")
def model(request):
    return request.param


@pytest.fixture(scope="module")
def base(model):
    return forecast(scenario(), [model], seed=42)


def test_same_seed_same_record(model, base):
    again = forecast(scenario(), [model], seed=42)
    assert json.dumps(again.to_dict()) == json.dumps(base.to_dict())


def test_actor_order_does_not_matter(model, base):
    shuffled = forecast(scenario(["D", "B", "E", "A", "C"]), [model], seed=42)
    for issue in ("p", "q"):
        a, b = base.outcome(model, issue), shuffled.outcome(model, issue)
        assert (a is None and b is None) or a == pytest.approx(b, abs=1e-6)


def test_outcomes_on_scale_and_in_hull_when_promised(model, base):
    cls = get(model)
    for k, issue in enumerate(("p", "q")):
        out = base.outcome(model, issue)
        if out is None:
            assert cls.needs_status_quo or base.result(model).issues[k].details
            continue
        assert 0 <= out <= 100
        if cls.within_hull:
            xs = [p[k] for p in POS.values()]
            assert min(xs) - 1e-9 <= out <= max(xs) + 1e-9


def test_record_is_strict_json(model, base):
    json.dumps(base.to_dict(), allow_nan=False)


def test_dynamic_models_report_rounds(model, base):
    r = base.result(model)
    has_rounds = bool(r.rounds) or any(f.rounds for f in r.issues)
    assert has_rounds == get(model).dynamic


def test_params_are_documented_with_defaults(model):
    for name, field in get(model).Params.model_fields.items():
        assert not field.is_required(), f"{model}.{name} needs a default"
