"""No look-ahead: changing any source in year t leaves every covariate of years <= t alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from realpolitik.analysis.alliance.survival import covariates as cov
from realpolitik.analysis.alliance.survival import spells as sp

from shared_data import shared

T0 = 1960


@pytest.fixture(scope="module")
def setup():
    base = shared("data", "ir")
    from realpolitik.data import atop, nmc, peacescience, states

    spells = sp.build_spells(atop.load_atop(data_dir=base),
                             states.load_states("cow", data_dir=base))
    rows = sp.spell_years(spells)
    rows = rows[(rows.year >= 1950) & (rows.year <= 1970)].reset_index(drop=True)
    ps = {n: peacescience.load(n, base) for n in peacescience.TABLES}
    rng = np.random.default_rng(0)
    un = rows[["ccode1", "ccode2", "year"]].drop_duplicates().assign(
        un_agree=lambda f: rng.random(len(f)), un_kappa=lambda f: rng.random(len(f)))
    src = cov.Sources(nmc=nmc.load_nmc(data_dir=base), democracy=ps["ccode_democracy"],
                      majors=ps["cow_majors"], contdir=ps["cow_contdir"],
                      mindist=ps["cow_mindist"], igos=ps["cow_igo_ndy"],
                      rivalries=ps["td_rivalries"], mid_part=ps["gml_part"],
                      mid_dyads=ps["gml_dirdisp"], un=un)
    return spells, rows, src


def _perturb(src: cov.Sources, year: int) -> cov.Sources:
    """Every yearly value of ``year`` changed; spans starting in ``year`` added."""
    def bump(frame, cols):
        f = frame.copy()
        hit = f["year"] == year
        f.loc[hit, cols] = f.loc[hit, cols] * 1.7 + 0.3
        return f

    nmc = bump(src.nmc, ["milex", "cinc"])
    dem = bump(src.democracy, ["polity2", "xm_qudsest"])
    dem.loc[dem.year == year, "polity2"] = -dem.loc[dem.year == year, "polity2"]
    codes = sorted(set(src.un.ccode1) | set(src.un.ccode2))[:30]
    pairs = pd.DataFrame([(a, b) for a in codes for b in codes if a < b],
                         columns=["ccode1", "ccode2"])
    rivals = pd.concat([src.rivalries, pairs.assign(styear=year, endyear=year)])
    part = pd.concat([src.mid_part, pd.DataFrame({"dispnum": 99999, "ccode": codes,
                                                  "styear": year, "endyear": year,
                                                  "sidea": 1})])
    dyads = pd.concat([src.mid_dyads, pairs.assign(dispnum=99998, year=year, sidea1=1,
                                                   sidea2=0)])
    majors = pd.concat([src.majors, pd.DataFrame({"ccode": codes, "styear": year,
                                                  "endyear": year})])
    return dataclasses.replace(
        src, nmc=nmc, democracy=dem, rivalries=rivals, mid_part=part, mid_dyads=dyads,
        majors=majors, mindist=bump(src.mindist, ["mindist"]),
        igos=bump(src.igos, ["dyadigos"]), un=bump(src.un, ["un_agree", "un_kappa"]))


def test_perturbing_year_t_changes_nothing_up_to_t(setup):
    spells, rows, src = setup
    before = cov.compute(rows, spells, src)
    after = cov.compute(rows, spells, _perturb(src, T0))
    early = (rows.year <= T0).to_numpy()
    pd.testing.assert_frame_equal(before[early], after[early])
    # ... and the perturbation is seen the year after, so the test can fail.
    later = (rows.year == T0 + 1).to_numpy()
    changed = [c for c in cov.COVARIATES
               if not before.loc[later, c].equals(after.loc[later, c])]
    expected = {"cap_asym", "majors", "log_distance", "un_agree", "un_kappa", "rivals",
                "shared_rival", "joint_dem", "dem_change", "igos", "burden_min",
                "burden_change", "same_side_mid", "mid_between", "cap_change"}
    assert expected <= set(changed)


def test_missing_stays_missing_outside_coverage(setup):
    spells, rows, src = setup
    late = rows.assign(year=rows.year + 60, start=rows.start + 60)  # rows in 2010-2030
    out = cov.compute(late, spells, src)
    lag = late.year.to_numpy() - 1
    assert out.loc[lag > 2010, ["rivals", "mid_between", "same_side_mid"]].isna().all().all()
    assert out.loc[lag > 2014, "igos"].isna().all()
    assert out.loc[lag > 2016, ["majors", "contig_land"]].isna().all().all()
    assert out["new_outside"].notna().all()


def test_coverage_table_has_a_row_per_decade(setup):
    spells, rows, src = setup
    table = pd.concat([rows, cov.compute(rows, spells, src).drop(columns="age")], axis=1)
    cover = cov.coverage(table)
    assert list(cover.index) == [1950, 1960, 1970]
    assert ((cover >= 0) & (cover <= 1)).all().all()
