"""The track record beside a forecast: the packaged records are the backtest's own."""

from __future__ import annotations

import pytest

from realpolitik.backtest import track_record as tr


def test_packaged_records_are_those_the_backtest_computes() -> None:
    """track_record.json = track_record.table(): if this fails, a model or a shipped case
    changed; regenerate with ``python -m realpolitik.backtest.track_record >
    src/realpolitik/backtest/track_record.json``."""
    doc = tr.packaged_doc()
    assert doc["seed"] == tr.PACKAGED_SEED
    sets = tr.common_sets()
    assert list(doc["records"]) == [",".join(c) for c in sets]
    for chosen in sets:
        fresh = [r.to_dict() for r in tr._backtested(chosen, tr.PACKAGED_SEED)]
        packaged = doc["records"][",".join(chosen)]
        # the same records; numbers to 1e-9 relative, so that another CPU's last bit (numpy's
        # exp/log code paths differ by CPU) is not a failure — any real change is far larger
        assert [{k: v for k, v in r.items() if not isinstance(v, float)} for r in packaged] == [
            {k: v for k, v in r.items() if not isinstance(v, float)} for r in fresh], chosen
        for old, new in zip(packaged, fresh, strict=True):
            floats = {k: v for k, v in new.items() if isinstance(v, float)}
            assert {k: old[k] for k in floats} == pytest.approx(floats, rel=1e-9, abs=1e-12)


def test_common_sets_cover_the_default_forecasts_and_each_model_alone() -> None:
    from realpolitik.forecast import DEFAULT_MODELS
    from realpolitik.models import names

    sets = tr.common_sets()
    assert ("compromise", *DEFAULT_MODELS[1:]) in sets
    assert {c[-1] for c in sets if len(c) <= 2} == set(names())
    assert all(c[0] == tr.BASELINE for c in sets)


def test_track_record_reads_the_package_at_seed_0_and_backtests_otherwise(monkeypatch) -> None:
    calls = []
    real = tr._backtested

    def spy(chosen, seed):
        calls.append((chosen, seed))
        return real(chosen, seed)

    monkeypatch.setattr(tr, "_backtested", spy)
    tr._shipped.cache_clear()
    try:
        at0 = tr.track_record(["smp"], seed=0)
        assert calls == []
        at1 = tr.track_record(["smp"], seed=1)
        assert calls == [(("compromise", "smp"), 1)]
        tr.track_record(["smp", "eum"], seed=0)  # not a packaged set: backtested
        assert calls[-1] == (("compromise", "smp", "eum"), 0)
    finally:
        tr._shipped.cache_clear()
    # the same issues and errors at any seed; only the bootstrap interval moves with it
    (a,), (b,) = (r["smp"][:1] for r in (at0, at1))
    assert (a.n, a.mae, a.diff) == (b.n, b.mae, b.diff)
    assert a.diff_low != pytest.approx(b.diff_low, abs=0)
