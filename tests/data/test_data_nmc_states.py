"""COW NMC and the state lists: burden-share inputs and system membership by year."""

from __future__ import annotations

from pathlib import Path

from realpolitik.data.nmc import capabilities, load_nmc
from realpolitik.data.states import load_states, state_years, system_members


def test_nmc_us_rok_milex(ir_dir: Path) -> None:
    nmc = load_nmc(data_dir=ir_dir)
    assert len(nmc) == 17_121 and nmc["year"].max() == 2022
    us, rok = capabilities(nmc, 2, [2003, 2006]), capabilities(nmc, 732, [2003, 2006])
    share = rok["milex"] / (rok["milex"] + us["milex"])
    assert share.round(4).tolist() == [0.0349, 0.0451]
    assert capabilities(nmc, 732, [2023])["milex"].isna().all()


def test_membership_germany_and_vietnam(ir_dir: Path) -> None:
    cow = load_states("cow", data_dir=ir_dir)
    assert {260, 265} <= set(system_members(cow, 1990)) and 255 in system_members(cow, 1990)
    assert 265 not in system_members(cow, 1991) and 260 not in system_members(cow, 1991)
    assert 255 not in system_members(cow, 1950)
    assert {816, 817} <= set(system_members(cow, 1970)) and 817 not in system_members(cow, 1976)
    gw = load_states("gw", data_dir=ir_dir)
    assert 260 in system_members(gw, 2000) and 255 not in system_members(gw, 2000)


def test_peacesciencer_layout_agrees(ir_dir: Path) -> None:
    ps = load_states("cow-peacesciencer", data_dir=ir_dir)
    cow = load_states("cow", data_dir=ir_dir)
    assert len(ps) == len(cow) == 243
    assert (ps["code"].to_numpy() == cow["code"].to_numpy()).all()
    assert (ps["styear"].to_numpy() == cow["styear"].to_numpy()).all()
    years = state_years(cow, 2016, 2016)
    assert set(years["code"]) == set(system_members(ps, 2016))
