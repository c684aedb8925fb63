"""UN General Assembly roll-call votes (the ``unvotes`` tables, Voeten's data).

Files (under ``<data_dir>/unvotes/``; ``.rda`` read with pyreadr, or ``.csv`` with the same
columns): ``un_votes``, ``un_roll_calls``, ``un_roll_call_issues``.

Tidy output of :func:`load_unvotes` — one row per country × roll call:

=============  =============================================================
column         meaning
=============  =============================================================
rcid           roll-call id (int)
session        UNGA session (int)
year           session-year, ``session + 1945`` (the year the session opens)
date           date of the vote (datetime64)
country        country name as in unvotes
country_code   ISO2 (missing for a few historical states, e.g. West Germany)
vote           ordered categorical ``yes < abstain < no``
vote_code      0 = yes, 1 = abstain, 2 = no (the ordinal coding of the measures)
=============  =============================================================

Absences and non-membership are not rows. UN vote sets differ between data versions (rok_unga
uses a later release), so :func:`data_version` records which files were read.

References
----------
.. [1] Voeten, E., Strezhnev, A. & Bailey, M. United Nations General Assembly Voting Data.
   Harvard Dataverse, doi:10.7910/DVN/LEJUQZ.
.. [2] Robinson, D. unvotes: United Nations General Assembly Voting Data (R package),
   github.com/dgrtwo/unvotes @ 7eb7034.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from realpolitik.data._io import (
    DataError,
    PathLike,
    data_dir,
    file_version,
    locate,
    read_rda,
    read_table,
    require_columns,
)

__all__ = [
    "VOTE_CATEGORIES",
    "load_votes",
    "load_roll_calls",
    "load_issues",
    "load_unvotes",
    "data_version",
]

VOTE_CATEGORIES = ("yes", "abstain", "no")
"""Vote categories in ordinal order (yes < abstain < no)."""

_SOURCE = "dgrtwo/unvotes@7eb7034314ff79c49c9e0785fcd9d216fa04cf14"


def _resolve(stem: str, path: PathLike | None, data_dir_: PathLike | None) -> Path:
    """``path``, else ``unvotes/<stem>.rda``, else ``unvotes/<stem>.csv`` in the data dir."""
    if path is None:
        base = data_dir(data_dir_) / "unvotes"
        csv = base / f"{stem}.csv"
        path = csv if csv.exists() and not (base / f"{stem}.rda").exists() else None
    return locate(f"unvotes/{stem}.rda", path, data_dir_)


def _read(
    stem: str, path: PathLike | None, data_dir_: PathLike | None
) -> tuple[pd.DataFrame, Path]:
    target = _resolve(stem, path, data_dir_)
    if target.suffix.lower() == ".csv":
        # keep_default_na=False: Namibia's ISO2 code is the string "NA".
        frame = read_table(target, keep_default_na=False, na_values={"country_code": [""]})
    else:
        frame = read_rda(target)
    return frame, target


def load_votes(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Load ``un_votes``: columns ``rcid, country, country_code, vote`` (ordered categorical).

    Raises
    ------
    DataError
        If the file is missing, unreadable, lacks a column or has an unknown vote value.
    """
    frame, target = _read("un_votes", path, data_dir)
    require_columns(frame, ["rcid", "country", "country_code", "vote"], target)
    bad = set(frame["vote"].dropna().astype(str)) - set(VOTE_CATEGORIES)
    if bad:
        raise DataError(
            f"{target}: unknown vote value(s) {sorted(bad)}, expected {VOTE_CATEGORIES}"
        )
    out = frame[["rcid", "country", "country_code"]].copy()
    out["rcid"] = out["rcid"].astype(int)
    out["vote"] = pd.Categorical(frame["vote"].astype(str), VOTE_CATEGORIES, ordered=True)
    return out


def load_roll_calls(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Load ``un_roll_calls`` with ``session``/``year`` as int and ``date`` as datetime64.

    Columns: ``rcid, session, year, date, importantvote, unres, amend, para, short, descr``.
    """
    frame, target = _read("un_roll_calls", path, data_dir)
    require_columns(frame, ["rcid", "session", "date"], target)
    out = frame.copy()
    try:
        out["rcid"] = out["rcid"].astype(int)
        out["session"] = out["session"].astype(int)
        out["date"] = pd.to_datetime(out["date"])
    except (ValueError, TypeError) as exc:
        raise DataError(f"{target}: bad rcid/session/date values ({exc})") from exc
    out.insert(2, "year", out["session"] + 1945)
    return out


def load_issues(path: PathLike | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Load ``un_roll_call_issues``: ``rcid, short_name, issue`` (six issue codes)."""
    frame, target = _read("un_roll_call_issues", path, data_dir)
    require_columns(frame, ["rcid", "short_name", "issue"], target)
    out = frame[["rcid", "short_name", "issue"]].copy()
    out["rcid"] = out["rcid"].astype(int)
    return out


def load_unvotes(data_dir: PathLike | None = None) -> pd.DataFrame:
    """Votes joined to their roll calls: the tidy table described in the module docstring.

    Votes whose ``rcid`` has no roll call are dropped (none in the 2019 release).
    """
    votes = load_votes(data_dir=data_dir)
    calls = load_roll_calls(data_dir=data_dir)[["rcid", "session", "year", "date"]]
    out = votes.merge(calls, on="rcid", how="inner", validate="many_to_one")
    out["vote_code"] = out["vote"].cat.codes.astype("int8")
    cols = ["rcid", "session", "year", "date", "country", "country_code", "vote", "vote_code"]
    return out[cols]


def data_version(data_dir: PathLike | None = None) -> dict[str, str]:
    """Identify the unvotes release read: source, file checksums, sessions and roll calls."""
    calls = load_roll_calls(data_dir=data_dir)
    votes_path = _resolve("un_votes", None, data_dir)
    version = {"source": _SOURCE, **file_version(votes_path)}
    version["sessions"] = f"{calls.session.min()}-{calls.session.max()}"
    version["roll_calls"] = str(len(calls))
    return version
