"""Country codes: the known traps (Germany, Vietnam, Korea, Yemen, Serbia, ISO3 vs COW)."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.data.countrycodes import CountryCodeError, convert, country_table, to_cow
from realpolitik.data.states import load_states


def test_germany() -> None:
    assert to_cow("DEU", 1980) == 260 and to_cow("DEU", 2000) == 255
    assert to_cow("DE", 1900) == 255
    assert to_cow("GFR") == 260 and to_cow("GMY") == 255 and to_cow("DDR") == 265
    assert convert(265, "iso2") == "DD" and convert("GDR", "iso3", code="cowc") == "DDR"
    assert convert(255, "gwn", year=2000) == 260  # G-W codes unified Germany 260
    assert convert(255, "gwn", year=1900) == 255


def test_vietnam() -> None:
    assert to_cow("VNM") == 816 and to_cow("VN") == 816 and to_cow("DRV") == 816
    assert to_cow("RVN") == 817 and convert(817, "iso3") is None
    assert convert(817, "gwn") == 817


def test_korea() -> None:
    assert to_cow("KOR") == 732 and to_cow("KR") == 732 and to_cow("ROK") == 732
    assert to_cow("PRK") == 731 and to_cow("KP") == 731
    assert to_cow("KOR", code="cowc") == 730  # COW's KOR is Korea 1887-1905
    assert convert(732, "iso3") == "KOR" and convert(731, "iso2") == "KP"


def test_yemen() -> None:
    assert to_cow("YEM", 1985) == 678 and to_cow("YEM", 1995) == 679
    assert to_cow("YMD") == 680 and convert(679, "gwn") == 678
    assert convert("YAR", "cown", code="cowc") == 678


def test_serbia_and_yugoslavia() -> None:
    assert to_cow("SRB") == 345 and to_cow("YUG") == 345
    assert convert(345, "gwn", year=2010) == 340 and convert(345, "gwn", year=2000) == 345
    assert convert(345, "iso3", year=2000) == "YUG" and convert(345, "iso3", year=2010) == "SRB"


def test_three_letter_collisions() -> None:
    assert to_cow("AUS") == 900 and to_cow("AUS", code="cowc") == 305
    assert to_cow("CZE") == 316 and to_cow("CZE", code="cowc") == 315
    assert to_cow("SLV") == 92 and to_cow("SLV", code="cowc") == 349


def test_namibia_and_errors() -> None:
    assert to_cow("NA") == 565
    with pytest.raises(CountryCodeError, match="'XYZ' is not a known iso3"):
        to_cow("XYZ", code="iso3")
    with pytest.raises(CountryCodeError):
        to_cow("Atlantis")
    with pytest.raises(CountryCodeError, match=r"'XXX' is not a known country code \(ISO3, ISO2"):
        to_cow("XXX")  # guessed as a COW abbreviation; the message names what is accepted


def test_table_covers_the_state_lists(tmp_path: Path) -> None:
    ir = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "ir"
    if not ir.is_dir():
        pytest.skip(f"reference data not available: {ir}")
    table = country_table()
    cow = load_states("cow", data_dir=ir)
    gw = load_states("gw", data_dir=ir)
    assert set(cow["code"]) == set(table["cown"])
    assert set(table["gwn"].dropna()) <= set(gw["code"])
    assert table["iso3"].ne("").sum() >= 195
